import { appLabels, kubernetesResource, type Resource as SdkResource } from '@kusion/module-sdk';
import {
  type AppConfiguration,
  type AppEntry,
  type ModuleUseEntry,
  type PlatformInputs,
  resolvePlatformInputs,
  type SchemaValidationResult,
  type SourceDocument,
  validateWithSchema,
} from '../config/index.js';
import { buildGraph } from '../engine/graph/index.js';
import {
  Codes,
  closestMatch,
  type Diagnostic,
  diagnostic,
  KusionError,
  throwIfErrors,
  toKusionError,
} from '../errors/index.js';
import type {
  JsonObject,
  OutputValue,
  ResolvedModules,
  Resource,
  Spec,
  StackContext,
  Workspace,
} from '../model/index.js';
import {
  checkGenerateResult,
  isWorkloadMarked,
  type LoadedModule,
  type ModuleProvider,
} from '../modules/index.js';
import { canonicalSpec } from './canonical.js';
import { inferDependencies } from './dependencies.js';
import { attachHealthPolicy, collectImportIds, withExtension } from './extensions.js';
import { addMetadata } from './metadata.js';
import { type ModuleCall, ModuleCalls } from './module-calls.js';
import { checkNames } from './names.js';
import { applyPatchers, type PatcherUse } from './patchers.js';
import { mergeDuplicates, validateResources } from './validate-spec.js';
import { workloadSecrets } from './workload-secrets.js';

export interface GenerateInput {
  readonly stack: StackContext;
  readonly apps: AppConfiguration;
  readonly workspace: Workspace;
  /** The workspace's parsed text, so platform-input errors cite `workspace <name>:line:col`. */
  readonly workspaceDocument: SourceDocument;
  readonly modules: ModuleProvider;
  /** Names of the built-in modules, for "did you mean" hints. */
  readonly builtinModules: readonly string[];
}

export interface GenerateOutput {
  readonly spec: Spec;
  readonly modules: ResolvedModules;
  readonly warnings: readonly Diagnostic[];
}

/** One module invocation of an app, with validated inputs. */
interface Invocation {
  readonly role: 'workload' | 'accessory';
  readonly accessory: string | null;
  readonly use: ModuleUseEntry;
  readonly module: LoadedModule;
  readonly inputs: JsonObject;
  readonly platform: JsonObject;
  readonly importedResources: Readonly<Record<string, string>>;
  readonly healthPolicy: JsonObject | undefined;
  readonly platformAt: string;
  /** The module call of this invocation, pipelined by `ModuleCalls`. */
  readonly call: ModuleCall;
}

/**
 * Turns an AppConfiguration, a workspace and modules into a canonical Spec (SPEC §8.1). Pure apart from
 * the module provider; writes nothing and contacts no infrastructure.
 */
export async function generateSpec(input: GenerateInput): Promise<GenerateOutput> {
  const warnings: Diagnostic[] = [];
  const planned = await prepareInvocations(input);
  const origins = new Map<Resource, string>();
  const all: Resource[] = [];
  const outputs: Record<string, OutputValue> = {};
  const namespaceId = `v1:Namespace:${input.stack.namespace}`;
  const problems: Diagnostic[] = [];
  const calls = new ModuleCalls(planned.flatMap((p) => p.invocations.map((i) => i.call)));
  for (const { app, invocations } of planned) {
    const result = await generateApp(input, app, invocations, calls);
    problems.push(...result.diagnostics.filter((d) => d.severity === 'error'));
    warnings.push(...result.diagnostics.filter((d) => d.severity === 'warning'));
    for (const [resource, origin] of result.resources) {
      all.push(resource);
      origins.set(resource, origin);
    }
    Object.assign(outputs, result.outputs);
  }
  throwIfErrors(problems);
  if (input.stack.createNamespace && input.apps.apps.length > 0 && !all.some((r) => r.id === namespaceId)) {
    all.push(
      kubernetesResource({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: input.stack.namespace } }),
    );
  }
  const merged = mergeDuplicates(all, origins);
  const validated = validateResources(merged.resources);
  throwIfErrors([...merged.diagnostics, ...validated.diagnostics]);
  const imports = collectImportIds(
    planned.flatMap((p) =>
      p.invocations.map((i) => ({ module: i.module.name, importedResources: i.importedResources })),
    ),
    input.workspace.name,
  );
  throwIfErrors(imports.diagnostics);
  const resources = inferDependencies(validated.resources).map((r) => {
    const importId = imports.importIds.get(r.id);
    return importId === undefined ? r : withExtension(r, 'kusionstack.io/import-id', importId);
  });
  buildGraph(resources);
  const document = input.workspace.document;
  const spec = canonicalSpec({
    resources,
    secretStore: (document.secretStore ?? null) as JsonObject | null,
    context: (document.context ?? {}) as JsonObject,
    outputs,
  });
  const modules: Record<string, { source: string; version: string }> = {};
  for (const { invocations } of planned)
    for (const i of invocations)
      modules[i.module.name] = { source: i.module.source, version: i.module.version };
  const sortedModules = Object.fromEntries(Object.entries(modules).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { spec, modules: sortedModules, warnings };
}

/** Loads every module used and validates every input of every app, reporting all problems together. */
async function prepareInvocations(
  input: GenerateInput,
): Promise<{ app: AppEntry; invocations: Invocation[] }[]> {
  const problems: Diagnostic[] = [];
  const planned: { app: AppEntry; invocations: Invocation[] }[] = [];
  const platforms = new Map<string, { platformInputs: PlatformInputs; platform: SchemaValidationResult }>();
  const platformFor = (name: string, module: LoadedModule) => {
    let entry = platforms.get(name);
    if (!entry) {
      const platformInputs = resolvePlatformInputs(
        name,
        input.workspace.document.modules?.[name],
        input.stack.project.name,
        input.workspaceDocument,
      );
      const platform = validateWithSchema(
        platformInputs.document,
        module.platformSchema,
        Codes.platformInputInvalid,
        `modules.${name}.configs`,
      );
      entry = { platformInputs, platform };
      platforms.set(name, entry);
    }
    return entry;
  };
  for (const app of input.apps.apps) {
    const invocations: Invocation[] = [];
    const uses: [Invocation['role'], string | null, ModuleUseEntry][] = [
      ['workload', null, app.workload],
      ...app.accessories.map(([key, use]): [Invocation['role'], string | null, ModuleUseEntry] => [
        'accessory',
        key,
        use,
      ]),
    ];
    for (const [role, accessory, use] of uses) {
      let module: LoadedModule;
      try {
        module = await input.modules.load(use.module);
      } catch (error) {
        const located = error as { code?: string; message?: string; location?: string };
        if (located.code === Codes.moduleUnknown && !located.location) {
          const suggestion = closestMatch(use.module, input.builtinModules);
          const hint = suggestion
            ? `did you mean the built-in "${suggestion}"?`
            : `declare "${use.module}" under modules: in workspace ${input.workspace.name}`;
          problems.push(
            diagnostic(Codes.moduleUnknown, located.message ?? String(error), use.document.locate([]), hint),
          );
          continue;
        }
        throw error;
      }
      const subject = accessory ? `${app.name}.accessories.${accessory}` : `${app.name}.workload`;
      const developer = validateWithSchema(
        use.document,
        module.developerSchema,
        Codes.developerInputInvalid,
        subject,
      );
      const firstUse = !platforms.has(use.module);
      const { platformInputs, platform } = platformFor(use.module, module);
      // Platform inputs are the same for every use of a module in a stack: report their problems once.
      problems.push(...developer.diagnostics, ...(firstUse ? platform.diagnostics : []));
      const invocation: Omit<Invocation, 'call'> = {
        role,
        accessory,
        use,
        module,
        inputs: developer.value as JsonObject,
        platform: platform.value as JsonObject,
        importedResources: platformInputs.importedResources,
        healthPolicy: platformInputs.healthPolicy,
        platformAt: input.workspaceDocument.locate(['modules', use.module, 'configs']),
      };
      const request = () => buildRequest(input, app, invocation, workloadInputsOf(invocations));
      invocations.push({ ...invocation, call: { module, request } });
    }
    planned.push({ app, invocations });
  }
  throwIfErrors(problems);
  return planned;
}

interface AppResult {
  readonly resources: [Resource, string][];
  readonly outputs: Record<string, OutputValue>;
  readonly diagnostics: Diagnostic[];
}

/** Steps 5c–5h of SPEC §8.1 for one app. */
async function generateApp(
  input: GenerateInput,
  app: AppEntry,
  invocations: readonly Invocation[],
  calls: ModuleCalls,
): Promise<AppResult> {
  const { stack } = input;
  const names = { project: stack.project.name, stack: stack.stack.name, app: app.name };
  const diagnostics: Diagnostic[] = [];
  const workloadInputs = workloadInputsOf(invocations);
  const secrets = workloadSecrets({
    ...names,
    namespace: stack.namespace,
    labels: appLabels(names),
    secrets: workloadInputs['secrets'],
    hasSecretStore: Boolean(input.workspace.document.secretStore?.provider),
    document: app.workload.document,
  });
  diagnostics.push(...secrets.diagnostics);
  const resources: Resource[] = [...secrets.resources];
  const origins = new Map<string, string>(
    secrets.resources.map((r) => [r.id, `${app.name}/workload/secrets`]),
  );
  const patchers: PatcherUse[] = [];
  const outputs: Record<string, OutputValue> = {};
  let workloadId: string | undefined;
  for (const invocation of invocations) {
    const owner = invocation.accessory ?? 'workload';
    const origin = `${app.name}/${owner}/${invocation.module.name}@${invocation.module.version}`;
    const raw = await calls.result(invocation.call).catch((error: unknown) => {
      throw locatedFailure(error, origin, app.name);
    });
    const checked = checkGenerateResult(raw, {
      origin,
      role: invocation.role,
      isExec: invocation.module.isExec,
    });
    diagnostics.push(...checked.diagnostics);
    for (const resource of checked.result.resources as readonly SdkResource[]) {
      const earlier = resources.find((r) => r.id === resource.id);
      if (earlier) {
        if (JSON.stringify(earlier.attributes) !== JSON.stringify(resource.attributes)) {
          diagnostics.push(
            diagnostic(
              Codes.duplicateResourceId,
              `duplicate resource ID ${resource.id} (from ${origins.get(resource.id) ?? 'the core'} and ${origin})`,
              resource.id,
            ),
          );
        }
        continue;
      }
      if (invocation.role === 'workload' && isWorkloadMarked(resource)) workloadId = resource.id;
      resources.push(withExtension(resource, 'kusion.io/source', origin));
      origins.set(resource.id, origin);
    }
    if (checked.result.patcher) patchers.push({ patcher: checked.result.patcher, origin });
    for (const [name, value] of Object.entries(checked.result.outputs ?? {}))
      outputs[`${app.name}.${owner}.${name}`] = value;
    diagnostics.push(
      ...attachHealthPolicy(resources, workloadId, invocation.healthPolicy, invocation.platformAt),
    );
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { resources: [], outputs, diagnostics };
  const patched = applyPatchers(resources, workloadId, patchers, `${app.name}`);
  diagnostics.push(...patched.diagnostics);
  diagnostics.push(
    ...addMetadata(
      patched.resources,
      workloadId,
      { app: { labels: app.labels, annotations: app.annotations }, extension: stack.metadata },
      app.name,
    ),
  );
  diagnostics.push(...checkNames(patched.resources, () => app.document.locate([], 'key')));
  return {
    resources: patched.resources.map((r) => [r, origins.get(r.id) ?? app.name]),
    outputs,
    diagnostics,
  };
}

/** A module's failure, located at its invocation and naming its app. */
function locatedFailure(error: unknown, origin: string, app: string): KusionError {
  const coded = toKusionError(error);
  if (coded.location) return coded;
  return new KusionError(
    coded.code === Codes.internal ? Codes.moduleGenerateThrew : coded.code,
    `${coded.message} (app ${app})`,
    {
      location: origin,
      source: coded.source,
      hints: [...coded.hints],
      cause: coded.cause ?? error,
    },
  );
}

/** The workload's validated inputs, which every module of the app receives. */
function workloadInputsOf(invocations: readonly Omit<Invocation, 'call'>[]): JsonObject {
  return invocations.find((i) => i.role === 'workload')?.inputs ?? {};
}

function buildRequest(
  input: GenerateInput,
  app: AppEntry,
  invocation: Omit<Invocation, 'call'>,
  workloadInputs: JsonObject,
): JsonObject {
  const document = input.workspace.document;
  return {
    apiVersion: 'kusion.io/module/v1',
    project: input.stack.project.name,
    stack: input.stack.stack.name,
    app: app.name,
    workspace: input.workspace.name,
    namespace: input.stack.namespace,
    role: invocation.role,
    accessory: invocation.accessory,
    workload: { module: app.workload.module, ...workloadInputs },
    inputs: invocation.inputs,
    platform: invocation.platform,
    context: (document.context ?? {}) as JsonObject,
    secretStore: (document.secretStore ?? null) as JsonObject | null,
  };
}
