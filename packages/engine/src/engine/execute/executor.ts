import pLimit from 'p-limit';
import { Codes, isKusionError, KusionError, toKusionError } from '../../errors/index.js';
import type { JsonObject, Resource, Spec } from '../../model/index.js';
import { compileHealthPolicy, type HealthPolicy } from '../../policy/index.js';
import type { Action, Runtime } from '../../runtimes/port.js';
import type { PlannedChange } from '../plan/plan.js';
import { resolveReferences } from '../references.js';
import { waitUntilReady } from './readiness-wait.js';

/** Where a resource stands during and after execution (SPEC §11.5). */
export type ResourceStatus =
  | 'pending'
  | 'running'
  | 'waiting'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'unchanged';

export interface ResourceOutcome {
  readonly id: string;
  readonly action: Action;
  readonly status: ResourceStatus;
  readonly ready: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

/** Progress the host renders: one event per transition. */
export interface ResourceEvent {
  readonly id: string;
  readonly action: Action;
  readonly status: ResourceStatus;
  /** Why: `2/3 available`, the error message, `dependency failed: <id>`. */
  readonly message?: string;
}

/** Per-resource journal hooks: one append before and one after each runtime call (SPEC §9.4). */
export interface Journal {
  started(id: string, action: Action): Promise<void>;
  finished(
    id: string,
    outcome: 'succeeded' | 'failed',
    resource?: Resource,
    error?: { code: string; message: string },
  ): Promise<void>;
}

export interface ExecuteInput {
  readonly changes: readonly PlannedChange[];
  readonly spec: Spec;
  readonly prior: readonly Resource[];
  readonly runtimeFor: (type: Resource['type']) => Runtime;
  readonly journal: Journal;
  readonly onEvent: (event: ResourceEvent) => void;
  /** @default 16 */
  readonly parallelism?: number;
  /** Wait for readiness before dependents start. @default true */
  readonly watch?: boolean;
  /** Execution plus watching. 0 = none. */
  readonly timeoutMs?: number;
  /** Stop scheduling new work (first SIGINT, timeout); in-flight calls finish. */
  readonly stopSignal?: AbortSignal;
  /** Abort in-flight calls too (second SIGINT). */
  readonly abortSignal?: AbortSignal;
  readonly forceConflicts?: boolean;
  readonly derive?: (label: string, length: number) => string;
  /** Resolves `ref://` values and marks reference paths sensitive (secrets/resolve.ts), before `$kusion_path`. */
  readonly resolveSecrets?: (resource: Resource, signal?: AbortSignal) => Promise<Resource>;
  /** Before writing, check the live version still matches what the plan saw (KUS8001). */
  readonly checkLiveVersion?: boolean;
}

export interface ExecuteResult {
  readonly outcomes: readonly ResourceOutcome[];
  /** The state after execution: what exists, as Kusion last observed it. */
  readonly state: readonly Resource[];
  readonly timedOut: boolean;
  readonly interrupted: boolean;
}

/**
 * Executes a plan as a dependency graph (SPEC §11.2): a resource starts when its dependencies finished
 * (and are ready when watching); failures skip dependents while independent branches go on; at most
 * `parallelism` runtime operations run at once. Deletions run after, dependents first.
 */
export async function executePlan(input: ExecuteInput): Promise<ExecuteResult> {
  const limit = pLimit(input.parallelism ?? 16);
  const watch = input.watch ?? true;
  const deadline = input.timeoutMs ? AbortSignal.timeout(input.timeoutMs) : undefined;
  const stop = AbortSignal.any([input.stopSignal, deadline].filter((s): s is AbortSignal => s !== undefined));
  const callSignal = input.abortSignal;
  const byId = new Map(input.spec.resources.map((r) => [r.id, r]));
  const specIds = new Set(byId.keys());
  const changes = new Map(input.changes.map((c) => [c.id, c]));
  const state = new Map(input.prior.map((r) => [r.id, r]));
  const applied = new Map<string, JsonObject>(input.prior.map((r) => [r.id, r.attributes]));
  const outcomes = new Map<string, ResourceOutcome>();
  const emit = (id: string, action: Action, status: ResourceStatus, message?: string) =>
    input.onEvent({ id, action, status, ...(message ? { message } : {}) });

  let upsertsSettled = 0;
  const finish = (outcome: ResourceOutcome, message?: string) => {
    if (outcome.action !== 'Delete') upsertsSettled += 1;
    outcomes.set(outcome.id, outcome);
    emit(outcome.id, outcome.action, outcome.status, message ?? outcome.error?.message);
  };

  const upserts = input.changes.filter((c) => c.action !== 'Delete');
  const dependents = new Map<string, string[]>();
  const waitingOn = new Map<string, number>();
  for (const change of upserts) {
    const deps = (byId.get(change.id)?.dependsOn ?? []).filter(
      (d) => changes.has(d) && changes.get(d)?.action !== 'Delete',
    );
    waitingOn.set(change.id, deps.length);
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), change.id]);
  }

  const skipDependents = (id: string, reason: string) => {
    for (const dependent of dependents.get(id) ?? []) {
      if (outcomes.has(dependent)) continue;
      const action = changes.get(dependent)?.action ?? 'Create';
      finish({ id: dependent, action, status: 'skipped', ready: false }, reason);
      skipDependents(dependent, reason);
    }
  };

  const runUpsert = async (change: PlannedChange): Promise<boolean> => {
    const resource = byId.get(change.id) as Resource;
    if (change.action === 'UnChanged') {
      if (!state.has(change.id) && change.notes.includes('imported') === false) {
        const live = await input
          .runtimeFor(resource.type)
          .read(resource, callSignal ? { signal: callSignal } : {});
        if (live) {
          state.set(change.id, { ...resource, attributes: live });
          applied.set(change.id, live);
        }
      }
      finish({ id: change.id, action: change.action, status: 'unchanged', ready: true });
      return true;
    }
    if (stop.aborted) {
      finish(
        { id: change.id, action: change.action, status: 'skipped', ready: false },
        deadline?.aborted ? 'timeout reached' : 'interrupted',
      );
      return false;
    }
    emit(change.id, change.action, 'running');
    const runtime = input.runtimeFor(resource.type);
    const options = callSignal ? { signal: callSignal } : {};
    await input.journal.started(change.id, change.action);
    try {
      const source = input.resolveSecrets ? await input.resolveSecrets(resource, callSignal) : resource;
      const planned = {
        ...source,
        attributes: resolveReferences(source.attributes, {
          applied,
          ids: specIds,
          strict: true,
          resourceId: change.id,
          ...(input.derive ? { derive: input.derive } : {}),
        }).value,
      };
      const plan = await runtime.plan(state.get(change.id), planned, options);
      if (input.checkLiveVersion && plan.liveVersion !== change.liveVersion) {
        throw new KusionError(
          Codes.planStale,
          `${change.id} changed since the plan was made (live version ${change.liveVersion ?? 'absent'} → ${plan.liveVersion ?? 'absent'})`,
          {
            location: change.id,
            hints: ['run preview again and apply the new plan'],
          },
        );
      }
      let result = await runtime.apply(
        planned,
        { ...plan, action: change.action === 'Replace' ? 'Replace' : plan.action },
        { ...options, force: input.forceConflicts === true },
      );
      if (watch) {
        emit(change.id, change.action, 'waiting');
        const healthPolicy = healthPolicyOf(resource);
        const readiness = await waitUntilReady(runtime, result, {
          stop,
          ...(healthPolicy ? { healthPolicy } : {}),
          ...(callSignal ? { signal: callSignal } : {}),
          onProgress: (message) => emit(change.id, change.action, 'waiting', message),
        });
        if (readiness.state !== 'ready') {
          const code = readiness.state === 'failed' ? Codes.rejectedByApiServer : Codes.notReadyBeforeTimeout;
          const reasons = runtime.explain ? await runtime.explain(result, options).catch(() => []) : [];
          throw new KusionError(
            code,
            `${change.id} is not ready: ${[readiness.message, ...reasons].join('; ')}`,
            {
              location: change.id,
              source: 'external',
            },
          );
        }
        const live = await runtime.read(result, options);
        if (live)
          result = {
            ...result,
            attributes: { ...result.attributes, status: (live['status'] ?? {}) as JsonObject },
          };
      }
      state.set(change.id, result);
      applied.set(change.id, result.attributes);
      await input.journal.finished(change.id, 'succeeded', result);
      finish({ id: change.id, action: change.action, status: 'succeeded', ready: true });
      return true;
    } catch (error) {
      const coded = toKusionError(error);
      await input.journal.finished(change.id, 'failed', undefined, {
        code: coded.code,
        message: coded.message,
      });
      finish({
        id: change.id,
        action: change.action,
        status: 'failed',
        ready: false,
        error: { code: coded.code, message: coded.message },
      });
      return false;
    }
  };

  await new Promise<void>((resolve, reject) => {
    if (upserts.length === 0) resolve();
    const start = (change: PlannedChange) => {
      limit(() => runUpsert(change))
        .then((ok) => {
          if (!ok) skipDependents(change.id, `dependency failed: ${change.id}`);
          else
            for (const dependent of dependents.get(change.id) ?? []) {
              const left = (waitingOn.get(dependent) ?? 1) - 1;
              waitingOn.set(dependent, left);
              const next = changes.get(dependent);
              if (left === 0 && next && !outcomes.has(dependent)) start(next);
            }
          if (upsertsSettled === upserts.length) resolve();
        })
        .catch(reject);
    };
    for (const change of upserts) if ((waitingOn.get(change.id) ?? 0) === 0) start(change);
  });

  await runDeletions(input, {
    state,
    outcomes,
    finish,
    emit,
    stop,
    limit,
    ...(callSignal ? { callSignal } : {}),
  });
  const ordered = input.changes.map(
    (c) => outcomes.get(c.id) ?? { id: c.id, action: c.action, status: 'skipped' as const, ready: false },
  );
  return {
    outcomes: ordered,
    state: [...state.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    timedOut: deadline?.aborted ?? false,
    interrupted: input.stopSignal?.aborted ?? false,
  };
}

interface DeletionContext {
  readonly state: Map<string, Resource>;
  readonly outcomes: Map<string, ResourceOutcome>;
  readonly finish: (outcome: ResourceOutcome, message?: string) => void;
  readonly emit: (id: string, action: Action, status: ResourceStatus, message?: string) => void;
  readonly stop: AbortSignal;
  readonly limit: ReturnType<typeof pLimit>;
  readonly callSignal?: AbortSignal;
}

/** Deletions in plan order (dependents first), one wave at a time so a dependency outlives its users. */
async function runDeletions(input: ExecuteInput, ctx: DeletionContext): Promise<void> {
  const deletions = input.changes.filter((c) => c.action === 'Delete');
  const deleting = new Set(deletions.map((d) => d.id));
  const usersOf = new Map<string, string[]>();
  for (const id of deleting) {
    for (const dependency of ctx.state.get(id)?.dependsOn ?? []) {
      if (deleting.has(dependency)) usersOf.set(dependency, [...(usersOf.get(dependency) ?? []), id]);
    }
  }
  const done = new Set<string>();
  const failedIds = new Set<string>();
  let remaining = deletions;
  while (remaining.length > 0) {
    const wave = remaining.filter((d) => (usersOf.get(d.id) ?? []).every((u) => done.has(u)));
    if (wave.length === 0) break;
    await Promise.all(
      wave.map((change) =>
        ctx.limit(async () => {
          const prior = ctx.state.get(change.id);
          const blockedBy = (usersOf.get(change.id) ?? []).find((u) => failedIds.has(u));
          if (!prior || ctx.stop.aborted || blockedBy) {
            ctx.finish(
              { id: change.id, action: 'Delete', status: 'skipped', ready: false },
              blockedBy ? `dependency failed: ${blockedBy}` : 'interrupted',
            );
            failedIds.add(change.id);
            return;
          }
          if (change.notes.includes('retained') || change.notes.some((n) => n.startsWith('imported'))) {
            ctx.state.delete(change.id);
            ctx.finish(
              { id: change.id, action: 'Delete', status: 'succeeded', ready: true },
              change.notes[0],
            );
            return;
          }
          ctx.emit(change.id, 'Delete', 'running');
          await input.journal.started(change.id, 'Delete');
          try {
            await input.runtimeFor(prior.type).delete(prior, {
              wait: input.watch ?? true,
              ...(ctx.callSignal ? { signal: ctx.callSignal } : {}),
            });
            ctx.state.delete(change.id);
            await input.journal.finished(change.id, 'succeeded');
            ctx.finish({ id: change.id, action: 'Delete', status: 'succeeded', ready: true });
          } catch (error) {
            const coded = isKusionError(error) ? error : toKusionError(error);
            failedIds.add(change.id);
            await input.journal.finished(change.id, 'failed', undefined, {
              code: coded.code,
              message: coded.message,
            });
            ctx.finish({
              id: change.id,
              action: 'Delete',
              status: 'failed',
              ready: false,
              error: { code: coded.code, message: coded.message },
            });
          }
        }),
      ),
    );
    for (const change of wave) done.add(change.id);
    remaining = remaining.filter((d) => !done.has(d.id));
  }
}

/** The compiled `healthPolicy` extension of a resource; generate already rejected ones that do not compile. */
function healthPolicyOf(resource: Resource): HealthPolicy | undefined {
  const cel = (resource.extensions?.['healthPolicy'] as { cel?: string | string[] } | undefined)?.cel;
  if (cel === undefined) return undefined;
  const compiled = compileHealthPolicy(cel);
  return 'policy' in compiled ? compiled.policy : undefined;
}
