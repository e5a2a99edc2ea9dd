/**
 * Reading a machine-written YAML spec: the engine's fast subset reader (`readYamlSubset`, the first thing
 * `kusion apply/preview --spec-file` and the release reads do) against `yaml`'s `parse`, on a spec
 * generated like `kusion generate` writes them (1,010 Kubernetes objects, ~0.5 MB by default).
 *
 * Cold: the first call in a fresh `node` process (nothing compiled yet, as in the CLI), timed inside the
 * child, each reader in turn round-robin; also the CPU time of the child's main thread during that call
 * (Linux), which waiting for a busy machine's CPUs does not inflate. Warm: the median of repeated calls
 * in this process, round-robin too. Every reader's value is first checked to equal `yaml`'s.
 *
 * Measures the built module (`npx tsc -b packages/engine` first); `--compare a.js,b.js` adds other builds
 * of the reader (any module exporting `readYamlSubset`), e.g. the built file of an earlier commit copied
 * aside.
 *
 *   npx tsc -b packages/engine && npx tsx bench/yaml-read.ts [--objects 1000] [--runs 15] [--warm-runs 30]
 *     [--budget 120] [--compare /tmp/old/yaml-fast-read.js]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { parse } from 'yaml';
import { benchManifests, specText } from './lib/k8s-bench.js';
import { loadAverage, machineLine, repoRoot } from './lib/machine.js';
import { timeProcess } from './lib/measure.js';
import { ms, ratio, summarize, table } from './lib/stats.js';

const { values: opts } = parseArgs({
  options: {
    objects: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '15' },
    'warm-runs': { type: 'string', default: '30' },
    budget: { type: 'string', default: '120' },
    compare: { type: 'string', default: '' },
  },
});

type Read = (text: string) => unknown;

/**
 * Child process: import the reader, read the file, time the first call; prints its wall time and its
 * main thread's CPU time (from /proc, NaN elsewhere) in milliseconds.
 */
const coldScript = `
import { existsSync, readFileSync } from 'node:fs';
const [module, file, exported] = process.argv.slice(1);
const schedstat = '/proc/self/task/' + process.pid + '/schedstat';
const cpuMs = () => (existsSync(schedstat) ? Number(readFileSync(schedstat, 'utf8').split(' ')[0]) / 1e6 : NaN);
const read = (await import(module))[exported];
const text = readFileSync(file, 'utf8');
const cpu = cpuMs();
const start = performance.now();
const value = read(text);
const elapsed = performance.now() - start;
const mainThread = cpuMs() - cpu;
if (value === undefined) throw new Error('the reader declined the spec');
process.stdout.write(elapsed + ' ' + mainThread);
`;

interface Contender {
  readonly label: string;
  /** A file URL the child can import. */
  readonly module: string;
  readonly exported: 'readYamlSubset' | 'parse';
}

const engineRequire = createRequire(join(repoRoot, 'packages/engine/package.json'));
const contenders: Contender[] = [
  {
    label: 'readYamlSubset (built)',
    module: pathToFileURL(join(repoRoot, 'packages/engine/dist/config/yaml-fast-read.js')).href,
    exported: 'readYamlSubset',
  },
  ...opts.compare
    .split(',')
    .filter((path) => path !== '')
    .map(
      (path): Contender => ({
        label: `readYamlSubset (${basename(path)})`,
        module: pathToFileURL(path).href,
        exported: 'readYamlSubset',
      }),
    ),
  { label: 'yaml parse', module: pathToFileURL(engineRequire.resolve('yaml')).href, exported: 'parse' },
];

/** Median time of a call of each reader: a few unmeasured calls, then `runs` rounds, round-robin. */
function warmMedians(readers: readonly Read[], text: string, runs: number): number[] {
  for (const read of readers) for (let i = 0; i < 5; i++) read(text);
  const samples = readers.map((): number[] => []);
  for (let round = 0; round < runs; round++) {
    readers.forEach((read, i) => {
      const start = performance.now();
      read(text);
      samples[i]?.push(performance.now() - start);
    });
  }
  return samples.map((s) => summarize(s).median);
}

const dir = mkdtempSync(join(tmpdir(), 'kusion-bench-yaml-'));
try {
  const text = specText(benchManifests('r1-kusion', 10, Number(opts.objects), 0));
  const file = join(dir, 'spec.yaml');
  writeFileSync(file, text);
  const reference = parse(text) as unknown;

  const readers: Read[] = [];
  for (const c of contenders) {
    const read = ((await import(c.module)) as Record<string, Read>)[c.exported];
    if (read === undefined) throw new Error(`${c.module} exports no ${c.exported}`);
    if (!isDeepStrictEqual(read(text), reference)) throw new Error(`${c.label} differs from yaml parse`);
    readers.push(read);
  }

  const cold: number[][] = contenders.map(() => []);
  const coldCpu: number[][] = contenders.map(() => []);
  const budgetMs = Number(opts.budget) * 1000;
  const start = performance.now();
  for (let round = 0; round < Number(opts.runs) && performance.now() - start < budgetMs; round++) {
    contenders.forEach((c, i) => {
      const args = ['--input-type=module', '-e', coldScript, '--', c.module, file, c.exported];
      const run = timeProcess({ label: c.label, command: process.execPath, args, timeoutMs: 60_000 });
      const [wall, cpu] = run.stdout.split(' ').map(Number);
      cold[i]?.push(wall ?? Number.NaN);
      coldCpu[i]?.push(cpu ?? Number.NaN);
    });
  }
  const warm = warmMedians(readers, text, Number(opts['warm-runs']));

  const coldYaml = summarize(cold[cold.length - 1] ?? []).median;
  const warmYaml = warm[warm.length - 1] ?? Number.NaN;
  // How many times faster than `yaml` parse (the reference row reads 1.0×).
  const speedUp = (value: number, reference: number): string => ratio(reference, value);
  console.log(machineLine());
  console.log(`spec: ${(text.length / 1024).toFixed(0)} KiB, ${text.split('\n').length} lines\n`);
  console.log(
    table(
      [
        'reader',
        'cold median (min–max)',
        'cold main-thread CPU median',
        'cold speed-up vs yaml',
        'warm median',
        'warm speed-up vs yaml',
      ],
      contenders.map((c, i) => {
        const s = summarize(cold[i] ?? []);
        return [
          c.label,
          `${ms(s.median)} (${ms(s.min)}–${ms(s.max)}, ${s.runs} runs)`,
          ms(summarize(coldCpu[i] ?? []).median),
          speedUp(s.median, coldYaml),
          `${(warm[i] ?? Number.NaN).toFixed(1)} ms`,
          speedUp(warm[i] ?? Number.NaN, warmYaml),
        ];
      }),
    ),
  );
  console.log(`\nload average after: ${loadAverage()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
