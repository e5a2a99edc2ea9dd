import type { Command } from '@commander-js/extra-typings';
import type { ApplyOptions, ApplyResult, Plan, PlanContext, ResourceOutcome } from '@kusion/engine';
import { engineOptions, type GlobalFlags } from '../context.js';
import { collectArgument, parseDuration, parsePositiveInt, splitList } from '../flags.js';
import { ExitCode, reportWarnings } from '../render/errors.js';
import { renderDiff, renderPlan } from '../render/plan.js';
import { ProgressRenderer } from '../render/progress.js';
import type { Style } from '../render/style.js';
import { run, styleFor } from '../run.js';

/** Two-stage interrupt (SPEC §11.2): the first stops scheduling, the second aborts in-flight calls. */
export function interruptSignals(): { stop: AbortController; abort: AbortController; dispose: () => void } {
  const stop = new AbortController();
  const abort = new AbortController();
  const onSignal = () => {
    if (!stop.signal.aborted) {
      process.stderr.write(
        '\nInterrupted: finishing in-flight operations (interrupt again to abort them)…\n',
      );
      stop.abort(new Error('interrupted'));
    } else abort.abort(new Error('interrupted twice'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { stop, abort, dispose: () => process.off('SIGINT', onSignal).off('SIGTERM', onSignal) };
}

/** `Apply N changes to stack S in workspace W?` with yes / details / no. */
export async function promptApply(
  plan: Plan,
  context: PlanContext,
  verb: string,
  style: Style,
): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const count = plan.changes.filter((c) => c.action !== 'UnChanged').length;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    for (;;) {
      const answer = (
        await rl.question(
          `${verb} ${count} change${count === 1 ? '' : 's'} to stack ${context.stack} in workspace ${context.workspace}? [yes/details/no] `,
        )
      )
        .trim()
        .toLowerCase();
      if (answer === 'yes' || answer === 'y') return true;
      if (answer === 'no' || answer === 'n' || answer === '') return false;
      if (answer === 'details' || answer === 'd') {
        for (const change of plan.changes)
          if (change.action !== 'UnChanged')
            process.stderr.write(
              `\n${change.action} ${style.bold(change.id)}\n${renderDiff(change.diff, style)}\n`,
            );
        process.stderr.write('\n');
      }
    }
  } finally {
    rl.close();
  }
}

function summary(result: ApplyResult, kind: 'apply' | 'destroy'): string {
  const outcomes = result.execution?.outcomes ?? [];
  const count = (pred: (o: (typeof outcomes)[number]) => boolean) => outcomes.filter(pred).length;
  const created = count((o) => o.status === 'succeeded' && o.action === 'Create');
  const updated = count((o) => o.status === 'succeeded' && (o.action === 'Update' || o.action === 'Replace'));
  const deleted = count((o) => o.status === 'succeeded' && o.action === 'Delete');
  const failed = count((o) => o.status === 'failed');
  const skipped = count((o) => o.status === 'skipped');
  if (kind === 'destroy')
    return result.phase === 'succeeded'
      ? `Destroy complete! Resources: ${deleted} deleted.`
      : `Destroy failed! Resources: ${deleted} deleted, ${failed} failed, ${skipped} skipped.`;
  return result.phase === 'succeeded'
    ? `Apply complete! Resources: ${created} created, ${updated} updated, ${deleted} deleted.`
    : `Apply failed! Resources: ${created} created, ${updated} updated, ${deleted} deleted, ${failed} failed, ${skipped} skipped.`;
}

interface RunFlags {
  readonly yes?: boolean;
  readonly dryRun?: boolean;
  readonly watch?: boolean;
  readonly timeout: number;
  readonly parallelism: number;
  readonly lockWait?: number;
  readonly forceConflicts?: boolean;
  readonly forgetRetained?: boolean;
  readonly argument?: Record<string, string>;
  readonly specFile?: string;
  readonly plan?: string;
  readonly workspaceFile?: string;
  readonly ignoreFields?: string[];
  readonly diff?: boolean;
}

async function execute(kind: 'apply' | 'destroy', flags: GlobalFlags, options: RunFlags): Promise<number> {
  const engine = await import('@kusion/engine');
  const style = styleFor(flags, process.stdout);
  const json = flags.output === 'json';
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (!options.yes && !options.plan && !options.dryRun && !interactive) {
    throw new engine.KusionError(
      engine.Codes.promptNeedsTty,
      `${kind} needs confirmation, and there is no terminal to ask`,
      { hints: ['pass --yes to run without a prompt'] },
    );
  }
  const progress = new ProgressRenderer(process.stdout, style, interactive && !json && flags.style !== false);
  const signals = interruptSignals();
  const verb = kind === 'destroy' ? 'Destroy' : 'Apply';
  const request: ApplyOptions = {
    ...engineOptions(flags),
    ...(flags.workdir ? { workdir: flags.workdir } : {}),
    ...(flags.workspace ? { workspace: flags.workspace } : {}),
    ...(options.workspaceFile ? { workspaceFile: options.workspaceFile } : {}),
    ...(options.specFile ? { specFile: options.specFile } : {}),
    ...(options.plan ? { planFile: options.plan } : {}),
    ...(options.ignoreFields ? { ignoreFields: options.ignoreFields } : {}),
    ...(options.argument ? { args: options.argument } : {}),
    parallelism: options.parallelism,
    timeoutMs: options.timeout,
    watch: options.watch !== false,
    dryRun: options.dryRun === true,
    forceConflicts: options.forceConflicts === true,
    forgetRetained: options.forgetRetained === true,
    ...(options.lockWait ? { lockWaitMs: options.lockWait } : {}),
    stopSignal: signals.stop.signal,
    abortSignal: signals.abort.signal,
    onEvent: json ? () => {} : progress.onEvent,
    confirm: async (plan, context) => {
      if (!json)
        process.stdout.write(
          renderPlan(plan, context, { style, diff: options.diff !== false && kind === 'apply' }),
        );
      if (options.yes) return true;
      const go = await promptApply(plan, context, verb, style);
      if (!go) process.stdout.write(`${verb} cancelled.\n`);
      return go;
    },
  };
  try {
    const run = kind === 'destroy' ? engine.destroy(request) : engine.apply(request);
    // Progress lines still buffered go out before anything else is printed.
    const result = await run.finally(() => progress.flush());
    if (!json) reportWarnings(result.warnings, styleFor(flags));
    if (json) {
      process.stdout.write(
        `${JSON.stringify(
          {
            formatVersion: 1,
            kind: kind === 'destroy' ? 'DestroyResult' : 'ApplyResult',
            revision: result.revision ?? null,
            phase: result.phase,
            planDigest: result.planDigest,
            summary: result.plan.summary,
            resources: outcomesJson(result.execution),
            outputs: result.outputs,
          },
          null,
          2,
        )}\n`,
      );
    } else if (options.dryRun) {
      process.stdout.write(renderPlan(result.plan, result, { style, diff: options.diff !== false }));
      process.stdout.write('Dry run: no changes were made.\n');
    } else if (result.phase === 'none' && !result.declined) {
      process.stdout.write(
        kind === 'destroy'
          ? 'No resources to destroy.\n'
          : `${renderPlan(result.plan, result, { style, diff: false })}`,
      );
    } else if (result.execution) {
      process.stdout.write(`\n${summary(result, kind)}\n`);
      if (kind === 'apply' && Object.keys(result.outputs).length > 0) {
        process.stdout.write(
          `\nOutputs:\n${Object.entries(result.outputs)
            .map(([k, v]) => `  ${k} = ${String(v)}`)
            .join('\n')}\n`,
        );
      }
      if (result.execution.interrupted)
        throw new engine.KusionError(
          engine.Codes.interrupted,
          `${kind} interrupted; state records what was done (release ${result.revision} failed)`,
        );
      if (result.execution.timedOut) {
        const stuck = result.execution.outcomes.filter(
          (o) => o.status !== 'succeeded' && o.status !== 'unchanged',
        );
        throw new engine.KusionError(
          engine.Codes.notReadyBeforeTimeout,
          `not ready before the timeout: ${stuck.map((o) => `${o.id} (${o.error?.message ?? o.status})`).join('; ')}`,
        );
      }
      for (const outcome of result.execution.outcomes) {
        if (outcome.error)
          process.stderr.write(
            `${style.red(`Error ${outcome.error.code}`)}: ${outcome.id}: ${outcome.error.message}\n`,
          );
      }
    }
    return result.phase === 'failed' ? ExitCode.error : ExitCode.ok;
  } catch (error) {
    if (engine.isKusionError(error) && error.code === engine.Codes.interrupted) {
      process.stderr.write(`Error ${error.code}: ${error.message}\n`);
      return ExitCode.interrupted;
    }
    throw error;
  } finally {
    signals.dispose();
  }
}

export function registerApply(program: Command): void {
  program
    .command('apply')
    .description(
      'Apply the stack: preview, confirm, execute as a dependency graph, watch until ready, record a release',
    )
    .option(
      '-D, --argument <key=value>',
      'argument for ${{ args.key }} / args() (repeatable)',
      collectArgument,
      {},
    )
    .option('--spec-file <file>', 'apply this spec instead of generating')
    .option(
      '--plan <file>',
      'apply exactly this saved plan (from preview --out); refused if state or live objects changed',
    )
    .option('--workspace-file <file>', 'read the workspace from this YAML file instead of the backend')
    .option('--ignore-fields <paths>', 'comma-separated field paths to ignore', splitList)
    .option('-y, --yes', 'apply without asking')
    .option('--dry-run', 'plan with server dry-run; no lock, nothing written')
    .option('--no-watch', 'treat submission as completion instead of waiting for readiness')
    .option('--no-diff', 'do not print field diffs before the prompt')
    .option(
      '--timeout <duration>',
      'bound on execution plus watching (0 = none; bare numbers are seconds)',
      parseDuration,
      600_000,
    )
    .option(
      '--parallelism <n>',
      'concurrent operations',
      parsePositiveInt,
      Number(process.env['KUSION_EXEC_MAX_CONCURRENT'] ?? 16),
    )
    .option('--force-conflicts', 'take over fields owned by other field managers')
    .option('--lock-wait <duration>', 'wait this long for a held lock instead of failing', parseDuration)
    .action(async (options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      await run(flags, () => execute('apply', flags, options));
    });

  program
    .command('destroy')
    .description('Delete every resource of the stack in reverse dependency order, as a new release')
    .option('--workspace-file <file>', 'read the workspace from this YAML file instead of the backend')
    .option('-y, --yes', 'destroy without asking')
    .option('--timeout <duration>', 'bound on deletion and waiting (0 = none)', parseDuration, 600_000)
    .option('--parallelism <n>', 'concurrent operations', parsePositiveInt, 16)
    .option('--forget-retained', 'also drop retained resources from state (they stay in place)')
    .option('--lock-wait <duration>', 'wait this long for a held lock instead of failing', parseDuration)
    .action(async (options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      await run(flags, () => execute('destroy', flags, { ...options, diff: false }));
    });
}

/** The `resources` of an `-o json` apply, destroy or rollback result: one outcome per planned change. */
export function outcomesJson(execution: ApplyResult['execution']): readonly ResourceOutcome[] {
  return (execution?.outcomes ?? []).map((o) => ({
    id: o.id,
    action: o.action,
    status: o.status,
    ready: o.ready,
    ...(o.error ? { error: o.error } : {}),
  }));
}
