/**
 * SIGKILL crash trials of a remote state backend (SPEC §9.4), the PostgreSQL and S3 counterpart of the
 * local store's crash test: a child process runs `crash-workload.ts` (lock, recover a dead run by journal
 * replay, create, walk phases, journal, compact or delete, unlock, forever) against the backend and is
 * killed at a random instant; after each kill the backend must read back whole and consistent through its
 * own adapter, and the next child must recover it. The child runs an esbuild bundle (Node 20 cannot run
 * TypeScript), built once per file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect } from 'vitest';
import { replayJournal } from '../../packages/engine/src/state/journal.js';
import { crashIdentity, seededRandom } from '../../packages/engine/src/state/local/crash-workload.js';
import type { ReleaseStore } from '../../packages/engine/src/state/port.js';
import { isFinishedPhase } from '../../packages/engine/src/state/records.js';
import { indexEntryOf } from '../../packages/engine/src/state/rules.js';

const here = dirname(fileURLToPath(import.meta.url));
const stateSrc = resolve(here, '../../packages/engine/src/state');
export const hour = 3_600_000;

/** Which backend a child opens: its type and `configs`, as `config.yaml` would hold them. */
export interface CrashBackend {
  readonly type: 'postgres' | 's3';
  readonly configs: Readonly<Record<string, unknown>>;
}

/** Bundles the child once; returns its path and a cleanup. */
export async function bundleWorkload(): Promise<{ bundle: string; cleanup(): Promise<void> }> {
  const work = await mkdtemp(join(tmpdir(), 'kusion-remote-crash-'));
  const bundle = join(work, 'workload.cjs');
  await build({
    stdin: {
      contents: [
        `import { crashIdentity, runCrashWorkload } from ${JSON.stringify(`${stateSrc}/local/crash-workload.ts`)};`,
        `import { openPostgresBackend } from ${JSON.stringify(`${stateSrc}/postgres/backend.ts`)};`,
        `import { openS3Backend } from ${JSON.stringify(`${stateSrc}/s3/backend.ts`)};`,
        'const [type, configs, seed, offset, runId] = process.argv.slice(2);',
        'const clock = { now: () => new Date(Date.now() + Number(offset)) };',
        "const open = type === 'postgres' ? openPostgresBackend : openS3Backend;",
        "const backend = open('crash', JSON.parse(configs), { clock, settleMs: 20 });",
        'runCrashWorkload({',
        "  root: '', store: backend.releases(crashIdentity), seed: Number(seed), runId, clock,",
        '  onStep: (step) => process.stdout.write(`${step}\\n`),',
        '}).catch((error) => {',
        // One coded line, as the CLI would print it: the outage tests read it.
        "  process.stderr.write(`${error.code ?? 'UNCODED'}: ${error.message}\\n${error.stack}\\n`);",
        '  process.exit(1);',
        '});',
      ].join('\n'),
      resolveDir: here,
      sourcefile: 'remote-crash-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: bundle,
    // Optional drivers pg looks for at run time; never installed here.
    external: ['pg-native', 'pg-cloudflare'],
    logLevel: 'silent',
  });
  return { bundle, cleanup: () => rm(work, { recursive: true, force: true }) };
}

/** How a child ended. */
export interface ChildEnd {
  readonly steps: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/**
 * Runs one child; `onSteps(steps, child)` sees its progress (the kill or outage is aimed from there).
 * `round` moves the child's clock `round` hours ahead, so the lease of the run killed before has expired.
 */
export function runChild(
  bundle: string,
  backend: CrashBackend,
  options: {
    seed: number;
    round: number;
    runId: string;
    onSteps: (steps: number, child: ChildProcess) => void;
  },
): Promise<ChildEnd> {
  const child = spawn(
    process.execPath,
    [
      bundle,
      backend.type,
      JSON.stringify(backend.configs),
      String(options.seed),
      String(options.round * hour),
      options.runId,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let steps = -1; // the first line is `ready`
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    steps += chunk.toString().split('\n').length - 1;
    options.onSteps(steps, child);
  });
  return new Promise((resolvePromise) => {
    child.on('exit', (code, signal) => resolvePromise({ steps, code, signal, stderr }));
  });
}

/** Kills a child with SIGKILL inside the operation after its `afterSteps`-th, `jitterMs` into it. */
export async function killDuringRun(
  bundle: string,
  backend: CrashBackend,
  trial: { seed: number; round: number; runId: string; afterSteps: number; jitterMs: number },
): Promise<number> {
  let isAiming = false;
  const end = await runChild(bundle, backend, {
    ...trial,
    onSteps: (steps, child) => {
      if (steps >= trial.afterSteps && !isAiming) {
        isAiming = true;
        setTimeout(() => child.kill('SIGKILL'), trial.jitterMs);
      }
    },
  });
  if (end.signal !== 'SIGKILL') {
    expect.unreachable(`workload ended by itself (code ${end.code}, seed ${trial.seed}):\n${end.stderr}`);
  }
  return end.steps;
}

/** What one check found. */
export interface StoreCheck {
  readonly latestRevision: number;
  readonly isMidRun: boolean;
  readonly isLockHeld: boolean;
}

/**
 * Checks a history through its adapter: every listed revision reads back and agrees with the index,
 * revisions have no gap, only the latest may be unfinished, its journal replays, the lock record parses.
 */
export async function checkStore(store: ReleaseStore, where: string): Promise<StoreCheck> {
  const index = await store.list();
  const revisions = index.entries.map((e) => e.revision);
  expect(revisions, `no gaps (${where})`).toEqual(
    Array.from({ length: index.latestRevision }, (_, i) => i + 1),
  );
  for (const entry of index.entries) {
    const release = await store.get(entry.revision);
    expect(release && indexEntryOf(release), `release ${entry.revision} (${where})`).toEqual(entry);
  }
  const unfinished = index.entries.filter((e) => !isFinishedPhase(e.phase)).map((e) => e.revision);
  expect(
    unfinished.filter((r) => r !== index.latestRevision),
    `only the latest may be unfinished (${where})`,
  ).toEqual([]);
  const latest = await store.latest();
  expect(latest?.revision ?? 0, `latest (${where})`).toBe(index.latestRevision);
  if (latest && !isFinishedPhase(latest.phase))
    replayJournal(latest.state, await store.journal(latest.revision).read());
  const lock = await store.lock.read();
  return {
    latestRevision: index.latestRevision,
    isMidRun: unfinished.length > 0,
    isLockHeld: lock !== undefined,
  };
}

/** A last, clean run: takes over, recovers a dead run by replay, creates and declines one release. */
export async function recoverAndDecline(store: ReleaseStore): Promise<void> {
  const owner = { operator: 'final@test', host: 'test', pid: process.pid, runId: 'final' };
  const lock = await store.lock.acquire(owner, { operation: 'apply', leaseMs: 60_000 });
  const crashed = await store.latest();
  if (crashed && !isFinishedPhase(crashed.phase)) {
    const { state } = replayJournal(crashed.state, await store.journal(crashed.revision).read());
    await store.update({ ...crashed, phase: 'failed', state });
    await store.journal(crashed.revision).clear();
  }
  const previous = await store.latest();
  if (previous) {
    const revision = previous.revision + 1;
    await store.create({ ...previous, revision, phase: 'previewing' });
    await store.delete(revision);
  }
  await store.lock.release(lock);
}

/** Kill points for `trials` runs, reproducible from `seed`. */
export function killPlan(seed: number, trials: number): { afterSteps: number; jitterMs: number }[] {
  const random = seededRandom(seed);
  return Array.from({ length: trials }, () => ({
    afterSteps: Math.floor(random() * 24),
    jitterMs: Math.floor(random() * 30),
  }));
}

export { crashIdentity };
