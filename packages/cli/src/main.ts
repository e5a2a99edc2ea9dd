#!/usr/bin/env node
import { cliVersion } from './commands/version.js';
import { buildProgram } from './program.js';

// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${cliVersion()}\n`);
} else {
  await buildProgram().parseAsync(process.argv);
}
