import type { Command } from '@commander-js/extra-typings';
import { engineOptions, type GlobalFlags } from '../context.js';
import { reportWarnings } from '../render/errors.js';
import { toYaml } from '../render/lazy.js';
import { renderTable } from '../render/table.js';
import { run, styleFor } from '../run.js';

export function registerWorkspace(program: Command): void {
  const workspace = program
    .command('workspace')
    .description('Manage workspaces: one per environment, stored in the backend');
  const flagsOf = (command: { optsWithGlobals(): unknown }) => command.optsWithGlobals() as GlobalFlags;

  workspace
    .command('create')
    .argument('<name>', 'workspace name')
    .requiredOption('-f, --file <file>', 'workspace YAML to validate and store')
    .option('--current', 'make it the current workspace')
    .option('--dry-run', 'validate only')
    .description('Validate a workspace file and store it under a new name')
    .action(async (name, options, command) => {
      const flags = flagsOf(command);
      await run(flags, async () => {
        const { createWorkspace } = await import('@kusion/engine');
        const result = await createWorkspace({
          ...engineOptions(flags),
          name,
          file: options.file,
          current: options.current === true,
          dryRun: options.dryRun === true,
        });
        reportWarnings(result.warnings, styleFor(flags));
        process.stdout.write(
          options.dryRun ? `Workspace ${name} is valid.\n` : `Created workspace ${name}.\n`,
        );
        return 0;
      });
    });

  workspace
    .command('update')
    .argument('[name]', 'workspace name (default: the current one)')
    .requiredOption('-f, --file <file>', 'workspace YAML that replaces the whole document')
    .option('--rename <new>', 'store it under a new name')
    .option('--current', 'make it the current workspace')
    .option('--dry-run', 'validate only')
    .description('Validate a workspace file and replace a stored workspace with it')
    .action(async (name, options, command) => {
      const flags = flagsOf(command);
      await run(flags, async () => {
        const { updateWorkspace } = await import('@kusion/engine');
        const result = await updateWorkspace({
          ...engineOptions(flags),
          ...(name ? { name } : {}),
          ...(options.rename ? { rename: options.rename } : {}),
          file: options.file,
          current: options.current === true,
          dryRun: options.dryRun === true,
        });
        reportWarnings(result.warnings, styleFor(flags));
        process.stdout.write(
          options.dryRun ? `Workspace ${result.name} is valid.\n` : `Updated workspace ${result.name}.\n`,
        );
        return 0;
      });
    });

  workspace
    .command('show')
    .argument('[name]', 'workspace name (default: the current one)')
    .description('Print a workspace (sensitive context values masked)')
    .action(async (name, _options, command) => {
      const flags = flagsOf(command);
      await run(flags, async () => {
        const { showWorkspace } = await import('@kusion/engine');
        const result = await showWorkspace({ ...engineOptions(flags), ...(name ? { name } : {}) });
        if (flags.output === 'json')
          process.stdout.write(
            `${JSON.stringify({ name: result.name, current: result.isCurrent, text: result.text }, null, 2)}\n`,
          );
        else
          process.stdout.write(
            result.text.endsWith('\n') || result.text === '' ? result.text : `${result.text}\n`,
          );
        return 0;
      });
    });

  workspace
    .command('list')
    .description('List workspaces; * marks the current one')
    .action(async (_options, command) => {
      const flags = flagsOf(command);
      await run(flags, async () => {
        const { listWorkspaces } = await import('@kusion/engine');
        const result = await listWorkspaces(engineOptions(flags));
        if (flags.output === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else if (flags.output === 'yaml') process.stdout.write(toYaml(result));
        else
          process.stdout.write(
            renderTable(
              ['CURRENT', 'NAME'],
              result.workspaces.map((w) => [w === result.current ? '*' : '', w]),
            ),
          );
        return 0;
      });
    });

  workspace
    .command('switch')
    .argument('<name>', 'workspace name')
    .description('Make a workspace the current one')
    .action(async (name, _options, command) => {
      const flags = flagsOf(command);
      await run(flags, async () => {
        const { switchWorkspace } = await import('@kusion/engine');
        await switchWorkspace({ ...engineOptions(flags), name });
        process.stdout.write(`Switched to workspace ${name}.\n`);
        return 0;
      });
    });

  workspace
    .command('delete')
    .argument('<name>', 'workspace name')
    .option('-y, --yes', 'do not ask for confirmation')
    .description('Delete a workspace (the current one resets to default; default cannot be deleted)')
    .action(async (name, options, command) => {
      const flags = flagsOf(command);
      await run(flags, async () => {
        const { deleteWorkspace, KusionError, Codes } = await import('@kusion/engine');
        if (!options.yes) {
          if (!process.stdin.isTTY)
            throw new KusionError(Codes.promptNeedsTty, `deleting workspace ${name} needs confirmation`, {
              hints: ['pass --yes'],
            });
          const { confirm } = await import('../render/prompt.js');
          if (!(await confirm(`Delete workspace ${name}?`))) {
            process.stdout.write('Delete cancelled.\n');
            return 0;
          }
        }
        await deleteWorkspace({ ...engineOptions(flags), name });
        process.stdout.write(`Deleted workspace ${name}.\n`);
        return 0;
      });
    });
}
