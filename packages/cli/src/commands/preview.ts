import type { Command } from '@commander-js/extra-typings';
import { engineOptions, type GlobalFlags } from '../context.js';
import { collectArgument, parsePositiveInt, splitList } from '../flags.js';
import { ExitCode, reportWarnings } from '../render/errors.js';
import { planMarkdown, renderPlan } from '../render/plan.js';
import { run, styleFor } from '../run.js';

export function registerPreview(program: Command): void {
  program
    .command('preview')
    .description('Show what apply would change: the spec against the last release and live infrastructure')
    .option(
      '-D, --argument <key=value>',
      'argument for ${{ args.key }} / args() (repeatable)',
      collectArgument,
      {},
    )
    .option(
      '--spec-file <file>',
      'preview this spec (from kusion generate, or the original Kusion) instead of generating',
    )
    .option('--workspace-file <file>', 'read the workspace from this YAML file instead of the backend')
    .option(
      '--ignore-fields <paths>',
      'comma-separated field paths to ignore, e.g. spec.replicas,metadata.labels',
      splitList,
    )
    .option('--out <file>', 'also save the plan, for `kusion apply --plan <file>`')
    .option('--detailed-exitcode', 'exit 0 without changes, 2 with changes, 1 on error')
    .option('--no-diff', 'print the table only')
    .option('--parallelism <n>', 'concurrent reads and dry-runs', parsePositiveInt, 16)
    .addHelpText(
      'after',
      '\nOutput: -o text (default), -o json (stable, formatVersion 1), -o markdown (for PR comments).',
    )
    .action(async (options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      await run(flags, async () => {
        const { preview, previewDocument } = await import('@kusion/engine');
        const result = await preview({
          ...engineOptions(flags),
          ...(flags.workdir ? { workdir: flags.workdir } : {}),
          ...(flags.workspace ? { workspace: flags.workspace } : {}),
          ...(options.workspaceFile ? { workspaceFile: options.workspaceFile } : {}),
          ...(options.specFile ? { specFile: options.specFile } : {}),
          ...(options.ignoreFields ? { ignoreFields: options.ignoreFields } : {}),
          ...(options.out ? { out: options.out } : {}),
          args: options.argument,
          parallelism: options.parallelism,
        });
        const style = styleFor(flags, process.stdout);
        if (flags.output === 'json')
          process.stdout.write(`${JSON.stringify(previewDocument(result.plan, result), null, 2)}\n`);
        else {
          reportWarnings(result.warnings, styleFor(flags));
          process.stdout.write(
            flags.output === 'markdown'
              ? planMarkdown(result.plan, result, style)
              : renderPlan(result.plan, result, { style, diff: options.diff }),
          );
        }
        const changed = result.plan.changes.some((c) => c.action !== 'UnChanged');
        return options.detailedExitcode && changed ? ExitCode.changes : ExitCode.ok;
      });
    });
}
