/**
 * `kusion apply` of 1,000 Kubernetes objects from empty and a no-op `kusion preview` of the same, against
 * the raw bound (a minimal concurrent server-side-apply loop, bench/lib/k8s-bench.ts) and `kubectl apply
 * --server-side`, measured in the same rounds on a testbed (issue #4 targets: apply ≤ 1.3× raw and ≥ 3×
 * faster than kubectl; no-op preview ≤ 1.5× raw; state bytes written ≤ 3× final state; peak RSS ≤ 400 MB).
 *
 *   npx tsx test/testbed/cli.ts up bench4        # a long-lived testbed
 *   npm run build && npx tsx bench/apply.ts --testbed bench4 [--objects 1000] [--namespaces 10] [--runs 3]
 *     [--replicas 0] [--qps 5000] [--parallelism 16] [--budget 1800] [--keep]
 *
 * Each round applies fresh namespaces per contender (raw, kubectl, kusion), lets the Deployments become
 * Available and deletes the namespaces before the next contender, so no contender measures another's
 * controller churn. Services are headless (the testbed's service range is a /24). The stack is a `--spec-file` spec of Kubernetes resources only (10 Namespaces plus the
 * objects, each depending on its Namespace). Kusion applies with `--no-watch` (submission is completion, as
 * for the two references); one more apply per round with readiness watching is reported beside it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { attachTestbed } from '../test/testbed/testbed.js';
import {
  type ApiServer,
  benchManifests,
  deleteRun,
  rawApply,
  specText,
  waitAvailable,
} from './lib/k8s-bench.js';
import { cliPath, loadAverage, machineLine } from './lib/machine.js';
import { type RunSpec, timeProcess } from './lib/measure.js';
import { bytes, ms, ratio, summarize, table } from './lib/stats.js';

const { values: opts } = parseArgs({
  options: {
    testbed: { type: 'string', default: 'bench4' },
    objects: { type: 'string', default: '1000' },
    namespaces: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    parallelism: { type: 'string', default: '16' },
    qps: { type: 'string', default: '5000' },
    budget: { type: 'string', default: '1800' },
    keep: { type: 'boolean', default: false },
    replicas: { type: 'string', default: '0' },
  },
});
const objects = Number(opts.objects);
const namespaces = Number(opts.namespaces);
const parallelism = Number(opts.parallelism);
const replicas = Number(opts.replicas);
const manifestsOf = (prefix: string) => benchManifests(prefix, namespaces, objects, replicas);
const info = await attachTestbed(opts.testbed);
const api: ApiServer = {
  url: info.kubernetes.apiserverUrl,
  token: info.kubernetes.token,
  ca: readFileSync(info.kubernetes.caFile),
};
const root = mkdtempSync(join(tmpdir(), 'kusion-bench-apply-'));
const home = join(root, 'home');
const project = join(root, 'project');
mkdirSync(project, { recursive: true });
writeFileSync(join(project, 'project.yaml'), 'name: bench\n');
// qps/burst lifted for the measurement: the raw loop has no client-side limit either (SPEC default 50/100).
writeFileSync(
  join(project, 'workspace.yaml'),
  stringify({
    runtimes: {
      kubernetes: { kubeconfig: info.kubernetes.kubeconfig, qps: Number(opts.qps), burst: Number(opts.qps) },
    },
  }),
);
const env = {
  ...process.env,
  KUSION_HOME: home,
  NO_COLOR: '1',
  KUBECONFIG: info.kubernetes.kubeconfig,
  KUSION_STATE_KEY: Buffer.alloc(32, 4).toString('base64'),
};

/** A stack directory holding the spec of `prefix`'s manifests. */
function stackOf(prefix: string): string {
  const dir = join(project, prefix);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'stack.yaml'), `name: ${prefix}\n`);
  writeFileSync(join(dir, 'spec.yaml'), specText(manifestsOf(prefix)));
  return dir;
}

/** A kusion command under /usr/bin/time, so its peak RSS is known. */
function kusion(dir: string, args: readonly string[], label: string): RunSpec & { rssFile: string } {
  const rssFile = join(root, `${label}.rss`);
  return {
    label,
    command: '/usr/bin/time',
    args: ['-f', '%M', '-o', rssFile, process.execPath, cliPath(), ...args],
    cwd: dir,
    env,
    stdoutFile: join(root, `${label}.out`),
    timeoutMs: 900_000,
    rssFile,
  };
}
const peakRssMb = (file: string) => Number(readFileSync(file, 'utf8').trim().split('\n').at(-1)) / 1024;
const applyArgs = ['apply', '--spec-file', 'spec.yaml', '--workspace-file', '../workspace.yaml', '--yes'];
const previewArgs = ['preview', '--spec-file', 'spec.yaml', '--workspace-file', '../workspace.yaml'];

const samples = {
  raw: [] as number[],
  kubectl: [] as number[],
  kusion: [] as number[],
  kusionWatch: [] as number[],
  rawSettled: [] as number[],
  preview: [] as number[],
  rawNoop: [] as number[],
  rss: [] as number[],
  previewRss: [] as number[],
};
const loads: string[] = [loadAverage()];
const kubectlHome = join(root, 'kubectl-home');
mkdirSync(kubectlHome);

/** Settles and removes a contender's namespaces; returns the ms until its Deployments were Available. */
async function settle(prefix: string): Promise<number> {
  const available = await waitAvailable(api, prefix, namespaces);
  if (!opts.keep) await deleteRun(api, prefix);
  return available;
}

try {
  await deleteRun(api); // leftovers of an interrupted run
  // Warm-up (unmeasured): kubectl's discovery cache, Kusion's first start, the apiserver's caches.
  timeProcess(kusion(stackOf('warm'), [...applyArgs, '--no-watch', '--no-diff'], 'warm'));
  await settle('warm');
  const start = performance.now();
  for (let round = 1; round <= Number(opts.runs); round++) {
    const raw = `r${round}-raw`;
    const rawMs = await rawApply(api, manifestsOf(raw), {
      parallelism,
      fieldManager: 'bench-raw',
    });
    samples.raw.push(rawMs);
    samples.rawSettled.push(rawMs + (await settle(raw)));

    const kc = `r${round}-kubectl`;
    const file = join(root, `${kc}.yaml`);
    writeFileSync(
      file,
      manifestsOf(kc)
        .map((m) => stringify(m))
        .join('---\n'),
    );
    samples.kubectl.push(
      timeProcess({
        label: 'kubectl apply --server-side',
        command: info.kubernetes.kubectl,
        args: ['apply', '--server-side', '--field-manager=bench-kubectl', '-f', file],
        env: { ...env, HOME: kubectlHome },
        stdoutFile: join(root, `${kc}.out`),
        timeoutMs: 900_000,
      }).wallMs,
    );
    await settle(kc);

    const ku = `r${round}-kusion`;
    const dir = stackOf(ku);
    const run = kusion(dir, [...applyArgs, '--no-watch', '--no-diff'], ku);
    samples.kusion.push(timeProcess(run).wallMs);
    samples.rss.push(peakRssMb(run.rssFile));
    await waitAvailable(api, ku, namespaces);
    const preview = kusion(dir, [...previewArgs, '--detailed-exitcode'], `${ku}-preview`);
    samples.preview.push(timeProcess(preview).wallMs); // exit 2 (changes) fails the run
    samples.previewRss.push(peakRssMb(preview.rssFile));
    samples.rawNoop.push(
      await rawApply(api, manifestsOf(ku), {
        parallelism,
        fieldManager: 'kusion',
        dryRun: true,
      }),
    );
    if (!opts.keep) await deleteRun(api, ku);

    const watched = `r${round}-watch`;
    samples.kusionWatch.push(
      timeProcess(kusion(stackOf(watched), [...applyArgs, '--no-diff'], watched)).wallMs,
    );
    await settle(watched);
    loads.push(loadAverage());
    if (performance.now() - start > Number(opts.budget) * 1000) break;
  }

  const bytesRun = await measureStateBytes();
  const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)])) as Record<
    keyof typeof samples,
    ReturnType<typeof summarize>
  >;
  const row = (label: string, x: ReturnType<typeof summarize>, vs: string) => [
    label,
    ms(x.median),
    ms(x.min),
    ms(x.max),
    vs,
  ];
  console.log(machineLine());
  console.log(`load average per round: ${loads.join(' → ')}`);
  console.log(
    `${objects} objects + ${namespaces} namespaces, parallelism ${parallelism}, ${samples.raw.length} rounds\n`,
  );
  console.log(
    table(
      ['command', 'median', 'min', 'max', 'ratio (median)'],
      [
        row('raw SSA loop (bound)', s.raw, '1.00×'),
        row('kubectl apply --server-side', s.kubectl, `${ratio(s.kubectl.median, s.raw.median)} raw`),
        row(
          'kusion apply --no-watch',
          s.kusion,
          `${ratio(s.kusion.median, s.raw.median)} raw · kubectl ÷ kusion ${ratio(s.kubectl.median, s.kusion.median)}`,
        ),
        row('raw SSA loop + until Available', s.rawSettled, '1.00×'),
        row('kusion apply (watching)', s.kusionWatch, `${ratio(s.kusionWatch.median, s.rawSettled.median)}`),
        row('raw dry-run SSA loop (no-op bound)', s.rawNoop, '1.00×'),
        row('kusion preview (no-op)', s.preview, `${ratio(s.preview.median, s.rawNoop.median)} raw`),
      ],
    ),
  );
  const maxRss = Math.max(...samples.rss, ...samples.previewRss);
  console.log(
    `\npeak RSS: apply ${samples.rss.map((r) => r.toFixed(0)).join('/')} MB, preview ${samples.previewRss.map((r) => r.toFixed(0)).join('/')} MB`,
  );
  console.log(
    `state bytes written during one apply: ${bytes(bytesRun.written)} (${bytesRun.files} write calls) · final state ${bytes(bytesRun.final)} · ratio ${(bytesRun.written / bytesRun.final).toFixed(2)}×`,
  );
  const verdicts = [
    ['apply ≤ 1.3× raw', s.kusion.median / s.raw.median <= 1.3],
    ['apply ≥ 3× faster than kubectl', s.kubectl.median / s.kusion.median >= 3],
    ['no-op preview ≤ 1.5× raw', s.preview.median / s.rawNoop.median <= 1.5],
    ['state bytes ≤ 3× final', bytesRun.written / bytesRun.final <= 3],
    ['peak RSS ≤ 400 MB', maxRss <= 400],
  ] as const;
  console.log(`\n${verdicts.map(([what, ok]) => `${what}: ${ok ? 'PASS' : 'FAIL'}`).join('\n')}`);
} finally {
  if (!opts.keep) rmSync(root, { recursive: true, force: true });
}

/**
 * Bytes Kusion writes under KUSION_HOME during one apply from empty, counted by strace (write, pwrite64,
 * writev with `-y` fd paths), against the size of what stays afterwards under the stack's release
 * directory. Unmeasured for time: strace slows the process.
 */
async function measureStateBytes(): Promise<{ written: number; final: number; files: number }> {
  const prefix = 'bytes';
  const dir = stackOf(prefix);
  const trace = join(root, 'strace.txt');
  execFileSync(
    'strace',
    [
      ...['-f', '-qq', '-e', 'trace=write,pwrite64,writev,pwritev', '-y', '-o', trace],
      ...[process.execPath, cliPath(), ...applyArgs, '--no-watch', '--no-diff'],
    ],
    { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 },
  );
  // The stack's own files: releases/<project>/<stack>/…, its journal and lock (not logs or caches).
  const ofStack = (path: string) => path.startsWith(home) && path.includes(`/${prefix}/`);
  let written = 0;
  let calls = 0;
  const pattern = /^\d+\s+(?:write|pwrite64|writev|pwritev)\(\d+<([^>]*)>.*\)\s+=\s+(\d+)$/;
  for (const line of readFileSync(trace, 'utf8').split('\n')) {
    const match = pattern.exec(line);
    if (match?.[1] && ofStack(match[1])) {
      written += Number(match[2]);
      calls += 1;
    }
  }
  const final = sizeUnder(home, ofStack);
  await settle(prefix);
  return { written, final, files: calls };
}

/** Total size of the files under `dir` whose path passes `keep`. */
function sizeUnder(dir: string, keep: (path: string) => boolean): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (keep(path)) total += statSync(path).size;
  }
  return total;
}
