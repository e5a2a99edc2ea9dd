import type { Command } from '@commander-js/extra-typings';
import type { DriftResult } from '@kusion/engine';
import { engineOptions, type GlobalFlags } from '../context.js';
import { parsePositiveInt, splitList } from '../flags.js';
import { ExitCode, reportWarnings } from '../render/errors.js';
import { renderDiff } from '../render/plan.js';
import type { Style } from '../render/style.js';
import { renderTable } from '../render/table.js';
import { run, styleFor } from '../run.js';

/** The stable JSON of `kusion drift -o json` (formatVersion 1). */
function driftDocument(result: DriftResult) {
  return {
    formatVersion: 1 as const,
    kind: 'Drift' as const,
    project: result.project,
    stack: result.stack,
    workspace: result.workspace,
    revision: result.revision,
    summary: result.summary,
    resources: result.resources.map((r) => ({
      id: r.id,
      type: r.type,
      status: r.status,
      diff: r.diff,
      ...(r.manager ? { manager: r.manager } : {}),
    })),
  };
}

function renderDrift(result: DriftResult, style: Style): string {
  const header = `Project ${result.project} · Stack ${result.stack} · Workspace ${result.workspace} · revision ${result.revision ?? 'none'}`;
  const lines = [style.bold(header), ''];
  if (result.revision === null) return `${[...lines, 'No release yet: nothing to compare.'].join('\n')}\n`;
  const { inSync, drifted, missing } = result.summary;
  if (drifted === 0 && missing === 0)
    return `${[...lines, 'No drift. Infrastructure matches the last release.'].join('\n')}\n`;
  const colour = (status: string) =>
    status === 'Missing'
      ? style.red(status)
      : status === 'Drifted'
        ? style.yellow(status)
        : style.dim(status);
  lines.push(
    renderTable(
      ['ID', 'STATUS', 'CHANGED BY'],
      result.resources.map((r) => [r.id, colour(r.status), r.manager ?? '']),
    ).trimEnd(),
    '',
    `Drift: ${inSync} in sync, ${drifted} drifted, ${missing} missing.`,
  );
  for (const r of result.resources) {
    if (r.status !== 'Drifted') continue;
    lines.push('', `${style.yellow('Drifted')} ${style.bold(r.id)}`, renderDiff(r.diff, style));
  }
  lines.push('', 'Run `kusion apply` to bring them back to the configuration.');
  return `${lines.join('\n')}\n`;
}

/** `kusion drift` (SPEC §15): read-only; exit 0 in sync, 2 drift, 1 error. */
export function registerDrift(program: Command): void {
  program
    .command('drift')
    .description(
      "Compare the last release's state with live infrastructure (read-only): exit 0 in sync, 2 on drift",
    )
    .option('--workspace-file <file>', 'read the workspace from this YAML file instead of the backend')
    .option('--ignore-fields <paths>', 'comma-separated field paths to ignore', splitList)
    .option('--parallelism <n>', 'concurrent reads', parsePositiveInt, 16)
    .addHelpText('after', '\nOutput: -o text (default), -o json (stable, formatVersion 1).')
    .action(async (options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      await run(flags, async () => {
        const { drift } = await import('@kusion/engine');
        const result = await drift({
          ...engineOptions(flags),
          ...(flags.workdir ? { workdir: flags.workdir } : {}),
          ...(flags.workspace ? { workspace: flags.workspace } : {}),
          ...(options.workspaceFile ? { workspaceFile: options.workspaceFile } : {}),
          ...(options.ignoreFields ? { ignoreFields: options.ignoreFields } : {}),
          parallelism: options.parallelism,
        });
        if (result.lock)
          process.stderr.write(
            `Warning: locked by ${result.lock.owner.operator} for ${result.lock.operation} until ${result.lock.leaseExpiresAt}; state may be about to change\n`,
          );
        if (flags.output === 'json')
          process.stdout.write(`${JSON.stringify(driftDocument(result), null, 2)}\n`);
        else {
          reportWarnings(result.warnings, styleFor(flags));
          process.stdout.write(renderDrift(result, styleFor(flags, process.stdout)));
        }
        return result.summary.drifted > 0 || result.summary.missing > 0 ? ExitCode.changes : ExitCode.ok;
      });
    });
}
