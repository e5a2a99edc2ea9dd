import { Codes, KusionError, toKusionError } from '../../errors/index.js';
import type { Resource } from '../../model/index.js';
import { isUnitRuntime, type UnitOutcome } from '../../runtimes/port.js';
import type { PlannedChange } from '../plan/plan.js';
import { resolveReferences } from '../references.js';
import { callOptions, type ExecutionContext } from './context.js';

/**
 * Runs one Terraform unit (SPEC §13.2): its changed members in one runtime call, the unchanged ones as
 * context for references between members. Each member is journaled and reported on its own; a failed
 * member skips its dependents, inside the unit (OpenTofu does not apply them) and outside.
 */
export async function runUnitStep(ctx: ExecutionContext, pending: readonly PlannedChange[]): Promise<void> {
  // Unchanged members Kusion has not recorded yet (observed ones to import once, ones to adopt) run too:
  // a no-op for OpenTofu, and their attributes reach the state, so references can read them.
  const adopting = (c: PlannedChange) => c.action === 'UnChanged' && !ctx.state.has(c.id);
  const targets = pending.filter((c) => c.action !== 'UnChanged' || adopting(c));
  const targeted = new Set(targets);
  const unchanged = pending.filter((c) => !targeted.has(c));
  if (targets.length > 0 && ctx.stop.aborted) {
    for (const change of targets)
      ctx.finish(
        { id: change.id, action: change.action, status: 'skipped', ready: false },
        ctx.timedOut() ? 'timeout reached' : 'interrupted',
      );
  } else if (targets.length > 0) {
    await applyTargets(ctx, pending, targets);
  }
  for (const change of unchanged) {
    if (!ctx.outcomes.has(change.id))
      ctx.finish({ id: change.id, action: change.action, status: 'unchanged', ready: true });
  }
}

async function applyTargets(
  ctx: ExecutionContext,
  pending: readonly PlannedChange[],
  targets: readonly PlannedChange[],
): Promise<void> {
  const { input } = ctx;
  const runtime = input.runtimeFor('Terraform');
  for (const change of targets) ctx.emit(change.id, change.action, 'running');
  // Together, so that a group-committing journal syncs them once.
  await Promise.all(targets.map((change) => input.journal.started(change.id, change.action)));
  let outcomes: readonly UnitOutcome[];
  try {
    if (!isUnitRuntime(runtime))
      throw new KusionError(Codes.internal, 'the Terraform runtime cannot run units');
    const keep = new Set(pending.map((c) => c.id));
    const members = await Promise.all(
      pending.map((c) => resolveMember(ctx, ctx.byId.get(c.id) as Resource, keep)),
    );
    const actionOf = new Map(targets.map((c) => [c.id, c.action]));
    outcomes = await runtime.applyUnit(members, new Set(actionOf.keys()), {
      ...callOptions(ctx),
      onProgress: (id, message) => ctx.emit(id, actionOf.get(id) ?? 'Update', 'running', message),
    });
  } catch (error) {
    const coded = toKusionError(error);
    outcomes = targets.map((c) => ({ id: c.id, status: 'failed', error: coded }));
  }
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  for (const change of pending) {
    const outcome = byId.get(change.id);
    if (outcome?.resource) ctx.applied.set(change.id, outcome.resource.attributes);
  }
  for (const change of targets) {
    const outcome = byId.get(change.id);
    if (ctx.outcomes.has(change.id)) continue;
    if (outcome?.status === 'succeeded' && outcome.resource) {
      ctx.state.set(change.id, outcome.resource);
      await input.journal.finished(change.id, 'succeeded', outcome.resource);
      const status = change.action === 'UnChanged' ? 'unchanged' : 'succeeded';
      ctx.finish({ id: change.id, action: change.action, status, ready: true });
      continue;
    }
    const error = outcome?.error
      ? { code: outcome.error.code, message: outcome.error.message }
      : {
          code: Codes.terraformDiagnostic,
          message: `${change.id}: not applied: a resource it depends on failed`,
        };
    await input.journal.finished(change.id, 'failed', undefined, error);
    if (outcome?.status === 'failed')
      ctx.finish({ id: change.id, action: change.action, status: 'failed', ready: false, error });
    else
      ctx.finish(
        { id: change.id, action: change.action, status: 'skipped', ready: false },
        'dependency failed',
      );
    ctx.skipDependents(change.id, `dependency failed: ${change.id}`);
  }
}

/** Secrets and references resolved, except references to other members: the runtime writes those natively. */
async function resolveMember(
  ctx: ExecutionContext,
  resource: Resource,
  keep: ReadonlySet<string>,
): Promise<Resource> {
  const { input } = ctx;
  const source = input.resolveSecrets ? await input.resolveSecrets(resource, ctx.callSignal) : resource;
  return {
    ...source,
    attributes: resolveReferences(source.attributes, {
      applied: ctx.applied,
      ids: ctx.specIds,
      strict: true,
      keep,
      resourceId: resource.id,
      ...(input.derive ? { derive: input.derive } : {}),
    }).value,
  };
}
