import type { Command } from '@commander-js/extra-typings';
import type { GlobalFlags } from '../context.js';
import { toYaml } from '../render/lazy.js';
import { run } from '../run.js';

const print = (value: unknown, format: string | undefined) =>
  process.stdout.write(
    format === 'json'
      ? `${JSON.stringify(value ?? null, null, 2)}\n`
      : typeof value === 'string'
        ? `${value}\n`
        : toYaml(value ?? null),
  );

export function registerConfig(program: Command): void {
  const config = program
    .command('config')
    .description(
      'Manage backends in $KUSION_HOME/config.yaml (keys: backends.current, backends.<name>.type, backends.<name>.configs[.<key>])',
    );
  const flagsOf = (command: { optsWithGlobals(): unknown }) => command.optsWithGlobals() as GlobalFlags;

  config
    .command('get')
    .argument('<key>')
    .description('Print a config value')
    .action(async (key, _options, command) => {
      const flags = flagsOf(command);
      await run(flags, async () => {
        const { configGet } = await import('@kusion/engine');
        print(await configGet({ key }), flags.output);
        return 0;
      });
    });

  config
    .command('set')
    .argument('<key>')
    .argument('<value>', 'parsed as JSON when valid JSON, else a string')
    .description('Set a config value')
    .action(async (key, value, _options, command) => {
      const flags = flagsOf(command);
      await run(flags, async () => {
        const { configSet } = await import('@kusion/engine');
        await configSet({ key, value });
        return 0;
      });
    });

  config
    .command('unset')
    .argument('<key>')
    .description('Remove a config value (the current backend cannot be removed)')
    .action(async (key, _options, command) => {
      const flags = flagsOf(command);
      await run(flags, async () => {
        const { configUnset } = await import('@kusion/engine');
        await configUnset({ key });
        return 0;
      });
    });

  config
    .command('list')
    .description('Print the whole config, secrets masked')
    .action(async (_options, command) => {
      const flags = flagsOf(command);
      await run(flags, async () => {
        const { configList } = await import('@kusion/engine');
        print(await configList({}), flags.output);
        return 0;
      });
    });
}
