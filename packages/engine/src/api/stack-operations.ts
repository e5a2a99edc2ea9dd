import { resolve } from 'node:path';
import type { ResourceEvent } from '../engine/execute/executor.js';
import { appliedResourcesOf, type Plan, planChanges } from '../engine/plan/plan.js';
import { type ReleaseRunResult, runRelease, stateDigestOf } from '../engine/run/release-run.js';
import type { Spec } from '../model/index.js';
import { digestView, sealSpec } from '../secrets/index.js';
import { systemClock } from './backend.js';
import type { PlanContext } from './plan-context.js';
import { deniedByPolicy, evaluateRunPolicies, type PolicyReport } from './policy.js';
import { writePlanFile } from './saved-plan.js';

export type { PlanContext };

import { openStackRun, type StackRunOptions } from './stack-run.js';

export interface PreviewResult extends PlanContext {
  readonly plan: Plan;
}

export interface PreviewOptions extends StackRunOptions {
  /** `--out`: also save the plan for `apply --plan`. */
  readonly out?: string;
}

/** `kusion preview`: plans against the latest release's state and live infrastructure. Writes nothing but `--out`. */
export async function preview(input: PreviewOptions): Promise<PreviewResult> {
  const run = await openStackRun(input);
  try {
    const latest = await run.store.latest();
    const prior = (latest?.state.resources ?? []) as unknown as Spec['resources'];
    const applied = appliedResourcesOf(latest);
    const plan = await planChanges({
      spec: run.spec,
      prior,
      ...(applied ? { applied } : {}),
      runtimeFor: run.runtimes.runtimeFor,
      derive: run.derive,
      resolveSecrets: run.resolveSecrets,
      ...(input.ignoreFields ? { ignoreFields: input.ignoreFields } : {}),
      ...(input.parallelism ? { parallelism: input.parallelism } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
    });
    const policy = await evaluateRunPolicies(run, plan, policyOptions(input));
    const context = { ...contextOf(run, latest?.revision ?? 0, prior), ...(policy ? { policy } : {}) };
    if (input.out)
      await writePlanFile(
        resolve(run.options.cwd, input.out),
        plan,
        context,
        sealSpec(run.spec, run.stateKey),
      );
    return { ...context, plan };
  } finally {
    await run.runtimes.close();
  }
}

/** The policy evaluation options of a run's input. */
export const policyOptions = (input: StackRunOptions) => ({
  workspaceFile: input.workspaceFile,
  signal: input.signal,
});

/** Who and what a plan is about, for headers and JSON. */
export function contextOf(
  run: Awaited<ReturnType<typeof openStackRun>>,
  baseRevision: number,
  prior: Spec['resources'],
): PlanContext {
  return {
    project: run.stack.project.name,
    stack: run.stack.stack.name,
    workspace: run.workspace.workspace.name,
    baseRevision,
    specDigest: run.specDigest,
    stateDigest: stateDigestOf(digestView(prior, run.stateKey)),
    modules: run.modules,
    outputs: run.spec.outputs,
    warnings: run.warnings,
  };
}

export interface ApplyOptions extends StackRunOptions {
  /** Shown the plan; answers whether to go ahead. The CLI prompts or honours `--yes`. */
  readonly confirm: (plan: Plan, context: PlanContext & { revision: number }) => Promise<boolean>;
  readonly onEvent?: (event: ResourceEvent) => void;
  readonly dryRun?: boolean;
  /** @default true */
  readonly watch?: boolean;
  readonly timeoutMs?: number;
  readonly forceConflicts?: boolean;
  readonly lockWaitMs?: number;
  readonly forgetRetained?: boolean;
  /** First interrupt: stop scheduling. */
  readonly stopSignal?: AbortSignal;
  /** Second interrupt: abort in-flight calls. */
  readonly abortSignal?: AbortSignal;
}

export interface ApplyResult extends PlanContext, ReleaseRunResult {}

/** `kusion apply`: one release of the generated spec (SPEC §11). */
export function apply(input: ApplyOptions): Promise<ApplyResult> {
  return runStack(input, 'apply');
}

/** `kusion destroy`: one release deleting everything in state, in reverse dependency order (SPEC §12). */
export function destroy(input: ApplyOptions): Promise<ApplyResult> {
  return runStack({ ...input, stateOnly: true }, 'destroy');
}

async function runStack(input: ApplyOptions, kind: 'apply' | 'destroy'): Promise<ApplyResult> {
  const run = await openStackRun(input);
  try {
    const latest = await run.store.latest();
    const prior = (latest?.state.resources ?? []) as unknown as Spec['resources'];
    const context = contextOf(run, latest?.revision ?? 0, prior);
    const desired: Spec =
      kind === 'destroy' ? { resources: [], secretStore: null, context: {}, outputs: {} } : run.spec;
    let policy: PolicyReport | undefined;
    let judged = false;
    let failure: { readonly error: unknown } | undefined;
    const result = await runRelease({
      store: run.store,
      clock: systemClock,
      who: run.who,
      kind,
      desired,
      modules: run.modules,
      runtimeFor: run.runtimes.runtimeFor,
      derive: run.derive,
      resolveSecrets: run.resolveSecrets,
      stateDigestView: (resources) => digestView(resources, run.stateKey),
      confirm: async (plan, { revision }) => {
        // Guardrails judge the plan before anything runs: a deny declines (the release record is removed,
        // nothing executes) and is turned into KUS8004 below.
        judged = true;
        try {
          policy = kind === 'apply' ? await evaluateRunPolicies(run, plan, policyOptions(input)) : undefined;
        } catch (error) {
          // E.g. the stored Rego files cannot be read: declining removes the release record; raised below.
          failure = { error };
          return false;
        }
        if (policy?.denied) return false;
        if (run.savedPlan) return true;
        return input.confirm(plan, { ...context, ...(policy ? { policy } : {}), revision });
      },
      ...(run.savedPlan
        ? {
            savedPlan: {
              plan: { changes: run.savedPlan.changes, summary: run.savedPlan.summary },
              baseRevision: run.savedPlan.baseRevision,
              stateDigest: run.savedPlan.stateDigest,
            },
          }
        : {}),
      onEvent: input.onEvent ?? (() => {}),
      ...(input.ignoreFields ? { ignoreFields: input.ignoreFields } : {}),
      ...(input.parallelism ? { parallelism: input.parallelism } : {}),
      ...(input.watch === undefined ? {} : { watch: input.watch }),
      ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
      ...(input.forceConflicts ? { forceConflicts: true } : {}),
      ...(input.dryRun ? { dryRun: true } : {}),
      ...(input.lockWaitMs ? { lockWaitMs: input.lockWaitMs } : {}),
      ...(input.forgetRetained ? { forgetRetained: true } : {}),
      ...(input.stopSignal ? { stopSignal: input.stopSignal } : {}),
      ...(input.abortSignal ? { abortSignal: input.abortSignal } : {}),
    });
    if (failure) throw failure.error;
    // No changes, or a dry run: nothing was confirmed, so the plan is judged here (a dry run answers
    // whether apply would go ahead, so its deny is an error too).
    if (kind === 'apply' && !judged)
      policy = await evaluateRunPolicies(run, result.plan, policyOptions(input));
    if (policy?.denied && (judged || input.dryRun)) throw deniedByPolicy(policy, kind);
    return { ...context, ...result, baseRevision: result.baseRevision, ...(policy ? { policy } : {}) };
  } finally {
    await run.runtimes.close();
  }
}
