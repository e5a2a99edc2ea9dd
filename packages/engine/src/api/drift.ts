/**
 * `kusion drift` (SPEC §15): the latest release's state against live infrastructure. Read-only: no lock,
 * no release, nothing generated (the AppConfiguration is not read). A held lock is reported, not waited for.
 */
import { ReferencePrefix } from '@kusion/module-sdk';
import { type DriftReport, detectDrift } from '../engine/drift/drift.js';
import { declaredPaths } from '../engine/drift/owned-fields.js';
import type { Diagnostic } from '../errors/index.js';
import type { JsonObject, JsonValue, Resource } from '../model/index.js';
import type { LockRecord } from '../state/port.js';
import type { EngineOptions } from './options.js';
import { openStackRun, type StackRunOptions } from './stack-run.js';

export type { DriftEntry, DriftReport, DriftStatus, ResourceDrift } from '../engine/drift/drift.js';

/** Where to look: the stack directory, the workspace, the backend. */
export type DriftOptions = EngineOptions &
  Pick<StackRunOptions, 'workdir' | 'workspace' | 'workspaceFile' | 'parallelism' | 'ignoreFields'>;

export interface DriftResult extends DriftReport {
  readonly project: string;
  readonly stack: string;
  readonly workspace: string;
  /** The revision whose state was compared; null when the stack has no release yet. */
  readonly revision: number | null;
  /** The lock, when another run holds it: its changes may not be in state yet. */
  readonly lock?: LockRecord;
  readonly warnings: readonly Diagnostic[];
}

export async function drift(input: DriftOptions): Promise<DriftResult> {
  const run = await openStackRun({ ...input, stateOnly: true });
  try {
    const latest = await run.store.latest();
    const lock = await run.store.lock.read();
    const state = (latest?.state.resources ?? []) as unknown as Resource[];
    const declared = (latest?.spec.resources ?? []) as unknown as Resource[];
    const report = await detectDrift({
      state: state.map((r) =>
        markReferences(
          r,
          declared.find((d) => d.id === r.id),
        ),
      ),
      declared,
      runtimeFor: run.runtimes.runtimeFor,
      ...(input.parallelism ? { parallelism: input.parallelism } : {}),
      ...(input.ignoreFields ? { ignoreFields: input.ignoreFields } : {}),
      ...(run.options.signal ? { signal: run.options.signal } : {}),
    });
    return {
      project: run.stack.project.name,
      stack: run.stack.stack.name,
      workspace: run.workspace.workspace.name,
      revision: latest?.revision ?? null,
      ...(lock ? { lock } : {}),
      warnings: run.warnings,
      ...report,
    };
  } finally {
    await run.runtimes.close();
  }
}

const isReference = (value: JsonValue | undefined) =>
  typeof value === 'string' &&
  (value.startsWith(ReferencePrefix.path) ||
    value.startsWith(ReferencePrefix.derived) ||
    value.startsWith('ref://'));

/**
 * Values that came from references (secrets, derived values, other resources' outputs) are sensitive in
 * a diff, as they are in a preview: the spec says where they are.
 */
function markReferences(resource: Resource, declared: Resource | undefined): Resource {
  if (!declared) return resource;
  const paths = declaredPaths(declared.attributes).filter((p) =>
    isReference(valueAt(declared.attributes, p)),
  );
  if (paths.length === 0) return resource;
  const existing = resource.extensions?.['kusion.io/sensitive'];
  const marked = [...(Array.isArray(existing) ? existing.map(String) : []), ...paths];
  return { ...resource, extensions: { ...resource.extensions, 'kusion.io/sensitive': marked } };
}

/** The value at a dot path with `[i]` indices. */
function valueAt(object: JsonObject, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = object;
  for (const segment of path.split(/\.|(?=\[)/)) {
    const index = /^\[(\d+)\]$/.exec(segment);
    if (index && Array.isArray(current)) current = current[Number(index[1])];
    else if (typeof current === 'object' && current !== null && !Array.isArray(current))
      current = current[segment];
    else return undefined;
  }
  return current;
}
