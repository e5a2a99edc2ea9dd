import { relative } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { engineOptions, type GlobalFlags } from '../context.js';
import { run } from '../run.js';

export function registerProject(program: Command): void {
  const project = program.command('project').description('Manage projects: directories holding project.yaml');
  project
    .command('create')
    .argument('[dir]', 'project directory', '.')
    .option('--name <name>', 'project name (default: the directory name)')
    .description('Write project.yaml')
    .action(async (dir, options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      await run(flags, async () => {
        const { createProject } = await import('@kusion/engine');
        const result = await createProject({
          ...engineOptions(flags),
          dir,
          ...(options.name ? { name: options.name } : {}),
        });
        process.stdout.write(`Created ${relative(process.cwd(), `${result.dir}/project.yaml`)}\n`);
        return 0;
      });
    });
}
