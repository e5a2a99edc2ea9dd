import type { Command } from '@commander-js/extra-typings';
import { engineOptions, type GlobalFlags } from '../context.js';
import { renderTable } from '../render/table.js';
import { run } from '../run.js';

export function registerMod(program: Command): void {
  const mod = program.command('mod').description('Inspect and install modules');
  mod
    .command('list')
    .option('--workspace-file <file>', 'read the workspace from this YAML file instead of the backend')
    .description('List the modules of the workspace: NAME SOURCE REQUESTED RESOLVED ORIGIN')
    .action(async (options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      await run(flags, async () => {
        const { listModules } = await import('@kusion/engine');
        const entries = await listModules({
          ...engineOptions(flags),
          ...(flags.workspace ? { workspace: flags.workspace } : {}),
          ...(options.workspaceFile ? { workspaceFile: options.workspaceFile } : {}),
          ...(flags.workdir ? { workdir: flags.workdir } : {}),
        });
        if (flags.output === 'json') process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
        else process.stdout.write(renderTable(['NAME', 'SOURCE', 'REQUESTED', 'RESOLVED', 'ORIGIN'], entries.map((e) => [e.name, e.source, e.requested ?? '-', e.resolved ?? `(${e.problem ?? 'unresolved'})`, e.origin ?? '-'])));
        return 0;
      });
    });
}
