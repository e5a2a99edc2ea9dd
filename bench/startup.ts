/**
 * Start-up of the CLI: `kusion --version`, `kusion --help`, `kusion generate --help`, `kusion version`, each a fresh process,
 * against a bare `node -e ""` measured in the same rounds. Target (SPEC §17): < 150 ms median.
 *
 * When NODE_EXTRA_CA_CERTS is set (this sandbox sets it), every command is also measured without it:
 * Node then parses its whole root certificate store before running any JavaScript (≈40 ms here), a cost
 * of the machine's configuration that no CLI can avoid and that a typical workstation does not have.
 *
 *   npm run build && npx tsx bench/startup.ts [--runs 20] [--budget 120] [--timeout 30]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cliEntry } from '../packages/cli/src/entry.js';
import { cliPath, loadAverage, machineLine } from './lib/machine.js';
import { type RunSpec, sampleInterleaved } from './lib/measure.js';
import { ms, ratio, summarize, table } from './lib/stats.js';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    budget: { type: 'string', default: '120' },
    timeout: { type: 'string', default: '30' },
  },
});
const TARGET_MS = 150;

const root = mkdtempSync(join(tmpdir(), 'kusion-bench-startup-'));
try {
  const home = join(root, 'home');
  mkdirSync(home);
  const env: NodeJS.ProcessEnv = { ...process.env, KUSION_HOME: home, NO_COLOR: '1' };
  const { NODE_EXTRA_CA_CERTS: extraCaCerts, ...envWithoutCaCerts } = env;
  const environments = [
    { name: 'as given', env },
    ...(extraCaCerts === undefined ? [] : [{ name: 'no NODE_EXTRA_CA_CERTS', env: envWithoutCaCerts }]),
  ];
  const timeoutMs = Number(opts.timeout) * 1000;
  const commands: readonly [string, readonly string[]][] = [
    ['node -e ""', ['-e', '']],
    ['kusion --version', [cliPath(), '--version']],
    ['kusion --help', [cliPath(), '--help']],
    ['kusion generate --help', [cliPath(), 'generate', '--help']],
    ['kusion version', [cliPath(), 'version']],
  ];
  const specs: RunSpec[] = environments.flatMap(({ env }) =>
    commands.map(([label, args]) => ({ label, command: process.execPath, args, cwd: root, env, timeoutMs })),
  );
  const loadBefore = loadAverage();
  const samples = sampleInterleaved(
    specs.map((spec) => ({ spec, runs: Number(opts.runs) })),
    Number(opts.budget) * 1000,
  );
  const loadAfter = loadAverage();

  console.log(`## kusion start-up — ${new Date().toISOString()}\n`);
  console.log(`${machineLine()}\nload average before ${loadBefore}, after ${loadAfter}\n`);
  console.log(
    `CLI run: packages/cli/dist/${cliEntry(new URL('../packages/cli/dist/', import.meta.url)).slice(2)}\n`,
  );
  environments.forEach((environment, e) => {
    const first = e * commands.length;
    const ref = summarize(samples[first]!.wall);
    const rows = commands.map(([label], c) => {
      const wall = summarize(samples[first + c]!.wall);
      const cpu = summarize(samples[first + c]!.cpu);
      const verdict = c === 0 ? 'reference' : wall.median < TARGET_MS ? 'PASS' : 'FAIL';
      return [
        label,
        String(wall.runs),
        ms(wall.median),
        ms(wall.min),
        ratio(wall.median, ref.median),
        ms(wall.median - ref.median),
        ms(cpu.median),
        verdict,
      ];
    });
    console.log(`### Environment: ${environment.name}\n`);
    console.log(
      table(
        [
          'command',
          'runs',
          'wall median',
          'wall min',
          '÷ node -e ""',
          'median − node',
          'CPU median',
          '< 150 ms',
        ],
        rows,
      ),
    );
    console.log('');
  });
} finally {
  rmSync(root, { recursive: true, force: true });
}
