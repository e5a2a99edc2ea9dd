/**
 * Start-up of the CLI: `kusion --version`, `kusion --help`, `kusion generate --help`, `kusion version`, each a fresh process,
 * against a bare `node -e ""` measured in the same rounds. Target (SPEC §17): < 150 ms median.
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
  const env = { ...process.env, KUSION_HOME: home, NO_COLOR: '1' };
  const timeoutMs = Number(opts.timeout) * 1000;
  const node = (label: string, args: readonly string[]): RunSpec => ({
    label,
    command: process.execPath,
    args,
    cwd: root,
    env,
    timeoutMs,
  });
  const specs = [
    node('node -e ""', ['-e', '']),
    node('kusion --version', [cliPath(), '--version']),
    node('kusion --help', [cliPath(), '--help']),
    node('kusion generate --help', [cliPath(), 'generate', '--help']),
    node('kusion version', [cliPath(), 'version']),
  ];
  const loadBefore = loadAverage();
  const samples = sampleInterleaved(
    specs.map((spec) => ({ spec, runs: Number(opts.runs) })),
    Number(opts.budget) * 1000,
  );
  const loadAfter = loadAverage();
  const ref = summarize(samples[0]!.wall);

  console.log(`## kusion start-up — ${new Date().toISOString()}\n`);
  console.log(`${machineLine()}\nload average before ${loadBefore}, after ${loadAfter}\n`);
  console.log(
    `CLI run: packages/cli/dist/${cliEntry(new URL('../packages/cli/dist/', import.meta.url)).slice(2)}\n`,
  );
  const rows = specs.map((spec, i) => {
    const wall = summarize(samples[i]!.wall);
    const cpu = summarize(samples[i]!.cpu);
    const verdict = i === 0 ? 'reference' : wall.median < TARGET_MS ? 'PASS' : 'FAIL';
    return [
      spec.label,
      String(wall.runs),
      ms(wall.median),
      ms(wall.min),
      ratio(wall.median, ref.median),
      ms(wall.median - ref.median),
      ms(cpu.median),
      verdict,
    ];
  });
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
} finally {
  rmSync(root, { recursive: true, force: true });
}
