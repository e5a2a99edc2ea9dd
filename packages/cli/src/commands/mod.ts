import { relative } from 'node:path';
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
        else
          process.stdout.write(
            renderTable(
              ['NAME', 'SOURCE', 'REQUESTED', 'RESOLVED', 'ORIGIN'],
              entries.map((e) => [
                e.name,
                e.source,
                e.requested ?? '-',
                e.resolved ?? `(${e.problem ?? 'unresolved'})`,
                e.origin ?? '-',
              ]),
            ),
          );
        return 0;
      });
    });

  mod
    .command('init')
    .argument('<name>', 'module name')
    .argument('[dir]', 'target directory (default: ./<name>)')
    .option('--force', 'write into a non-empty directory (existing files are kept, never deleted)')
    .description('Scaffold a TypeScript module package with schemas, generate and passing tests')
    .action(async (name, dir, options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      await run(flags, async () => {
        const { initModule } = await import('@kusion/engine');
        const result = await initModule({
          ...engineOptions(flags),
          name,
          ...(dir ? { dir } : {}),
          force: options.force === true,
        });
        const where = relative(process.cwd(), result.dir) || '.';
        process.stdout.write(
          `Created module ${name} in ${where}:\n${result.written.map((f) => `  ${f}\n`).join('')}`,
        );
        if (result.skipped.length > 0)
          process.stdout.write(`Kept existing files:\n${result.skipped.map((f) => `  ${f}\n`).join('')}`);
        process.stdout.write(`\nNext: cd ${where} && npm install && npm test\n`);
        return 0;
      });
    });

  mod
    .command('pull')
    .description('Install every npm module of the workspace into $KUSION_HOME/modules (scripts off)')
    .action(async (_options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      await run(flags, async () => {
        const { pullModules } = await import('@kusion/engine');
        const result = await pullModules({
          ...engineOptions(flags),
          ...(flags.workspace ? { workspace: flags.workspace } : {}),
        });
        for (const m of result.installed)
          process.stdout.write(`Installed ${m.name}: ${m.packageName}@${m.version}\n`);
        if (result.installed.length === 0) process.stdout.write('No npm modules in the workspace.\n');
        return 0;
      });
    });

  mod
    .command('add')
    .argument('<name>', 'module name, as the workspace declares it')
    .option('--source <source>', 'builtin, ./dir, npm:<package> or exec:<command>')
    .option('--version <range>', 'semver range (required for npm sources)')
    .description('Add or update a module block in the current workspace (configs kept) and install it')
    .action(async (name, options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      await run(flags, async () => {
        const { addModule } = await import('@kusion/engine');
        const result = await addModule({
          ...engineOptions(flags),
          name,
          ...(flags.workspace ? { workspace: flags.workspace } : {}),
          ...(options.source ? { source: options.source } : {}),
          ...(options.version ? { version: options.version } : {}),
        });
        process.stdout.write(`Added module ${name}.\n`);
        for (const m of result.installed) process.stdout.write(`Installed ${m.packageName}@${m.version}\n`);
        return 0;
      });
    });
}
