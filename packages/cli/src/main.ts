#!/usr/bin/env node
import { cliVersion, versionText } from './commands/version.js';

// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const args = process.argv.slice(2);
// `--version`, a bare `version` and `--help` are answered without commander and the commands.
const help = args.at(-1) === '--help' || args.at(-1) === '-h' ? await cachedHelpFor(args) : undefined;
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${cliVersion()}\n`);
} else if (args.length === 1 && args[0] === 'version') {
  process.stdout.write(versionText(false));
} else if (help !== undefined) {
  process.stdout.write(help);
} else {
  const { cliEntry } = await import('./entry.js');
  await import(cliEntry());
}

async function cachedHelpFor(argv: readonly string[]): Promise<string | undefined> {
  const { cachedHelp } = await import('./help/fast-path.js');
  return cachedHelp(argv, process.stdout);
}
