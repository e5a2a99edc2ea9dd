import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface RunSpec {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Write stdout to this file (truncated each run); otherwise it is captured in memory. */
  readonly stdoutFile?: string;
  /** Kill the process after this long. */
  readonly timeoutMs: number;
}

export interface RunResult {
  readonly wallMs: number;
  /** User + system CPU time of the child and its threads (Linux only, 10 ms resolution); NaN elsewhere. */
  readonly cpuMs: number;
  readonly stdout: string;
}

const PROC_STAT = '/proc/self/stat';
const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU time of waited-for children (cutime + cstime), from /proc; NaN when unavailable. */
function childrenCpuMs(): number {
  if (!existsSync(PROC_STAT)) return Number.NaN;
  const stat = readFileSync(PROC_STAT, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
  return (Number(fields[13]) + Number(fields[14])) * TICK_MS;
}

/** Runs one fresh process and returns its wall time (spawn to exit, as a user sees it). */
export function timeProcess(spec: RunSpec): RunResult {
  const fd = spec.stdoutFile === undefined ? undefined : openSync(spec.stdoutFile, 'w');
  try {
    const cpuBefore = childrenCpuMs();
    const start = performance.now();
    const result = spawnSync(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ['ignore', fd ?? 'pipe', 'pipe'],
      timeout: spec.timeoutMs,
      maxBuffer: 64 << 20,
      encoding: 'utf8',
    });
    const wallMs = performance.now() - start;
    const cpuMs = childrenCpuMs() - cpuBefore;
    const what = `${spec.label} (${spec.command} ${spec.args.join(' ')})`;
    if (result.error) throw new Error(`${what}: ${result.error.message}`);
    if (result.status !== 0) {
      throw new Error(`${what} exited ${result.status ?? result.signal}: ${result.stderr.slice(0, 2000)}`);
    }
    return { wallMs, cpuMs, stdout: result.stdout ?? '' };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface Series {
  readonly spec: RunSpec;
  /** Samples wanted. */
  readonly runs: number;
  /** One unmeasured run first (page cache). @default true */
  readonly warmup?: boolean;
}

export interface Samples {
  readonly wall: number[];
  readonly cpu: number[];
}

/**
 * Runs every series round-robin (after the warm-ups), so a change in
 * machine load hits all series alike. Stops after the round in which `budgetMs` is exceeded, having
 * taken at least one sample of each series.
 */
export function sampleInterleaved(series: readonly Series[], budgetMs: number): Samples[] {
  for (const { spec, warmup } of series) if (warmup !== false) timeProcess(spec);
  const samples = series.map((): Samples => ({ wall: [], cpu: [] }));
  const start = performance.now();
  const rounds = Math.max(...series.map((s) => s.runs));
  for (let round = 0; round < rounds; round++) {
    series.forEach(({ spec, runs }, i) => {
      if (round >= runs) return;
      const result = timeProcess(spec);
      samples[i]!.wall.push(result.wallMs);
      samples[i]!.cpu.push(result.cpuMs);
    });
    if (performance.now() - start > budgetMs) break;
  }
  return samples;
}
