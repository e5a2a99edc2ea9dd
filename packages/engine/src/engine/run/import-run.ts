/**
 * `kusion import` as a release (SPEC §15, §9.1): lock → recover a crashed run → release `applying` →
 * the runtime adopts the existing object (Kubernetes: its live state is read; Terraform: `tofu import`) →
 * the release records it in state and succeeds → unlock. Nothing in the infrastructure changes; a
 * difference between the object and the spec shows at the next preview. A failed adoption deletes its
 * record, as a declined apply does, so history lists what changed state only.
 */
import { Codes, KusionError } from '../../errors/index.js';
import type { ResolvedModules, Resource, Spec } from '../../model/index.js';
import type { Release } from '../../model/release.js';
import type { Runtime } from '../../runtimes/port.js';
import { acquireLock } from '../../state/lock-wait.js';
import type { Clock, ReleaseStore, StateResource } from '../../state/port.js';
import { type RunIdentity, recoverCrashedRun } from './release-run.js';

const leaseMs = 60_000;
const renewEveryMs = 15_000;

export interface ImportRunInput {
  readonly store: ReleaseStore;
  readonly clock: Clock;
  readonly who: RunIdentity;
  /** The resource as the current spec declares it (references unresolved): recorded in the release spec. */
  readonly declared: Resource;
  /** The same resource with references and secrets resolved: what the runtime adopts. */
  readonly resolved: Resource;
  /** The provider's ID of the object (Terraform). */
  readonly importId?: string;
  readonly runtime: Runtime;
  readonly modules: ResolvedModules;
  /** Asked once the lock is held and the resource is known not to be managed yet. */
  readonly confirm: (context: { baseRevision: number; revision: number }) => Promise<boolean>;
  readonly lockWaitMs?: number;
  readonly signal?: AbortSignal;
}

export interface ImportRunResult {
  /** Undefined when declined. */
  readonly revision?: number;
  readonly baseRevision: number;
  /** The resource as recorded in state. */
  readonly resource?: Resource;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export async function runImport(input: ImportRunInput): Promise<ImportRunResult> {
  const { store, clock, declared } = input;
  let lock = await acquireLock(
    store,
    { operator: input.who.operator, host: input.who.host, pid: input.who.pid, runId: input.who.runId },
    {
      operation: 'import',
      leaseMs,
      clock,
      ...(input.lockWaitMs ? { waitMs: input.lockWaitMs } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
    },
  );
  const renewal = setInterval(() => {
    store.lock.renew(lock, { leaseMs }).then(
      (renewed) => {
        lock = renewed;
      },
      () => undefined,
    );
  }, renewEveryMs);
  renewal.unref();
  try {
    const previous = await recoverCrashedRun(store, clock);
    const baseRevision = previous?.revision ?? 0;
    const prior = (previous?.state.resources ?? []) as StateResource[];
    if (prior.some((r) => r.id === declared.id))
      throw new KusionError(Codes.importRefused, `${declared.id} is already managed by this stack`, {
        location: declared.id,
        hints: [
          'see it with `kusion resource show <id>`; `kusion preview` shows how it differs from the spec',
        ],
      });
    const revision = baseRevision + 1;
    if (!(await input.confirm({ baseRevision, revision }))) return { baseRevision };
    const now = () => clock.now().toISOString();
    const base: Spec = (previous?.spec as Spec | undefined) ?? {
      resources: [],
      secretStore: null,
      context: {},
      outputs: {},
    };
    const spec: Spec = { ...base, resources: [...base.resources, declared].sort(byId) };
    const release = {
      project: store.identity.project,
      stack: store.identity.stack,
      workspace: store.identity.workspace,
      revision,
      phase: 'applying',
      spec,
      state: { resources: prior },
      modules: (previous?.modules ?? input.modules) as Release['modules'],
      operator: input.who.operator,
      source: { kind: 'import' },
      kusionVersion: input.who.kusionVersion,
      createTime: now(),
      modifiedTime: now(),
    } as Release;
    await store.create(release);
    let adopted: Resource | undefined;
    try {
      adopted = await input.runtime.import?.(
        input.resolved,
        input.importId,
        input.signal ? { signal: input.signal } : {},
      );
    } catch (error) {
      await store.delete(revision);
      throw error;
    }
    if (!adopted) {
      await store.delete(revision);
      throw new KusionError(
        Codes.importTargetAbsent,
        `${declared.id}: nothing to import${input.importId ? ` with ID ${input.importId}` : ''}: the object does not exist`,
        { location: declared.id },
      );
    }
    // The declaration's dependencies and extensions, the adopted attributes.
    const recorded: Resource = {
      ...declared,
      attributes: adopted.attributes,
      ...(adopted.extensions ? { extensions: adopted.extensions } : {}),
    };
    const state = [...prior, recorded as unknown as StateResource].sort(byId);
    await store.update({ ...release, phase: 'succeeded', state: { resources: state }, modifiedTime: now() });
    return { revision, baseRevision, resource: recorded };
  } finally {
    clearInterval(renewal);
    await store.lock.release(lock).catch(() => undefined);
  }
}
