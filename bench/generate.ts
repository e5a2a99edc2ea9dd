/**
 * `kusion generate` at 10, 100 and 1,000 apps (≈10 resources each), as fresh processes, against a bare
 * `node -e ""` measured in the same rounds. Targets (SPEC §17): 100 apps < 1 s wall including start-up;
 * linear in the number of apps.
 *
 *   npm run build && npx tsx bench/generate.ts [--sizes 10,100,1000] [--runs 5] [--large-runs 3]
 *                                               [--budget 300] [--timeout 120] [--keep]
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cliEntry } from '../packages/cli/src/entry.js';
import { resultsTable, type SizeResult, slopeReport, verdict } from './lib/generate-report.js';
import { cliPath, loadAverage, machineLine } from './lib/machine.js';
import { type RunSpec, type Series, sampleInterleaved } from './lib/measure.js';
import { writeStack } from './lib/stack.js';
import { ms, summarize } from './lib/stats.js';
import { yamlFloor } from './lib/yaml-floor.js';

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10,100,1000' },
    runs: { type: 'string', default: '5' },
    'large-runs': { type: 'string', default: '3' },
    budget: { type: 'string', default: '300' },
    timeout: { type: 'string', default: '120' },
    keep: { type: 'boolean', default: false },
  },
});
const sizes = opts.sizes.split(',').map(Number);
const LARGE = 1000;

const root = mkdtempSync(join(tmpdir(), 'kusion-bench-generate-'));
const home = join(root, 'home');
mkdirSync(home);
const env = { ...process.env, KUSION_HOME: home, NO_COLOR: '1' };
const timeoutMs = Number(opts.timeout) * 1000;

interface Size {
  readonly apps: number;
  readonly stackDir: string;
  readonly outFile: string;
}

try {
  const loadBefore = loadAverage();
  const cases: Size[] = sizes.map((apps) => ({
    apps,
    stackDir: writeStack(root, apps),
    outFile: join(root, `spec-${apps}.yaml`),
  }));
  const reference: RunSpec = {
    label: 'node -e ""',
    command: process.execPath,
    args: ['-e', ''],
    cwd: root,
    env,
    timeoutMs,
  };
  const series: Series[] = [
    { spec: reference, runs: Number(opts.runs) },
    ...cases.map(({ apps, stackDir, outFile }) => ({
      spec: {
        label: `generate ${apps}`,
        command: process.execPath,
        args: [cliPath(), 'generate'],
        cwd: stackDir,
        env,
        stdoutFile: outFile,
        timeoutMs,
      },
      runs: Number(apps >= LARGE ? opts['large-runs'] : opts.runs),
      warmup: apps < LARGE,
    })),
  ];
  const [refSamples, ...genSamples] = sampleInterleaved(series, Number(opts.budget) * 1000);
  const ref = { wall: summarize(refSamples!.wall), cpu: summarize(refSamples!.cpu) };
  const rows: SizeResult[] = cases.map((c, i) => ({
    apps: c.apps,
    wall: summarize(genSamples[i]!.wall),
    cpu: summarize(genSamples[i]!.cpu),
    bytes: statSync(c.outFile).size,
    floor: yamlFloor(join(c.stackDir, 'main.yaml'), c.outFile, c.apps >= LARGE ? 1 : 3),
  }));
  const loadAfter = loadAverage();

  console.log(`## kusion generate — ${new Date().toISOString()}\n`);
  console.log(`${machineLine()}\nload average before ${loadBefore}, after ${loadAfter}\n`);
  console.log(
    `CLI run: packages/cli/dist/${cliEntry(new URL('../packages/cli/dist/', import.meta.url)).slice(2)}\n`,
  );
  console.log(
    `reference \`node -e ""\`: wall median ${ms(ref.wall.median)}, min ${ms(ref.wall.min)}, CPU median ${ms(ref.cpu.median)} (${ref.wall.runs} runs)\n`,
  );
  console.log(`${resultsTable(rows, ref)}\n\n${slopeReport(rows)}\n\n${verdict(rows, ref)}`);
} finally {
  if (opts.keep) console.error(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
