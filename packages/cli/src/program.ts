import { Command } from '@commander-js/extra-typings';
import { registerApply } from './commands/apply.js';
import { registerConfig } from './commands/config.js';
import { registerDrift } from './commands/drift.js';
import { registerGenerate } from './commands/generate.js';
import { registerImport } from './commands/import.js';
import { registerInit } from './commands/init.js';
import { registerMod } from './commands/mod.js';
import { registerPolicy } from './commands/policy.js';
import { registerPreview } from './commands/preview.js';
import { registerProject } from './commands/project.js';
import { registerRelease } from './commands/release.js';
import { registerResource } from './commands/resource.js';
import { registerStack } from './commands/stack.js';
import { registerVersion } from './commands/version.js';
import { registerWorkspace } from './commands/workspace.js';
import { helpWidth } from './help/width.js';

/**
 * The `kusion` program. Heavy modules (the engine) load only inside the action that needs them.
 * `kusion --version` is answered in main.ts: a program-level `--version` option would be taken from any
 * position, swallowing `kusion mod add <name> --version <range>`.
 */
export function buildProgram(): Command {
  const program = new Command()
    .name('kusion')
    .description('Kusion: intent-driven platform orchestrator. generate → preview → apply, with releases.')
    .option('--workspace <name>', 'workspace (default: the current one; env KUSION_WORKSPACE)')
    .option('--backend <name>', 'backend (default: backends.current, else default; env KUSION_BACKEND)')
    .option('-w, --workdir <dir>', 'stack directory (default: the current directory)')
    .option(
      '-o, --output <format>',
      'output format (text, yaml, json, …) where supported; for generate, the output file',
    )
    .option('--no-style', 'no colour, spinners or box drawing (also NO_COLOR)')
    .option('--debug', 'debug logs and stack traces on errors')
    // Inherited by every command registered below; the fixed width lets main.ts print cached help.
    .configureOutput({
      getOutHelpWidth: () => helpWidth(process.stdout),
      getErrHelpWidth: () => helpWidth(process.stderr),
    })
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run with --help for usage)');
  registerInit(program);
  registerProject(program);
  registerStack(program);
  registerGenerate(program);
  registerPreview(program);
  registerApply(program);
  registerRelease(program);
  registerDrift(program);
  registerImport(program);
  registerResource(program);
  registerWorkspace(program);
  registerConfig(program);
  registerMod(program);
  registerPolicy(program);
  registerVersion(program);
  return program;
}
