import { writeFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { engineOptions, type GlobalFlags } from '../context.js';
import { reportWarnings } from '../render/errors.js';
import { run, styleFor } from '../run.js';

const collect = (value: string, previous: Record<string, string>) => {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`-D expects key=value (got "${value}")`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
};

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description(
      'Generate the Spec of the current stack: AppConfiguration + workspace + modules, offline and deterministic',
    )
    .option(
      '-D, --argument <key=value>',
      'argument for ${{ args.key }} in main.yaml, or args() in main.ts (repeatable)',
      collect,
      {},
    )
    .option('--format <format>', 'yaml or json', 'yaml')
    .option('--workspace-file <file>', 'read the workspace from this YAML file instead of the backend')
    .option('--verify-determinism', 'generate twice in separate workers and fail (KUS3014) on any difference')
    .addHelpText(
      'after',
      '\nThe global -o <file> writes the spec to a file instead of stdout.\nSensitive values are masked.',
    )
    .action(async (options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      await run(flags, async () => {
        const { formatSpec, generate, KusionError, Codes } = await import('@kusion/engine');
        const format = options.format === 'json' ? 'json' : 'yaml';
        const result = await generate({
          ...engineOptions(flags),
          ...(flags.workdir ? { workdir: flags.workdir } : {}),
          ...(flags.workspace ? { workspace: flags.workspace } : {}),
          ...(options.workspaceFile ? { workspaceFile: options.workspaceFile } : {}),
          args: options.argument,
          verifyDeterminism: options.verifyDeterminism === true,
        });
        reportWarnings(result.warnings, styleFor(flags));
        const text = formatSpec(result.spec, format);
        if (flags.output && flags.output !== 'yaml' && flags.output !== 'json')
          await writeFile(flags.output, text).catch((error: NodeJS.ErrnoException) => {
            throw new KusionError(
              Codes.outputNotWritable,
              `cannot write ${flags.output}: ${error.code ?? error.message}`,
              { location: flags.output, hints: ['check that the directory exists and is writable'] },
            );
          });
        else process.stdout.write(text);
        return 0;
      });
    });
}
