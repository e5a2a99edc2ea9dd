import type { Command } from '@commander-js/extra-typings';
import type { RollbackOptions, RollbackResult } from '@kusion/engine';
import { engineOptions, type GlobalFlags } from '../context.js';
import { parseDuration, parsePositiveInt } from '../flags.js';
import { ExitCode, reportWarnings } from '../render/errors.js';
import { renderPlan } from '../render/plan.js';
import { ProgressRenderer } from '../render/progress.js';
import { run, styleFor } from '../run.js';
import { interruptSignals, outcomesJson, promptApply } from './apply.js';

/** `Rollback complete! Resources: …`, counted like apply's summary (replacements count as updates). */
function summary(result: RollbackResult): string {
  const outcomes = result.execution?.outcomes ?? [];
  const count = (actions: readonly string[], status = 'succeeded') =>
    outcomes.filter((o) => o.status === status && actions.includes(o.action)).length;
  const done = `${count(['Create'])} created, ${count(['Update', 'Replace'])} updated, ${count(['Delete'])} deleted`;
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  const skipped = outcomes.filter((o) => o.status === 'skipped').length;
  return result.phase === 'succeeded'
    ? `Rollback complete! Resources: ${done}.`
    : `Rollback failed! Resources: ${done}, ${failed} failed, ${skipped} skipped.`;
}

/** `kusion release rollback --revision N` (SPEC §15). */
export function registerRollback(release: Command): void {
  release
    .command('rollback')
    .description(
      "Return to a succeeded revision's recorded spec and module versions, planned and applied like apply as a new revision",
    )
    .requiredOption('--revision <n>', 'the succeeded revision to return to', parsePositiveInt)
    .option('-y, --yes', 'roll back without asking')
    .option(
      '--allow-destructive',
      'accept steps that lose data (Delete/Replace of volumes, claims, StatefulSets, Namespaces, databases, buckets, disks)',
    )
    .option('--workspace-file <file>', 'read the workspace from this YAML file instead of the backend')
    .option('--no-watch', 'treat submission as completion instead of waiting for readiness')
    .option('--no-diff', 'do not print field diffs before the prompt')
    .option('--timeout <duration>', 'bound on execution plus watching (0 = none)', parseDuration, 600_000)
    .option('--parallelism <n>', 'concurrent operations', parsePositiveInt, 16)
    .option('--lock-wait <duration>', 'wait this long for a held lock instead of failing', parseDuration)
    .action(async (options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      await run(flags, async () => {
        const engine = await import('@kusion/engine');
        const style = styleFor(flags, process.stdout);
        const json = flags.output === 'json';
        const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
        if (!options.yes && !interactive)
          throw new engine.KusionError(
            engine.Codes.promptNeedsTty,
            'rollback needs confirmation, and there is no terminal to ask',
            { hints: ['pass --yes to run without a prompt'] },
          );
        const progress = new ProgressRenderer(
          process.stdout,
          style,
          interactive && !json && flags.style !== false,
        );
        const signals = interruptSignals();
        const request: RollbackOptions = {
          ...engineOptions(flags),
          ...(flags.workdir ? { workdir: flags.workdir } : {}),
          ...(flags.workspace ? { workspace: flags.workspace } : {}),
          ...(options.workspaceFile ? { workspaceFile: options.workspaceFile } : {}),
          revision: options.revision,
          allowDestructive: options.allowDestructive === true,
          parallelism: options.parallelism,
          timeoutMs: options.timeout,
          watch: options.watch !== false,
          ...(options.lockWait ? { lockWaitMs: options.lockWait } : {}),
          stopSignal: signals.stop.signal,
          abortSignal: signals.abort.signal,
          onEvent: json ? () => {} : progress.onEvent,
          confirm: async (plan, context) => {
            if (!json) {
              process.stdout.write(`Rolling back to revision ${context.fromRevision}.\n`);
              process.stdout.write(renderPlan(plan, context, { style, diff: options.diff !== false }));
              for (const risk of context.risks)
                process.stdout.write(
                  `${style.yellow('Data loss')}: ${risk.action} of ${risk.kind} ${risk.id} (accepted with --allow-destructive)\n`,
                );
            }
            if (options.yes) return true;
            const go = await promptApply(plan, context, 'Roll back', style);
            if (!go) process.stdout.write('Rollback cancelled.\n');
            return go;
          },
        };
        try {
          const result = await engine.rollback(request).finally(() => progress.flush());
          if (json) {
            process.stdout.write(
              `${JSON.stringify(
                {
                  formatVersion: 1,
                  kind: 'RollbackResult',
                  revision: result.revision ?? null,
                  fromRevision: result.fromRevision,
                  phase: result.phase,
                  planDigest: result.planDigest,
                  summary: result.plan.summary,
                  risks: result.risks,
                  resources: outcomesJson(result.execution),
                  outputs: result.outputs,
                },
                null,
                2,
              )}\n`,
            );
          } else {
            reportWarnings(result.warnings, styleFor(flags));
            if (result.phase === 'none' && !result.declined)
              process.stdout.write(renderPlan(result.plan, result, { style, diff: false }));
            else if (result.execution) {
              process.stdout.write(`\n${summary(result)}\n`);
              for (const outcome of result.execution.outcomes)
                if (outcome.error)
                  process.stderr.write(
                    `${style.red(`Error ${outcome.error.code}`)}: ${outcome.id}: ${outcome.error.message}\n`,
                  );
            }
          }
          if (result.execution?.interrupted) return ExitCode.interrupted;
          return result.phase === 'failed' ? ExitCode.error : ExitCode.ok;
        } finally {
          signals.dispose();
        }
      });
    });
}
