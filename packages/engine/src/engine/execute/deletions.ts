import { Codes, toKusionError } from '../../errors/index.js';
import type { Resource } from '../../model/index.js';
import { isUnitRuntime, type UnitOutcome } from '../../runtimes/port.js';
import type { PlannedChange } from '../plan/plan.js';
import { partitionUnits } from '../units.js';
import { callOptions, type ExecutionContext } from './context.js';

/**
 * Deletions after the upserts, one wave at a time so that a resource outlives its users (SPEC §11.2).
 * Terraform deletions of one unit go in one runtime call; OpenTofu orders them itself.
 */
export async function runDeletions(ctx: ExecutionContext): Promise<void> {
  const deletions = ctx.input.changes.filter((c) => c.action === 'Delete');
  if (deletions.length === 0) return;
  const deleting = new Map(deletions.map((d) => [d.id, d]));
  const nodeOf = new Map<string, string>();
  const nodes = new Map<string, PlannedChange[]>();
  const priors = deletions
    .map((d) => ctx.state.get(d.id))
    .filter((r): r is Resource => r !== undefined)
    .map((r) => ({ ...r, dependsOn: (r.dependsOn ?? []).filter((d) => deleting.has(d)) }));
  if (priors.some((r) => r.type === 'Terraform') && isUnitRuntime(ctx.input.runtimeFor('Terraform'))) {
    for (const unit of partitionUnits(priors)) {
      const key = `unit:${unit.name}`;
      nodes.set(
        key,
        unit.members.map((id) => deleting.get(id) as PlannedChange),
      );
      for (const id of unit.members) nodeOf.set(id, key);
    }
  }
  for (const change of deletions) {
    if (nodeOf.has(change.id)) continue;
    nodeOf.set(change.id, change.id);
    nodes.set(change.id, [change]);
  }
  const usersOf = new Map<string, Set<string>>();
  for (const id of deleting.keys()) {
    for (const dependency of ctx.state.get(id)?.dependsOn ?? []) {
      const from = nodeOf.get(dependency);
      const user = nodeOf.get(id) as string;
      if (from && from !== user) usersOf.set(from, (usersOf.get(from) ?? new Set()).add(user));
    }
  }
  const failedIds = new Set<string>();
  const done = new Set<string>();
  let remaining = [...nodes.keys()];
  while (remaining.length > 0) {
    const wave = remaining.filter((node) => [...(usersOf.get(node) ?? [])].every((u) => done.has(u)));
    if (wave.length === 0) break;
    await Promise.all(
      wave.map((node) => ctx.limit(() => deleteNode(ctx, nodes.get(node) as PlannedChange[], failedIds))),
    );
    for (const node of wave) done.add(node);
    remaining = remaining.filter((node) => !done.has(node));
  }
}

/** Settles what needs no runtime call, then deletes the rest: one call per unit, or one per resource. */
async function deleteNode(
  ctx: ExecutionContext,
  members: readonly PlannedChange[],
  failedIds: Set<string>,
): Promise<void> {
  const toDelete: Resource[] = [];
  for (const change of members) {
    const prior = ctx.state.get(change.id);
    const blockedBy = [...failedIds].find((f) => ctx.state.get(f)?.dependsOn?.includes(change.id));
    if (!prior || ctx.stop.aborted || blockedBy) {
      ctx.finish(
        { id: change.id, action: 'Delete', status: 'skipped', ready: false },
        blockedBy ? `dependency failed: ${blockedBy}` : 'interrupted',
      );
      failedIds.add(change.id);
    } else if (change.notes.includes('retained') || change.notes.some((n) => n.startsWith('imported'))) {
      ctx.state.delete(change.id);
      ctx.finish({ id: change.id, action: 'Delete', status: 'succeeded', ready: true }, change.notes[0]);
    } else {
      toDelete.push(prior);
    }
  }
  if (toDelete.length === 0) return;
  for (const prior of toDelete) {
    ctx.emit(prior.id, 'Delete', 'running');
    await ctx.input.journal.started(prior.id, 'Delete');
  }
  const outcomes = await deleteAll(ctx, toDelete);
  for (const outcome of outcomes) {
    if (outcome.status === 'succeeded') {
      ctx.state.delete(outcome.id);
      await ctx.input.journal.finished(outcome.id, 'succeeded');
      ctx.finish({ id: outcome.id, action: 'Delete', status: 'succeeded', ready: true });
      continue;
    }
    failedIds.add(outcome.id);
    const error = outcome.error
      ? { code: outcome.error.code, message: outcome.error.message }
      : { code: Codes.terraformDiagnostic, message: `${outcome.id}: not deleted` };
    await ctx.input.journal.finished(outcome.id, 'failed', undefined, error);
    ctx.finish({ id: outcome.id, action: 'Delete', status: 'failed', ready: false, error });
  }
}

async function deleteAll(
  ctx: ExecutionContext,
  priors: readonly Resource[],
): Promise<readonly UnitOutcome[]> {
  const first = priors[0] as Resource;
  const runtime = ctx.input.runtimeFor(first.type);
  try {
    if (priors.length > 1 && isUnitRuntime(runtime))
      return await runtime.deleteUnit(priors, callOptions(ctx));
    await runtime.delete(first, { wait: ctx.input.watch ?? true, ...callOptions(ctx) });
    return [{ id: first.id, status: 'succeeded' }];
  } catch (error) {
    const coded = toKusionError(error);
    return priors.map((p) => ({ id: p.id, status: 'failed', error: coded }));
  }
}
