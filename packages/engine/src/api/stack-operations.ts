import type { ResourceEvent } from '../engine/execute/executor.js';
import { type Plan, planChanges } from '../engine/plan/plan.js';
import { type ReleaseRunResult, runRelease } from '../engine/run/release-run.js';
import type { Diagnostic } from '../errors/index.js';
import { digestOf } from '../generator/canonical.js';
import type { JsonObject, ResolvedModules, Spec } from '../model/index.js';
import { systemClock } from './backend.js';
import { openStackRun, type StackRunOptions } from './stack-run.js';

/** Who and what a plan is about, for headers and JSON. */
export interface PlanContext {
  readonly project: string;
  readonly stack: string;
  readonly workspace: string;
  readonly baseRevision: number;
  readonly specDigest: string;
  readonly stateDigest: string;
  readonly modules: ResolvedModules;
  readonly outputs: Spec['outputs'];
  readonly warnings: readonly Diagnostic[];
}

export interface PreviewResult extends PlanContext {
  readonly plan: Plan;
}

/** `kusion preview`: plans against the latest release's state and live infrastructure. Writes nothing. */
export async function preview(input: StackRunOptions): Promise<PreviewResult> {
  const run = await openStackRun(input);
  try {
    const latest = await run.store.latest();
    const prior = (latest?.state.resources ?? []) as unknown as Spec['resources'];
    const plan = await planChanges({
      spec: run.spec,
      prior,
      runtimeFor: run.runtimes.runtimeFor,
      derive: run.derive,
      ...(input.ignoreFields ? { ignoreFields: input.ignoreFields } : {}),
      ...(input.parallelism ? { parallelism: input.parallelism } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
    });
    return { ...contextOf(run, latest?.revision ?? 0, prior), plan };
  } finally {
    await run.runtimes.close();
  }
}

function contextOf(
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
    stateDigest: digestOf({ resources: prior } as unknown as JsonObject),
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
  return runStack(input, 'destroy');
}

async function runStack(input: ApplyOptions, kind: 'apply' | 'destroy'): Promise<ApplyResult> {
  const run = await openStackRun(input);
  try {
    const latest = await run.store.latest();
    const prior = (latest?.state.resources ?? []) as unknown as Spec['resources'];
    const context = contextOf(run, latest?.revision ?? 0, prior);
    const desired: Spec =
      kind === 'destroy' ? { resources: [], secretStore: null, context: {}, outputs: {} } : run.spec;
    const result = await runRelease({
      store: run.store,
      clock: systemClock,
      who: run.who,
      kind,
      desired,
      modules: run.modules,
      runtimeFor: run.runtimes.runtimeFor,
      derive: run.derive,
      confirm: (plan, { revision }) => input.confirm(plan, { ...context, revision }),
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
    return { ...context, ...result, baseRevision: result.baseRevision };
  } finally {
    await run.runtimes.close();
  }
}
