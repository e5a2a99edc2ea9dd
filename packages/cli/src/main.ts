#!/usr/bin/env node
import { cliVersion, versionText } from './commands/version.js';

// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${cliVersion()}\n`);
} else if (args.length === 1 && args[0] === 'version') {
  process.stdout.write(versionText(false));
} else {
  // Loaded only here: `--version` needs neither commander nor the commands.
  const { buildProgram } = await import('./program.js');
  await buildProgram().parseAsync(process.argv);
}
