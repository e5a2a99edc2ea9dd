import { CommanderError } from '@commander-js/extra-typings';
import { helpColumns } from './width.js';

/** The parts of a commander command that capturing help needs. */
interface HelpCommand {
  name(): string;
  readonly commands: readonly HelpCommand[];
  configureOutput(config: {
    writeOut(text: string): void;
    writeErr(text: string): void;
    getOutHelpWidth(): number;
    getOutHasColors(): boolean;
  }): unknown;
  exitOverride(): unknown;
  parse(argv: readonly string[], options: { from: 'user' }): unknown;
}

/** Every command path of the program, the program itself first as `[]`, in definition order. */
export function commandPaths(program: HelpCommand): string[][] {
  const paths: string[][] = [[]];
  const visit = (command: HelpCommand, path: string[]) => {
    for (const sub of command.commands) {
      const subPath = [...path, sub.name()];
      paths.push(subPath);
      visit(sub, subPath);
    }
  };
  visit(program, []);
  return paths;
}

/**
 * What `kusion <path…> --help` prints on stdout at the usual help width, captured by letting commander
 * parse it: the reference that the cached texts of help/texts.ts are generated from and tested against.
 * The program must be fresh (parsing leaves state behind).
 */
export function captureHelp(program: HelpCommand, path: readonly string[]): string {
  let out = '';
  const configure = (command: HelpCommand) => {
    command.configureOutput({
      writeOut: (text) => {
        out += text;
      },
      writeErr: () => undefined,
      getOutHelpWidth: () => helpColumns,
      getOutHasColors: () => false,
    });
    command.exitOverride();
    for (const sub of command.commands) configure(sub);
  };
  configure(program);
  try {
    program.parse([...path, '--help'], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError) || error.code !== 'commander.helpDisplayed') throw error;
    return out;
  }
  throw new CommanderError(1, 'kusion.helpNotDisplayed', `no help for "${path.join(' ')}"`);
}
