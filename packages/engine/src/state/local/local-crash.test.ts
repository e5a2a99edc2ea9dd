/**
 * Crash consistency of the local store (SPEC §9.4): a child process runs `crash-workload.ts` against a
 * store and is SIGKILLed at a random instant; the parent then checks that every file of the key layout
 * parses, that the history has no gap and at most its latest release unfinished, that the index served
 * matches the release files and that `index.json` on disk lags by at most the interrupted write. The next
 * child recovers the dead run (lease takeover, journal replay) before its own, so recovery is killed too.
 *
 * The one unit test that starts processes: `node` for each trial, after one esbuild bundle of the workload
 * (Node 20 cannot run TypeScript). Lanes of trials run side by side on separate stores to stay fast.
 * Set KUSION_CRASH_SEED to replay a failing sequence of kill delays.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ReleaseSchema } from '../../model/release.js';
import { replayJournal } from '../journal.js';
import {
  isFinishedPhase,
  JournalEntrySchema,
  LockRecordSchema,
  type ReleaseIndexEntry,
  ReleaseIndexSchema,
} from '../records.js';
import { crashIdentity, seededRandom } from './crash-workload.js';
import { LocalReleaseStore } from './release-store.js';

const lanes = 5;
const trialsPerLane = 10;
const hour = 3_600_000;
const seed = Number(process.env['KUSION_CRASH_SEED'] ?? Date.now() % 2 ** 31);
const here = dirname(fileURLToPath(import.meta.url));

let work: string;
let bundle: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kusion-crash-'));
  bundle = join(work, 'workload.cjs');
  await build({
    stdin: {
      contents: [
        "import { runCrashWorkload } from './crash-workload.ts';",
        'const [root, seed, offset, runId] = process.argv.slice(2);',
        'runCrashWorkload({',
        '  root, seed: Number(seed), runId,',
        '  clock: { now: () => new Date(Date.now() + Number(offset)) },',
        '  onStep: (step) => process.stdout.write(`${step}\\n`),',
        '}).catch((error) => {',
        '  process.stderr.write(`${error.stack}\\n`);',
        '  process.exit(1);',
        '});',
      ].join('\n'),
      resolveDir: here,
      sourcefile: 'crash-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    // CommonJS, so bundled CommonJS dependencies (write-file-atomic) keep require and __filename.
    format: 'cjs',
    minify: true,
    target: 'node20',
    outfile: bundle,
    logLevel: 'silent',
  });
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

interface TrialOutcome {
  /** Store operations the run completed before it was killed. */
  readonly steps?: number;
  readonly isMidRun: boolean;
  readonly leftovers: number;
  readonly isLockHeld: boolean;
}

/**
 * Starts the workload and kills it inside the operation after its `afterSteps`-th, `jitterMs` into it:
 * counting steps instead of milliseconds aims the kills the same way on a fast disk and a slow one.
 */
async function killDuringRun(
  root: string,
  trial: number,
  round: number,
  afterSteps: number,
  jitterMs: number,
): Promise<number> {
  // Round n of a lane runs n hours ahead, so the lease of the run killed before it has expired.
  const child: ChildProcess = spawn(
    process.execPath,
    [bundle, root, String(seed + trial), String(round * hour), `run-${trial}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  let steps = -1; // the first line is `ready`
  let isAiming = false;
  child.stdout?.on('data', (chunk: Buffer) => {
    steps += chunk.toString().split('\n').length - 1;
    if (steps >= afterSteps && !isAiming) {
      isAiming = true;
      setTimeout(() => child.kill('SIGKILL'), jitterMs);
    }
  });
  const { code, signal } = await exited;
  if (signal !== 'SIGKILL') {
    expect.unreachable(`workload ended by itself (code ${code}, seed ${seed}, trial ${trial}):\n${stderr}`);
  }
  return steps;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat();
}

const base = `releases/${crashIdentity.project}/${crashIdentity.stack}/${crashIdentity.workspace}`;
const releaseKey = new RegExp(`^${base}/([0-9]+)\\.yaml$`);
const indexKey = `${base}/index.json`;
const journalKey = new RegExp(`^${base}/journal/([0-9]+)\\.jsonl$`);
const lockKey = `locks/${crashIdentity.project}/${crashIdentity.stack}/${crashIdentity.workspace}.json`;
/** Temp files of our writes (`.tmp`) and of write-file-atomic (`<name>.<hex>`). */
const leftover = /(\.tmp$)|(\.(json|yaml|guard)\.[0-9a-f]{6,}$)/;

/** Checks every file and the index; throws with details on the first inconsistency. */
async function verify(root: string, trial: number): Promise<TrialOutcome> {
  const where = `seed ${seed}, trial ${trial}`;
  const truth = new Map<number, ReleaseIndexEntry>();
  let onDiskIndex: ReleaseIndexEntry[] | undefined;
  let leftovers = 0;
  let isLockHeld = false;
  for (const file of await walk(root)) {
    const key = relative(root, file).split(sep).join('/');
    const text = await readFile(file, 'utf8');
    const release = releaseKey.exec(key);
    const journal = journalKey.exec(key);
    if (release) {
      const parsed = ReleaseSchema.parse(parse(text));
      expect(parsed.revision, `${key} (${where})`).toBe(Number(release[1]));
      truth.set(parsed.revision, {
        revision: parsed.revision,
        phase: parsed.phase,
        operator: parsed.operator,
        createTime: parsed.createTime,
      });
    } else if (key === indexKey) {
      onDiskIndex = ReleaseIndexSchema.parse(JSON.parse(text)).entries;
    } else if (journal) {
      // Every complete line is an entry; only a torn last line (no newline) may be left by a crash.
      for (const line of text.split('\n').slice(0, -1)) JournalEntrySchema.parse(JSON.parse(line));
    } else if (key === lockKey) {
      LockRecordSchema.parse(JSON.parse(text));
      isLockHeld = true;
    } else if (key === `${lockKey}.guard`) {
      JSON.parse(text);
    } else if (leftover.test(`/${key}`)) {
      leftovers += 1;
    } else {
      expect.unreachable(`unexpected file ${key} (${where})`);
    }
  }

  const revisions = [...truth.keys()].sort((a, b) => a - b);
  const latest = revisions.at(-1) ?? 0;
  expect(revisions, `no gaps (${where})`).toEqual(Array.from({ length: latest }, (_, i) => i + 1));
  const unfinished = revisions.filter((r) => !isFinishedPhase(truth.get(r)?.phase ?? 'failed'));
  expect(
    unfinished.filter((r) => r !== latest),
    `only the latest may be unfinished (${where})`,
  ).toEqual([]);

  // What the store serves is exactly what the release files say.
  const store = new LocalReleaseStore(root, crashIdentity, { clock: { now: () => new Date() } });
  const served = await store.list();
  expect(served, `served index (${where})`).toEqual({
    latestRevision: latest,
    entries: revisions.map((r) => truth.get(r)),
  });

  // index.json itself may lag only by the write that was interrupted, which touches the latest revision.
  for (const entry of onDiskIndex ?? []) {
    if (entry.revision < latest)
      expect(entry, `index.json entry (${where})`).toEqual(truth.get(entry.revision));
    else expect(entry.revision, `index.json entry (${where})`).toBeLessThanOrEqual(latest + 1);
  }
  if (onDiskIndex) {
    const listed = new Set(onDiskIndex.map((e) => e.revision));
    expect(
      revisions.filter((r) => r < latest && !listed.has(r)),
      `index.json misses (${where})`,
    ).toEqual([]);
  }

  // An interrupted run's journal replays over its state.
  const last = await store.latest();
  if (last && !isFinishedPhase(last.phase))
    replayJournal(last.state, await store.journal(last.revision).read());
  return { isMidRun: unfinished.length > 0, leftovers, isLockHeld };
}

describe('local store crash consistency', () => {
  it(`given runs SIGKILLed at random instants (${lanes * trialsPerLane} trials), then the store stays readable and consistent`, async () => {
    const started = performance.now();
    const random = seededRandom(seed);
    const plans = Array.from({ length: lanes }, () =>
      Array.from({ length: trialsPerLane }, () => ({
        afterSteps: Math.floor(random() * 24),
        jitterMs: Math.floor(random() * 30),
      })),
    );
    const outcomes = await Promise.all(
      plans.map(async (delays, lane) => {
        const root = await mkdtemp(join(work, `lane-${lane}-`));
        const results: TrialOutcome[] = [];
        for (const [i, aim] of delays.entries()) {
          const trial = lane * trialsPerLane + i;
          const steps = await killDuringRun(root, trial, i, aim.afterSteps, aim.jitterMs);
          results.push({ ...(await verify(root, trial)), steps });
        }
        // A last run recovers the dead one and is declined; after its writes index.json on disk is exact.
        const clock = { now: () => new Date(Date.now() + (trialsPerLane + 1) * hour) };
        const store = new LocalReleaseStore(root, crashIdentity, { clock });
        const owner = { operator: 'final@test', host: 'test', pid: process.pid, runId: `final-${lane}` };
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
          await store.create({ ...previous, revision, phase: 'previewing', state: previous.state });
          await store.delete(revision);
        }
        await store.lock.release(lock);
        const onDisk = ReleaseIndexSchema.parse(
          JSON.parse(
            await readFile(join(root, base, 'index.json'), 'utf8').catch(
              () => '{"latestRevision":0,"entries":[]}',
            ),
          ),
        );
        expect(onDisk).toEqual(await store.list());
        return { results, releases: onDisk.latestRevision };
      }),
    );
    const all = outcomes.flatMap((o) => o.results);
    const summary = {
      seed,
      trials: all.length,
      killedMidRun: all.filter((o) => o.isMidRun).length,
      killedHoldingLock: all.filter((o) => o.isLockHeld).length,
      withLeftoverTempFiles: all.filter((o) => o.leftovers > 0).length,
      stepsBeforeKill: all.reduce((n, o) => n + (o.steps ?? 0), 0),
      releasesWritten: outcomes.reduce((n, o) => n + o.releases, 0),
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    console.log(`crash test: ${JSON.stringify(summary)}`);
    expect(all).toHaveLength(lanes * trialsPerLane);
    // The kills must land inside runs, or the test proves nothing.
    expect(summary.killedMidRun).toBeGreaterThan(0);
  }, 120_000);
});
