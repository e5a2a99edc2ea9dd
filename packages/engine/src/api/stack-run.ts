import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { locateStack } from '../config/index.js';
import { readYamlValue } from '../config/yaml-value.js';
import { deriveSecret } from '../engine/references.js';
import { Codes, type Diagnostic, diagnostic, KusionError } from '../errors/index.js';
import { canonicalSpec, digestOf } from '../generator/canonical.js';
import type { JsonObject, ResolvedModules, Spec, StackContext } from '../model/index.js';
import { SpecSchema } from '../model/release.js';
import { type ResolveResourceSecrets, sealedReleaseStore, unsealSpec } from '../secrets/index.js';
import type { ReleaseStore } from '../state/port.js';
import { type Backend, openBackend } from './backend.js';
import { generate } from './generate.js';
import { nodeFiles } from './node-files.js';
import { type EngineOptions, type ResolvedEngineOptions, resolveOptions } from './options.js';
import { maskedDerive, openRunSecrets } from './run-secrets.js';
import { type OpenedRuntimes, openRuntimes } from './runtimes.js';
import { type PlanFile, readPlanFile } from './saved-plan.js';
import { loadStateKey, loadWorkspaceSeed } from './state-key.js';
import { kusionVersion } from './version.js';
import { type LoadedWorkspace, loadWorkspace } from './workspace.js';

/** Options shared by the commands that plan against live infrastructure. */
export interface StackRunOptions extends EngineOptions {
  readonly workdir?: string;
  readonly args?: Readonly<Record<string, string>>;
  readonly workspace?: string;
  readonly workspaceFile?: string;
  /** Use this spec (ours or the original's) instead of generating. */
  readonly specFile?: string;
  /** Apply this saved plan (its spec, exactly its changes) instead of generating. */
  readonly planFile?: string;
  readonly ignoreFields?: readonly string[];
  readonly parallelism?: number;
  /** Destroy: work from the state alone; no AppConfiguration is read and nothing is generated. */
  readonly stateOnly?: boolean;
  /** Rollback: the spec and module versions recorded by this succeeded revision; modules are not re-run. */
  readonly fromRevision?: number;
}

/** Everything a preview, apply or destroy works with, opened once. */
export interface StackRun {
  readonly options: ResolvedEngineOptions;
  readonly stack: StackContext;
  readonly workspace: LoadedWorkspace;
  readonly backend: Backend;
  readonly store: ReleaseStore;
  readonly spec: Spec;
  readonly specDigest: string;
  readonly modules: ResolvedModules;
  readonly warnings: readonly Diagnostic[];
  readonly savedPlan?: PlanFile;
  readonly derive: (label: string, length: number) => string;
  /** Resolves a resource's `ref://` values in memory, for the planner and the executor (SPEC §14). */
  readonly resolveSecrets: ResolveResourceSecrets;
  /** Encrypts sensitive values at rest (state, journal, saved plans). */
  readonly stateKey: Buffer;
  readonly runtimes: OpenedRuntimes;
  readonly who: { operator: string; host: string; pid: number; runId: string; kusionVersion: string };
}

/** Opens a stack run: locate, load the workspace, generate (or read `--spec-file`), open backend and runtimes. */
export async function openStackRun(input: StackRunOptions): Promise<StackRun> {
  const options = resolveOptions(input);
  const workdir = resolve(options.cwd, input.workdir ?? '.');
  const stack = await locateStack(nodeFiles, {
    workdir,
    cwd: options.cwd,
    appConfigurationOptional:
      input.specFile !== undefined || input.stateOnly === true || input.fromRevision !== undefined,
  });
  const workspace = await loadWorkspace(options, input.workspace, input.workspaceFile);
  const key = await loadStateKey(options.home);
  let spec: Spec;
  let modules: ResolvedModules = {};
  const warnings: Diagnostic[] = [];
  let savedPlan: PlanFile | undefined;
  if (input.planFile) {
    savedPlan = await readPlanFile(resolve(options.cwd, input.planFile), input.planFile);
    const here = {
      project: stack.project.name,
      stack: stack.stack.name,
      workspace: workspace.workspace.name,
    };
    if (
      savedPlan.project !== here.project ||
      savedPlan.stack !== here.stack ||
      savedPlan.workspace !== here.workspace
    ) {
      throw new KusionError(
        Codes.planStale,
        `the plan is for ${savedPlan.project}/${savedPlan.stack} in workspace ${savedPlan.workspace}, not ${here.project}/${here.stack} in ${here.workspace}`,
        { location: input.planFile },
      );
    }
    spec = unsealSpec(savedPlan.spec, key);
    modules = savedPlan.modules;
  } else if (input.stateOnly || input.fromRevision !== undefined) {
    spec = { resources: [], secretStore: null, context: {}, outputs: {} };
  } else if (input.specFile) {
    const read = await readSpecFile(resolve(options.cwd, input.specFile), input.specFile);
    spec = read.spec;
    warnings.push(...read.warnings);
  } else {
    const generated = await generate({ ...input, workdir });
    spec = generated.spec;
    modules = generated.modules;
    warnings.push(...generated.warnings);
  }
  const backend = await openBackend(options);
  const store = sealedReleaseStore(
    backend.releases({
      project: stack.project.name,
      stack: stack.stack.name,
      workspace: workspace.workspace.name,
    }),
    key,
  );
  if (input.fromRevision !== undefined) {
    const recorded = await recordedRelease(store, input.fromRevision);
    spec = recorded.spec as Spec;
    modules = (recorded.modules ?? {}) as ResolvedModules;
  }
  const seed = await loadWorkspaceSeed(backend.workspaces, workspace.workspace.name, key);
  const secrets = await openRunSecrets({
    spec,
    workspace: workspace.workspace.document,
    projectDir: stack.projectDir,
  });
  // Resources leaving the spec are deleted by their runtime too: open those the state needs as well, and
  // those a crashed run's spec names (its uncertain resources are re-read live, release-run.ts).
  const latest = await store.latest();
  const stateTypes = [...(latest?.state.resources ?? []), ...(latest?.spec.resources ?? [])].map(
    (r) => r.type as Spec['resources'][number]['type'],
  );
  const types = new Set([...spec.resources.map((r) => r.type), ...stateTypes]);
  const runtimes = await openRuntimes(types, secrets.workspace, stack.projectDir, {
    home: options.home,
    identity: store.identity,
    unitStates: store.unitStates,
    key,
  });
  const operator = process.env['KUSION_OPERATOR'] ?? `${userInfo().username}@${hostname()}`;
  return {
    options,
    stack,
    workspace,
    backend,
    store,
    spec,
    specDigest: digestOf(spec),
    modules,
    warnings,
    ...(savedPlan ? { savedPlan } : {}),
    derive: maskedDerive((label, length) => deriveSecret(seed, label, length)),
    resolveSecrets: secrets.resolveSecrets,
    stateKey: key,
    runtimes,
    who: {
      operator,
      host: hostname(),
      pid: process.pid,
      runId: randomUUID(),
      kusionVersion: kusionVersion(),
    },
  };
}

/** Reads a spec file, ours or one written by the original `kusion generate` (SPEC §19). */
export async function readSpecFile(
  path: string,
  display: string,
): Promise<{ spec: Spec; warnings: Diagnostic[] }> {
  const text = await nodeFiles.readText(path);
  if (text === undefined)
    throw new KusionError(Codes.notInStack, `spec file ${display} not found`, { location: display });
  const parsed = SpecSchema.safeParse(readYamlValue(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KusionError(
      Codes.appConfigurationShape,
      `${display}: not a spec: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
      { location: display },
    );
  }
  const warnings: Diagnostic[] = [];
  const resources = parsed.data.resources.map((r) => {
    const { kubeConfig, ...extensions } = (r.extensions ?? {}) as JsonObject;
    if (kubeConfig !== undefined)
      warnings.push(
        diagnostic(
          Codes.kubeconfigInvalid,
          `${r.id}: the kubeConfig extension is ignored; Kusion uses one cluster per operation`,
          r.id,
          undefined,
          'warning',
        ),
      );
    return { ...r, extensions } as Spec['resources'][number];
  });
  const spec = canonicalSpec({
    resources,
    secretStore: (parsed.data.secretStore ?? null) as JsonObject | null,
    context: (parsed.data.context ?? {}) as JsonObject,
    outputs: parsed.data.outputs ?? {},
  });
  return { spec, warnings };
}

/** The release a rollback returns to: it must exist, have succeeded, and not be a destroy (SPEC §15). */
async function recordedRelease(store: ReleaseStore, revision: number) {
  const release = await store.get(revision);
  const hints = ['list the revisions with `kusion release list`'];
  if (!release) throw new KusionError(Codes.releaseNotFound, `revision ${revision} not found`, { hints });
  if (release.phase !== 'succeeded')
    throw new KusionError(
      Codes.releaseNotFound,
      `revision ${revision} is ${release.phase}; only a succeeded revision can be rolled back to`,
      { hints },
    );
  if (release.source.kind === 'destroy')
    throw new KusionError(
      Codes.releaseNotFound,
      `revision ${revision} destroyed the stack; roll back to a revision before it`,
      { hints },
    );
  return release;
}
