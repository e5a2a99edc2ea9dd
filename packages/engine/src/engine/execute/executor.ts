import pLimit from 'p-limit';
import { Codes, KusionError, toKusionError } from '../../errors/index.js';
import type { JsonObject, Resource } from '../../model/index.js';
import { compileHealthPolicy, type HealthPolicy } from '../../policy/index.js';
import { type Action, StaleWriteError } from '../../runtimes/port.js';
import type { PlannedChange } from '../plan/plan.js';
import { resolveReferences } from '../references.js';
import { partitionUnits } from '../units.js';
import type { ExecutionContext } from './context.js';
import { runDeletions } from './deletions.js';
import { waitUntilReady } from './readiness-wait.js';
import { trailingJournal } from './trailing-journal.js';
import type { ExecuteInput, ExecuteResult, ResourceOutcome, ResourceStatus } from './types.js';
import { runUnitStep } from './unit-step.js';

export type {
  ExecuteInput,
  ExecuteResult,
  Journal,
  ResourceEvent,
  ResourceOutcome,
  ResourceStatus,
} from './types.js';

/**
 * Executes a plan as a dependency graph (SPEC §11.2): a resource starts when its dependencies finished
 * (and are ready when watching); failures skip dependents while independent branches go on; at most
 * `parallelism` runtime operations run at once. Deletions run after, dependents first.
 */
export async function executePlan(input: ExecuteInput): Promise<ExecuteResult> {
  const journal = trailingJournal(input.journal);
  try {
    return await executeGraph({ ...input, journal });
  } finally {
    await journal.settle();
  }
}

async function executeGraph(input: ExecuteInput): Promise<ExecuteResult> {
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
    for (const d of deps) {
      // push, not a spread copy: a namespace with thousands of dependents stays linear
      const list = dependents.get(d);
      if (list) list.push(change.id);
      else dependents.set(d, [change.id]);
    }
  }

  const skipDependents = (id: string, reason: string) => {
    for (const dependent of dependents.get(id) ?? []) {
      if (outcomes.has(dependent)) continue;
      const action = changes.get(dependent)?.action ?? 'Create';
      finish({ id: dependent, action, status: 'skipped', ready: false }, reason);
      skipDependents(dependent, reason);
    }
  };

  /**
   * `started` entries are appended when a resource becomes runnable, while it may still wait for a slot,
   * so the slot is not spent waiting for the entry's sync; the runtime call still waits until it is durable.
   */
  const startedEntries = new Map<string, Promise<void>>();
  const journalStarted = (change: PlannedChange) => {
    const write = input.journal.started(change.id, change.action);
    write.catch(() => undefined); // awaited, and its failure handled, by runUpsert
    startedEntries.set(change.id, write);
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
    await (startedEntries.get(change.id) ?? input.journal.started(change.id, change.action));
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
      // The runtime applies exactly what the preview showed: it refuses (KUS8001) an object that moved
      // since, so nothing is planned twice.
      let result = await runtime.apply(
        planned,
        { action: change.action, predicted: null, live: null, liveVersion: change.liveVersion, notes: [] },
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
        // State keeps the object the verdict was made on (SPEC §11.3: after readiness when watching).
        const live = readiness.object ?? (await runtime.read(result, options));
        if (readiness.object) result = { ...result, attributes: readiness.object };
        else if (live)
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
      // A stale write still happened: state records the object as it now is.
      const written = error instanceof StaleWriteError ? error.applied : undefined;
      if (written) {
        state.set(change.id, written);
        applied.set(change.id, written.attributes);
      }
      await input.journal.finished(change.id, 'failed', written, {
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

  const ctx: ExecutionContext = {
    input,
    byId,
    specIds,
    changes,
    state,
    applied,
    outcomes,
    finish,
    emit,
    skipDependents,
    stop,
    timedOut: () => deadline?.aborted ?? false,
    limit,
    ...(callSignal ? { callSignal } : {}),
  };
  const nodes = upsertNodes(input, upserts);
  await new Promise<void>((resolve, reject) => {
    if (upserts.length === 0) resolve();
    const runNode = async (node: SchedulingNode) => {
      const pending = node.changes.filter((c) => !outcomes.has(c.id));
      if (pending.length === 0) return;
      if (node.unit) await runUnitStep(ctx, pending);
      else if (!(await runUpsert(pending[0] as PlannedChange)))
        skipDependents(node.key, `dependency failed: ${node.key}`);
    };
    const start = (node: SchedulingNode) => {
      if (!node.unit && !stop.aborted)
        for (const change of node.changes) if (change.action !== 'UnChanged') journalStarted(change);
      limit(() => runNode(node))
        .then(() => {
          for (const dependent of node.dependents) {
            dependent.waitingOn -= 1;
            if (dependent.waitingOn === 0 && dependent.changes.some((c) => !outcomes.has(c.id)))
              start(dependent);
          }
          if (upsertsSettled === upserts.length) resolve();
        })
        .catch(reject);
    };
    for (const node of nodes) if (node.waitingOn === 0) start(node);
  });

  await runDeletions(ctx);
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

/** The compiled `healthPolicy` extension of a resource; generate already rejected ones that do not compile. */
function healthPolicyOf(resource: Resource): HealthPolicy | undefined {
  const cel = (resource.extensions?.['healthPolicy'] as { cel?: string | string[] } | undefined)?.cel;
  if (cel === undefined) return undefined;
  const compiled = compileHealthPolicy(cel);
  return 'policy' in compiled ? compiled.policy : undefined;
}

/** What the scheduler starts: one resource, or a Terraform unit whose members run in one runtime call. */
interface SchedulingNode {
  readonly key: string;
  readonly unit: boolean;
  readonly changes: readonly PlannedChange[];
  readonly dependents: SchedulingNode[];
  waitingOn: number;
}

/** Upserts as scheduling nodes, with node-level dependency counts: O(V+E). */
function upsertNodes(input: ExecuteInput, upserts: readonly PlannedChange[]): SchedulingNode[] {
  const byId = new Map(input.spec.resources.map((r) => [r.id, r]));
  const upsertIds = new Map(upserts.map((c) => [c.id, c]));
  const nodeOf = new Map<string, SchedulingNode>();
  const nodes: SchedulingNode[] = [];
  const add = (key: string, unit: boolean, changes: PlannedChange[]) => {
    const node: SchedulingNode = { key, unit, changes, dependents: [], waitingOn: 0 };
    nodes.push(node);
    for (const change of changes) nodeOf.set(change.id, node);
  };
  for (const unit of partitionUnits(input.spec.resources)) {
    const members = unit.members.filter((id) => upsertIds.has(id));
    if (members.length > 0)
      add(
        `unit:${unit.name}`,
        true,
        members.map((id) => upsertIds.get(id) as PlannedChange),
      );
  }
  for (const change of upserts) if (!nodeOf.has(change.id)) add(change.id, false, [change]);
  for (const node of nodes) {
    const dependencies = new Set<SchedulingNode>();
    for (const change of node.changes) {
      for (const dependency of byId.get(change.id)?.dependsOn ?? []) {
        const from = upsertIds.has(dependency) ? nodeOf.get(dependency) : undefined;
        if (from && from !== node) dependencies.add(from);
      }
    }
    node.waitingOn = dependencies.size;
    for (const dependency of dependencies) dependency.dependents.push(node);
  }
  return nodes;
}
