/**
 * S3 state backend under SIGKILL: 20 runs of the crash workload killed at random instants against the
 * testbed's versitygw, each checked through the adapter and against the objects (only SPEC §9.2 keys; the
 * stored index lags by at most the interrupted write). Set KUSION_CRASH_SEED to replay a sequence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReleaseIndexSchema } from '../../packages/engine/src/state/records.js';
import { openS3Backend } from '../../packages/engine/src/state/s3/backend.js';
import { s3Bucket } from '../integration/state/s3-support.js';
import {
  bundleWorkload,
  type CrashBackend,
  checkStore,
  crashIdentity,
  hour,
  killDuringRun,
  killPlan,
  recoverAndDecline,
  type StoreCheck,
} from './crash-support.js';

const trials = 20;
const seed = Number(process.env['KUSION_CRASH_SEED'] ?? Date.now() % 2 ** 31);
const bucket = s3Bucket('crash');
let backend: CrashBackend;
let workload: Awaited<ReturnType<typeof bundleWorkload>>;
let drop: () => Promise<void>;

const base = `releases/${crashIdentity.project}/${crashIdentity.stack}/${crashIdentity.workspace}`;
const known = [
  new RegExp(`^${base}/[1-9][0-9]*\\.yaml$`),
  new RegExp(`^${base}/index\\.json$`),
  new RegExp(`^${base}/journal/[1-9][0-9]*/[1-9][0-9]*\\.json$`),
  /^locks\/crash\/test\/default\.json$/,
];
/** Left by a child killed inside the conditional-write probe, which deletes it when it can. */
const probe = /^\.kusion\/probe\/[0-9a-f-]+$/;

beforeAll(async () => {
  workload = await bundleWorkload();
  const fixture = await bucket.fixture('crash');
  backend = { type: 's3', configs: fixture.configs };
  drop = () => fixture.drop();
}, 120_000);

afterAll(async () => {
  await drop();
  await bucket.remove();
  await workload.cleanup();
});

describe('s3 state backend under SIGKILL', () => {
  it(`given ${trials} runs killed at random instants, then every time the history reads back whole and the next run recovers it`, async () => {
    const started = performance.now();
    const outcomes: (StoreCheck & { steps: number; probes: number })[] = [];
    for (const [round, aim] of killPlan(seed, trials).entries()) {
      const steps = await killDuringRun(workload.bundle, backend, {
        seed: seed + round,
        round,
        runId: `run-${round}`,
        ...aim,
      });
      const where = `seed ${seed}, trial ${round}`;
      // A request the killed run had fully sent is still completed by the server: let it land before
      // checking, or the check races the dead run's last write (S3 offers no session to wait for).
      await new Promise((resolve) => setTimeout(resolve, 250));
      const opened = openS3Backend('check', backend.configs);
      try {
        const check = await checkStore(opened.releases(crashIdentity), where);
        const keys = await opened.objects.list('');
        const strangers = keys.filter((k) => !probe.test(k) && !known.some((p) => p.test(k)));
        expect(strangers, `objects outside the key layout (${where})`).toEqual([]);
        // index.json may lag only by the interrupted write, which touches the latest revision.
        const stored = await opened.objects.get(`${base}/index.json`);
        if (stored) {
          const onDisk = ReleaseIndexSchema.parse(JSON.parse(stored.body));
          const served = await opened.releases(crashIdentity).list();
          for (const entry of onDisk.entries.filter((e) => e.revision < check.latestRevision)) {
            expect(entry, `index.json entry (${where})`).toEqual(served.entries[entry.revision - 1]);
          }
        }
        outcomes.push({ ...check, steps, probes: keys.filter((k) => probe.test(k)).length });
      } finally {
        await opened.close();
      }
    }
    const clock = { now: () => new Date(Date.now() + (trials + 1) * hour) };
    const last = openS3Backend('final', backend.configs, { clock });
    try {
      await recoverAndDecline(last.releases(crashIdentity));
      const final = await checkStore(last.releases(crashIdentity), `seed ${seed}, final`);
      expect(final.isMidRun).toBe(false);
      expect(final.isLockHeld).toBe(false);
      const index = await last.objects.get(`${base}/index.json`);
      expect(index && JSON.parse(index.body)).toEqual(await last.releases(crashIdentity).list());
    } finally {
      await last.close();
    }
    const summary = {
      seed,
      trials: outcomes.length,
      killedMidRun: outcomes.filter((o) => o.isMidRun).length,
      killedHoldingLock: outcomes.filter((o) => o.isLockHeld).length,
      leftoverProbes: outcomes.at(-1)?.probes ?? 0,
      stepsBeforeKill: outcomes.reduce((n, o) => n + o.steps, 0),
      releasesWritten: outcomes.at(-1)?.latestRevision ?? 0,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    console.log(`s3 crash test: ${JSON.stringify(summary)}`);
    expect(summary.killedMidRun).toBeGreaterThan(0);
    expect(summary.killedHoldingLock).toBeGreaterThan(0);
  }, 600_000);
});
