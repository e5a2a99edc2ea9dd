/**
 * Profiles one `kusion` run with `node --cpu-prof` (every thread: main, module worker, loader hooks) and
 * prints where the time goes: self and inclusive time by package / kusion file / node internals, and a
 * timeline of kusion functions. For diagnosis, not for figures (profiling slows the run).
 *
 *   npm run build && npx tsx bench/profile.ts --apps 100 [--top 25] [--keep] [--warm] [-- <kusion args>]
 *   (default kusion args: generate; `--apps 0` runs in an empty temp dir, e.g. `--apps 0 -- --help`)
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cliEntry } from '../packages/cli/src/entry.js';
import { analyze, type CpuProfile } from './lib/cpuprofile.js';
import { cliPath, machineLine } from './lib/machine.js';
import { timeProcess } from './lib/measure.js';
import { renderThread, threadName } from './lib/profile-report.js';
import { writeStack } from './lib/stack.js';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    apps: { type: 'string', default: '100' },
    top: { type: 'string', default: '25' },
    keep: { type: 'boolean', default: false },
    warm: { type: 'boolean', default: false },
  },
});
const apps = Number(opts.apps);
const kusionArgs = positionals.length > 0 ? positionals : ['generate'];

const root = mkdtempSync(join(tmpdir(), 'kusion-bench-profile-'));
const home = join(root, 'home');
const profDir = join(root, 'prof');
mkdirSync(home);
try {
  const cwd = apps > 0 ? writeStack(root, apps) : root;
  const env = { ...process.env, KUSION_HOME: home, NO_COLOR: '1' };
  // --warm: one unprofiled run first, as generate.ts does, so KUSION_HOME caches (validators) are warm.
  if (opts.warm) {
    timeProcess({
      label: 'warm-up',
      command: process.execPath,
      args: [cliPath(), ...kusionArgs],
      cwd,
      env,
      stdoutFile: join(root, 'stdout'),
      timeoutMs: 300_000,
    });
  }
  const run = timeProcess({
    label: 'profile',
    command: process.execPath,
    args: ['--cpu-prof', `--cpu-prof-dir=${profDir}`, cliPath(), ...kusionArgs],
    cwd,
    env,
    stdoutFile: join(root, 'stdout'),
    timeoutMs: 300_000,
  });
  console.log(`## profile: kusion ${kusionArgs.join(' ')} (${apps} apps)\n\n${machineLine()}`);
  console.log(
    `CLI run: packages/cli/dist/${cliEntry(new URL('../packages/cli/dist/', import.meta.url)).slice(2)}`,
  );
  console.log(`wall ${run.wallMs.toFixed(0)} ms under the profiler, CPU ${run.cpuMs.toFixed(0)} ms\n`);
  // File names are CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread.
  const threads = readdirSync(profDir)
    .sort()
    .map((file) => ({
      index: file.split('.')[4] ?? '?',
      report: analyze(JSON.parse(readFileSync(join(profDir, file), 'utf8')) as CpuProfile),
    }));
  const origin = threads[0]?.report.startMs ?? 0;
  for (const { index, report } of threads) {
    console.log(`${renderThread(threadName(index, report), report, origin, Number(opts.top))}\n`);
  }
} finally {
  if (opts.keep) console.error(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
