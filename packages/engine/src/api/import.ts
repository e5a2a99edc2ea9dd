/**
 * `kusion import <id> [--import-id <providerId>]` (SPEC §15): makes one resource of the current spec
 * *managed* by adopting the existing object into state, unchanged. Kubernetes: the live object is recorded
 * (fields other managers own show as conflicts at the next preview); Terraform: `--import-id` is required
 * and the object is imported into the stack's OpenTofu state. Observed resources (workspace
 * `importedResources`) stay observed. The workspace policies judge the adopted resource first.
 */
import type { Plan } from '../engine/plan/plan.js';
import { resolveReferences } from '../engine/references.js';
import { runImport } from '../engine/run/import-run.js';
import { Codes, type Diagnostic, KusionError } from '../errors/index.js';
import type { JsonObject, Resource } from '../model/index.js';
import { systemClock } from './backend.js';
import { deniedByPolicy, evaluateWorkspacePolicies, type PolicyReport } from './policy.js';
import { openStackRun, type StackRunOptions } from './stack-run.js';

export interface ImportOptions extends StackRunOptions {
  /** The resource's ID in the current spec. */
  readonly resourceId: string;
  /** The provider's ID of the object (Terraform: required). */
  readonly importId?: string;
  /** Asked once the lock is held; the CLI prompts or honours `--yes`. */
  readonly confirm: (context: ImportContext) => Promise<boolean>;
  readonly lockWaitMs?: number;
}

export interface ImportContext {
  readonly project: string;
  readonly stack: string;
  readonly workspace: string;
  readonly id: string;
  readonly type: Resource['type'];
  readonly baseRevision: number;
  readonly revision: number;
}

export interface ImportResult {
  readonly project: string;
  readonly stack: string;
  readonly workspace: string;
  readonly id: string;
  readonly type: Resource['type'];
  /** The revision written; undefined when declined. */
  readonly revision?: number;
  readonly baseRevision: number;
  readonly policy?: PolicyReport;
  readonly warnings: readonly Diagnostic[];
}

export async function importResource(input: ImportOptions): Promise<ImportResult> {
  const run = await openStackRun(input);
  try {
    const declared = run.spec.resources.find((r) => r.id === input.resourceId);
    if (!declared)
      throw new KusionError(Codes.importRefused, `${input.resourceId} is not in the stack's spec`, {
        location: input.resourceId,
        hints: ['import a resource the stack declares; list them with `kusion generate`'],
      });
    if (declared.extensions?.['kusionstack.io/import-id'] !== undefined)
      throw new KusionError(
        Codes.importRefused,
        `${declared.id} is observed through the workspace's importedResources; it is read, never managed`,
        { location: declared.id, hints: ['remove it from importedResources to manage it, then import it'] },
      );
    if (declared.type === 'Terraform' && !input.importId)
      throw new KusionError(Codes.importRefused, `${declared.id}: a Terraform resource needs --import-id`, {
        location: declared.id,
        hints: [
          "pass the provider's ID of the existing object, e.g. --import-id <id> (see the provider's docs)",
        ],
      });
    const identity = {
      project: run.stack.project.name,
      stack: run.stack.stack.name,
      workspace: run.workspace.workspace.name,
    };
    const policy = await evaluateWorkspacePolicies({
      options: run.options,
      workspace: run.workspace,
      workspaceFile: input.workspaceFile,
      readStored: () => run.backend.workspaces.readPolicyFiles(identity.workspace),
      project: identity.project,
      stack: identity.stack,
      spec: { ...run.spec, resources: [declared] },
      plan: adoptionPlan(declared),
      ...(input.signal ? { signal: input.signal } : {}),
    });
    if (policy?.denied) throw deniedByPolicy(policy, 'import');
    const latest = await run.store.latest();
    const applied = new Map<string, JsonObject>(
      (latest?.state.resources ?? []).map((r) => [r.id, r.attributes as JsonObject]),
    );
    const withSecrets = await run.resolveSecrets(declared, input.signal);
    const resolved: Resource = {
      ...withSecrets,
      attributes: resolveReferences(withSecrets.attributes, {
        applied,
        ids: new Set(run.spec.resources.map((r) => r.id)),
        strict: false,
        resourceId: declared.id,
        derive: run.derive,
      }).value,
    };
    const result = await runImport({
      store: run.store,
      clock: systemClock,
      who: run.who,
      declared,
      resolved,
      ...(input.importId ? { importId: input.importId } : {}),
      runtime: run.runtimes.runtimeFor(declared.type),
      modules: run.modules,
      confirm: ({ baseRevision, revision }) =>
        input.confirm({ ...identity, id: declared.id, type: declared.type, baseRevision, revision }),
      ...(input.lockWaitMs ? { lockWaitMs: input.lockWaitMs } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
    });
    return {
      ...identity,
      id: declared.id,
      type: declared.type,
      ...(result.revision ? { revision: result.revision } : {}),
      baseRevision: result.baseRevision,
      ...(policy ? { policy } : {}),
      warnings: run.warnings,
    };
  } finally {
    await run.runtimes.close();
  }
}

/** What the policies judge: the adopted resource, unchanged. */
function adoptionPlan(resource: Resource): Plan {
  return {
    changes: [
      {
        id: resource.id,
        type: resource.type,
        action: 'UnChanged',
        notes: ['imported into state'],
        before: null,
        after: null,
        diff: [],
        liveVersion: null,
      },
    ],
    summary: { create: 0, update: 0, replace: 0, delete: 0, unchanged: 1 },
  };
}
