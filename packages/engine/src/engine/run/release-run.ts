import { Codes, KusionError, toKusionError } from '../../errors/index.js';
import { digestOf } from '../../generator/canonical.js';
import type { JsonObject, ResolvedModules, Resource, Spec } from '../../model/index.js';
import type { Release } from '../../model/release.js';
import type { Runtime } from '../../runtimes/port.js';
import { replayJournal } from '../../state/journal.js';
import { acquireLock } from '../../state/lock-wait.js';
import type { Clock, ReleaseStore, StateResource } from '../../state/port.js';
import { type ExecuteResult, executePlan, type Journal, type ResourceEvent } from '../execute/executor.js';
import { appliedResourcesOf, hasChanges, type Plan, planChanges } from '../plan/plan.js';

const leaseMs = 60_000;

/** State records hold unvalidated JSON values; the spec's Resource type is the same shape, narrowed. */
const asResources = (resources: readonly StateResource[]): Resource[] => resources as unknown as Resource[];
const asStateResources = (resources: readonly Resource[]): StateResource[] =>
  resources as unknown as StateResource[];
const renewEveryMs = 15_000;

export interface RunIdentity {
  readonly operator: string;
  readonly host: string;
  readonly pid: number;
  readonly runId: string;
  readonly kusionVersion: string;
}

export interface ReleaseRunInput {
  readonly store: ReleaseStore;
  readonly clock: Clock;
  readonly who: RunIdentity;
  readonly kind: 'apply' | 'destroy';
  /** What the release records as its origin. @default `{kind: <kind>}` (rollback: `{kind: rollback, fromRevision}`) */
  readonly source?: Release['source'];
  /** What to plan against: the generated spec (apply) or an empty one (destroy). */
  readonly desired: Spec;
  readonly modules: ResolvedModules;
  readonly runtimeFor: (type: Resource['type']) => Runtime;
  readonly derive?: (label: string, length: number) => string;
  /** Resolves `ref://` values of a resource in memory (SPEC §14), for planning and execution alike. */
  readonly resolveSecrets?: (resource: Resource, signal?: AbortSignal) => Promise<Resource>;
  /** What the state digest hashes: the facade passes a view with sensitive values keyed (secrets/seal.ts). */
  readonly stateDigestView?: (prior: readonly Resource[]) => readonly Resource[];
  readonly ignoreFields?: readonly string[];
  readonly parallelism?: number;
  readonly watch?: boolean;
  readonly timeoutMs?: number;
  readonly forceConflicts?: boolean;
  /** Plan and report only: no lock, no release, nothing written (SPEC §11.1 `--dry-run`). */
  readonly dryRun?: boolean;
  readonly lockWaitMs?: number;
  /** Destroy: drop retained resources from state too. */
  readonly forgetRetained?: boolean;
  /** Shown the plan; returns whether to go ahead (the host prompts, or `--yes`). */
  readonly confirm: (plan: Plan, context: { baseRevision: number; revision: number }) => Promise<boolean>;
  /** A plan saved by `preview --out`: executed exactly, refused (KUS8001) if state moved since. */
  readonly savedPlan?: { readonly plan: Plan; readonly baseRevision: number; readonly stateDigest: string };
  readonly onEvent: (event: ResourceEvent) => void;
  readonly stopSignal?: AbortSignal;
  readonly abortSignal?: AbortSignal;
}

export interface ReleaseRunResult {
  readonly plan: Plan;
  /** The revision written, or undefined when nothing ran (no changes, declined, dry run). */
  readonly revision?: number;
  readonly baseRevision: number;
  readonly phase: 'succeeded' | 'failed' | 'none';
  readonly declined: boolean;
  readonly execution?: ExecuteResult;
  readonly planDigest: string;
}

/**
 * One apply or destroy as a numbered release (SPEC §9, §11.1): lock → recover a crashed run → create the
 * release → plan → confirm → execute with a journal → compact state once → unlock. Runs that change nothing
 * or are declined delete their record, so history lists executions only.
 */
export async function runRelease(input: ReleaseRunInput): Promise<ReleaseRunResult> {
  const { store, clock } = input;
  if (input.dryRun) {
    const latest = await store.latest();
    const plan = await planWith(input, asResources(latest?.state.resources ?? []), latest);
    return {
      plan,
      baseRevision: latest?.revision ?? 0,
      phase: 'none',
      declined: false,
      planDigest: digestOf(plan as unknown as JsonObject),
    };
  }
  let lock = await acquireLock(
    store,
    { operator: input.who.operator, host: input.who.host, pid: input.who.pid, runId: input.who.runId },
    {
      operation: input.source?.kind ?? input.kind,
      leaseMs,
      clock,
      ...(input.lockWaitMs ? { waitMs: input.lockWaitMs } : {}),
      ...(input.stopSignal ? { signal: input.stopSignal } : {}),
    },
  );
  const leaseLost = new AbortController();
  let renewing: Promise<void> = Promise.resolve();
  const renewal = setInterval(() => {
    renewing = store.lock.renew(lock, { leaseMs }).then(
      (renewed) => {
        lock = renewed;
      },
      (error: unknown) => leaseLost.abort(error),
    );
  }, renewEveryMs);
  renewal.unref();
  try {
    const previous = await recoverCrashedRun(store, clock, rereadWith(input.runtimeFor));
    const baseRevision = previous?.revision ?? 0;
    const prior = asResources(previous?.state.resources ?? []);
    const now = () => clock.now().toISOString();
    const revision = baseRevision + 1;
    const recordedSpec: Spec =
      input.kind === 'destroy'
        ? { resources: prior, secretStore: null, context: {}, outputs: {} }
        : input.desired;
    let release: Release = {
      project: store.identity.project,
      stack: store.identity.stack,
      workspace: store.identity.workspace,
      revision,
      phase: 'generating',
      spec: recordedSpec as Release['spec'],
      state: { resources: asStateResources(prior) },
      modules: input.modules as Release['modules'],
      operator: input.who.operator,
      source: input.source ?? { kind: input.kind },
      kusionVersion: input.who.kusionVersion,
      createTime: now(),
      modifiedTime: now(),
    } as Release;
    await store.create(release);
    release = { ...release, phase: 'previewing', modifiedTime: now() };
    await store.update(release);
    let plan: Plan;
    try {
      plan = input.savedPlan
        ? checkSavedPlan(input.savedPlan, baseRevision, input.stateDigestView?.(prior) ?? prior)
        : await planWith(input, prior, previous);
    } catch (error) {
      await store.delete(revision);
      throw error;
    }
    const planDigest = digestOf(plan as unknown as JsonObject);
    if (!hasChanges(plan) || !(await input.confirm(plan, { baseRevision, revision }))) {
      await store.delete(revision);
      return { plan, baseRevision, phase: 'none', declined: hasChanges(plan), planDigest };
    }
    release = {
      ...release,
      phase: input.kind === 'destroy' ? 'destroying' : 'applying',
      planDigest,
      modifiedTime: now(),
    };
    await store.update(release);
    const journal = store.journal(revision);
    let seq = 0;
    const hooks: Journal = {
      started: (id, action) => journal.append({ type: 'started', seq: ++seq, id, action }),
      finished: (id, result, resource, error) =>
        journal.append({
          type: 'finished',
          seq: ++seq,
          id,
          result,
          ...(resource ? { resource: asStateResources([resource])[0] } : {}),
          ...(error ? { error } : {}),
        }),
    };
    const stopSignal = AbortSignal.any(
      [leaseLost.signal, input.stopSignal].filter((s): s is AbortSignal => s !== undefined),
    );
    let execution: ExecuteResult;
    try {
      execution = await executePlan({
        changes: plan.changes,
        spec: input.desired,
        prior,
        runtimeFor: input.runtimeFor,
        journal: hooks,
        onEvent: input.onEvent,
        stopSignal,
        ...(input.abortSignal ? { abortSignal: input.abortSignal } : {}),
        ...(input.parallelism ? { parallelism: input.parallelism } : {}),
        ...(input.watch === undefined ? {} : { watch: input.watch }),
        ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
        ...(input.forceConflicts ? { forceConflicts: true } : {}),
        ...(input.derive ? { derive: input.derive } : {}),
        ...(input.resolveSecrets ? { resolveSecrets: input.resolveSecrets } : {}),
      });
    } catch (error) {
      const replayed = replayJournal({ resources: asStateResources(prior) }, await journal.read());
      await store.update({ ...release, phase: 'failed', state: replayed.state, modifiedTime: now() });
      await journal.clear();
      throw error;
    }
    const failed =
      execution.outcomes.some((o) => o.status === 'failed' || o.status === 'skipped') ||
      execution.interrupted ||
      leaseLost.signal.aborted;
    const retained = new Set(plan.changes.filter((c) => c.notes.includes('retained')).map((c) => c.id));
    const state = input.forgetRetained ? execution.state.filter((r) => !retained.has(r.id)) : execution.state;
    const phase = failed ? 'failed' : 'succeeded';
    await store.update({
      ...release,
      phase,
      state: { resources: asStateResources(state) },
      modifiedTime: now(),
    });
    await journal.clear();
    if (leaseLost.signal.aborted) {
      throw new KusionError(
        Codes.leaseLost,
        `the lock lease was lost during the run: ${toKusionError(leaseLost.signal.reason).message}`,
        { cause: leaseLost.signal.reason },
      );
    }
    return { plan, revision, baseRevision, phase, declined: false, execution, planDigest };
  } finally {
    clearInterval(renewal);
    // A renewal still in flight would move the record from under the release, leaving the lock behind.
    await renewing;
    await store.lock.release(lock).catch(() => undefined);
  }
}

/** The state digest a plan was made against: the digest of the prior state's resources. */
export function stateDigestOf(prior: readonly Resource[]): string {
  return digestOf({ resources: prior } as unknown as JsonObject);
}

/** A saved plan applies only to the state it was made against (SPEC §10.4). */
function checkSavedPlan(
  saved: NonNullable<ReleaseRunInput['savedPlan']>,
  baseRevision: number,
  prior: readonly Resource[],
): Plan {
  if (saved.baseRevision !== baseRevision) {
    throw new KusionError(
      Codes.planStale,
      `the plan was made against revision ${saved.baseRevision}, but the latest revision is ${baseRevision}`,
      { hints: ['run preview --out again and apply the new plan'] },
    );
  }
  if (saved.stateDigest !== stateDigestOf(prior)) {
    throw new KusionError(Codes.planStale, 'the state changed since the plan was made', {
      hints: ['run preview --out again and apply the new plan'],
    });
  }
  return saved.plan;
}

function planWith(
  input: ReleaseRunInput,
  prior: readonly Resource[],
  latest: Release | undefined,
): Promise<Plan> {
  const applied = appliedResourcesOf(latest);
  return planChanges({
    spec: input.desired,
    prior,
    ...(applied ? { applied } : {}),
    runtimeFor: input.runtimeFor,
    ...(input.ignoreFields ? { ignoreFields: input.ignoreFields } : {}),
    ...(input.parallelism ? { parallelism: input.parallelism } : {}),
    ...(input.derive ? { derive: input.derive } : {}),
    ...(input.resolveSecrets ? { resolveSecrets: input.resolveSecrets } : {}),
    ...(input.stopSignal ? { signal: input.stopSignal } : {}),
    ...(input.forceConflicts ? { forceConflicts: true } : {}),
  });
}

/**
 * Reads a resource live, as state records it: the record, `null` when it does not exist, or `undefined`
 * when its runtime cannot tell (the replayed record then stands).
 */
export type RereadLive = (resource: StateResource) => Promise<StateResource | null | undefined>;

/**
 * Live reads through the runtimes, for resources a dead run left uncertain. Terraform resources are left
 * as replayed: their unit's OpenTofu state, not a live read, is what the next plan starts from.
 */
export function rereadWith(runtimeFor: (type: Resource['type']) => Runtime): RereadLive {
  return async (resource) => {
    if (resource.type === 'Terraform') return undefined;
    const runtime = runtimeFor(resource.type as Resource['type']);
    const [planned] = asResources([resource]);
    if (!planned) return undefined;
    const live = runtime.import
      ? (await runtime.import(planned, undefined))?.attributes
      : await runtime.read(planned);
    // An object being deleted counts as gone: the delete that was in flight has landed.
    if (!live || (live['metadata'] as { deletionTimestamp?: unknown } | undefined)?.deletionTimestamp)
      return null;
    return { ...resource, attributes: live as StateResource['attributes'] };
  };
}

/**
 * A latest release still in a running phase belongs to a run that died: replay its journal into its
 * state, mark it failed, and carry on from there (SPEC §9.3 takeover, §9.4). With `reread`, resources the
 * journal shows started but not finished are re-read from live, so state records what exists: a create
 * that reached the cluster is kept (else a resource leaving the spec next would be orphaned), an update's
 * or delete's outcome replaces the stale record.
 */
export async function recoverCrashedRun(
  store: ReleaseStore,
  clock: Clock,
  reread?: RereadLive,
): Promise<Release | undefined> {
  const latest = await store.latest();
  if (!latest || latest.phase === 'succeeded' || latest.phase === 'failed') return latest;
  const journal = store.journal(latest.revision);
  const replayed = replayJournal(latest.state, await journal.read());
  const recovered: Release = {
    ...latest,
    phase: 'failed',
    state: reread ? await settleUncertain(latest, replayed, reread) : replayed.state,
    modifiedTime: clock.now().toISOString(),
  };
  await store.update(recovered);
  await journal.clear();
  return recovered;
}

/** The replayed state with every uncertain resource re-read from live (found in state, else in the spec). */
async function settleUncertain(
  latest: Release,
  replayed: ReturnType<typeof replayJournal>,
  reread: RereadLive,
): Promise<Release['state']> {
  const resources = new Map(replayed.state.resources.map((r) => [r.id, r]));
  const specified = new Map(
    asStateResources(latest.spec.resources as unknown as Resource[]).map((r) => [r.id, r]),
  );
  for (const id of replayed.uncertain) {
    const known = resources.get(id) ?? specified.get(id);
    const live = known && (await reread(known));
    if (live === null) resources.delete(id);
    else if (live) resources.set(id, live);
  }
  return { resources: [...resources.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}
