/**
 * `kusion release rollback --revision N` (SPEC §15): revision N's recorded spec and module versions
 * (modules are not re-run), planned against the current state and live infrastructure exactly like apply,
 * judged by the workspace policies, guarded against data loss, and executed as a new revision with
 * `source: {kind: rollback, fromRevision: N}`. Derived secrets stay stable: same workspace seed.
 */

import type { Plan } from '../engine/plan/plan.js';
import { type DataLossRisk, dataLossRisks } from '../engine/run/data-loss.js';
import { runRelease } from '../engine/run/release-run.js';
import { Codes, KusionError } from '../errors/index.js';
import type { Spec } from '../model/index.js';
import { digestView } from '../secrets/index.js';
import { systemClock } from './backend.js';
import type { PlanContext } from './plan-context.js';
import { deniedByPolicy, evaluateRunPolicies, type PolicyReport } from './policy.js';
import { type ApplyOptions, type ApplyResult, contextOf, policyOptions } from './stack-operations.js';
import { openStackRun } from './stack-run.js';

export type { DataLossRisk };

/** What a rollback's confirmation is shown. */
export interface RollbackContext extends PlanContext {
  readonly revision: number;
  readonly fromRevision: number;
  /** Delete and Replace steps that lose data; non-empty only with `allowDestructive`. */
  readonly risks: readonly DataLossRisk[];
}

export interface RollbackOptions
  extends Omit<
    ApplyOptions,
    'confirm' | 'planFile' | 'specFile' | 'dryRun' | 'args' | 'stateOnly' | 'forgetRetained' | 'fromRevision'
  > {
  /** The succeeded revision to return to. */
  readonly revision: number;
  /** `--allow-destructive`: accept data-loss steps (still confirmed). @default false */
  readonly allowDestructive?: boolean;
  readonly confirm: (plan: Plan, context: RollbackContext) => Promise<boolean>;
}

export interface RollbackResult extends ApplyResult {
  readonly fromRevision: number;
  readonly risks: readonly DataLossRisk[];
}

export async function rollback(input: RollbackOptions): Promise<RollbackResult> {
  const { revision: fromRevision, ...rest } = input;
  const run = await openStackRun({ ...rest, fromRevision });
  try {
    const latest = await run.store.latest();
    const prior = (latest?.state.resources ?? []) as unknown as Spec['resources'];
    const context = contextOf(run, latest?.revision ?? 0, prior);
    let policy: PolicyReport | undefined;
    let risks: DataLossRisk[] = [];
    let failure: { readonly error: unknown } | undefined;
    const result = await runRelease({
      store: run.store,
      clock: systemClock,
      who: run.who,
      kind: 'apply',
      source: { kind: 'rollback', fromRevision },
      desired: run.spec,
      modules: run.modules,
      runtimeFor: run.runtimes.runtimeFor,
      derive: run.derive,
      resolveSecrets: run.resolveSecrets,
      stateDigestView: (resources) => digestView(resources, run.stateKey),
      confirm: async (plan, { revision }) => {
        // Declining removes the release record; the reason is raised once runRelease returns.
        try {
          policy = await evaluateRunPolicies(run, plan, policyOptions(input));
        } catch (error) {
          failure = { error };
          return false;
        }
        if (policy?.denied) {
          failure = { error: deniedByPolicy(policy, 'rollback') };
          return false;
        }
        risks = dataLossRisks(plan.changes);
        if (risks.length > 0 && !input.allowDestructive) {
          failure = { error: destructive(risks, fromRevision) };
          return false;
        }
        return input.confirm(plan, {
          ...context,
          ...(policy ? { policy } : {}),
          revision,
          fromRevision,
          risks,
        });
      },
      onEvent: input.onEvent ?? (() => {}),
      ...(input.ignoreFields ? { ignoreFields: input.ignoreFields } : {}),
      ...(input.parallelism ? { parallelism: input.parallelism } : {}),
      ...(input.watch === undefined ? {} : { watch: input.watch }),
      ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
      ...(input.forceConflicts ? { forceConflicts: true } : {}),
      ...(input.lockWaitMs ? { lockWaitMs: input.lockWaitMs } : {}),
      ...(input.stopSignal ? { stopSignal: input.stopSignal } : {}),
      ...(input.abortSignal ? { abortSignal: input.abortSignal } : {}),
    });
    if (failure) throw failure.error;
    return { ...context, ...result, ...(policy ? { policy } : {}), fromRevision, risks };
  } finally {
    await run.runtimes.close();
  }
}

/** KUS8005 naming every data-loss step, one diagnostic each. */
function destructive(risks: readonly DataLossRisk[], fromRevision: number): KusionError {
  const hint = 'pass --allow-destructive to accept these steps (you are still asked to confirm)';
  return new KusionError(
    Codes.destructiveRollback,
    `rollback to revision ${fromRevision} would lose data: ${risks.map((r) => `${r.action} ${r.id}`).join(', ')}; nothing was changed`,
    {
      hints: [hint],
      diagnostics: risks.map((r) => ({
        code: Codes.destructiveRollback,
        severity: 'error' as const,
        message: `${r.action} of ${r.kind} ${r.id} loses its data`,
        location: r.id,
      })),
    },
  );
}
