import { relative } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { engineOptions, type GlobalFlags } from '../context.js';
import { renderTable } from '../render/table.js';
import { run } from '../run.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .argument('[dir]', 'an empty or new directory; its name becomes the project name', '.')
    .option('-t, --template <name>', 'quickstart, postgres, job, typescript or empty', 'quickstart')
    .option('--list', 'list the templates')
    .description('Create a project with one stack, "default", from a template')
    .action(async (dir, options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      await run(flags, async () => {
        const { init, listTemplates } = await import('@kusion/engine');
        if (options.list) {
          process.stdout.write(
            renderTable(
              ['NAME', 'DESCRIPTION'],
              listTemplates().map((t) => [t.name, t.description]),
            ),
          );
          return 0;
        }
        const result = await init({ ...engineOptions(flags), dir, template: options.template });
        const where = relative(process.cwd(), result.dir) || '.';
        process.stdout.write(
          `Created project in ${where}:\n${result.written.map((f) => `  ${f}\n`).join('')}\nNext: cd ${where}/default && kusion generate\n`,
        );
        return 0;
      });
    });
}
