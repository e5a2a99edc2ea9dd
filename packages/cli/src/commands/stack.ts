import { relative } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { engineOptions, type GlobalFlags } from '../context.js';
import { run } from '../run.js';

export function registerStack(program: Command): void {
  const stack = program.command('stack').description('Manage stacks: the deployable units of a project');
  stack
    .command('create')
    .argument('<name>', 'stack name (unique in the project)')
    .option(
      '--project-dir <dir>',
      'project directory (default: the project containing the current directory)',
    )
    .option('--format <format>', 'yaml or ts', 'yaml')
    .option('--copy-from <dir>', 'copy the AppConfiguration of another stack')
    .description('Create a stack directory with stack.yaml and an AppConfiguration')
    .action(async (name, options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      await run(flags, async () => {
        const { createStack } = await import('@kusion/engine');
        const result = await createStack({
          ...engineOptions(flags),
          name,
          format: options.format === 'ts' ? 'ts' : 'yaml',
          ...(options.projectDir ? { projectDir: options.projectDir } : {}),
          ...(options.copyFrom ? { copyFrom: options.copyFrom } : {}),
        });
        process.stdout.write(`Created stack ${name} in ${relative(process.cwd(), result.dir) || '.'}\n`);
        return 0;
      });
    });
}
