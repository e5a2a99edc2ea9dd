/**
 * PostgreSQL state backend under SIGKILL: 20 runs of the crash workload killed at random instants, each
 * checked through the adapter and against the rows (`histories.latest_revision` agrees with the releases).
 * Set KUSION_CRASH_SEED to replay a sequence of kill points.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresBackend } from '../../packages/engine/src/state/postgres/backend.js';
import { randomSuffix } from '../testbed/index.js';
import { pgUrl } from '../testbed/postgres.js';
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
const url = pgUrl();
const schema = `kt_crash_${randomSuffix(8)}`;
/** Names the workload's connections, so a check can wait until the server has finished their work. */
const workloadApp = `kusion-crash-${randomSuffix(6)}`;
const backend: CrashBackend = {
  type: 'postgres',
  configs: {
    connectionString: `${url}${url.includes('?') ? '&' : '?'}application_name=${workloadApp}`,
    schema,
  },
};
let workload: Awaited<ReturnType<typeof bundleWorkload>>;
const admin = new pg.Client({ connectionString: url });

beforeAll(async () => {
  workload = await bundleWorkload();
  await admin.connect();
}, 120_000);

afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
  await workload.cleanup();
});

describe('postgres state backend under SIGKILL', () => {
  it(`given ${trials} runs killed at random instants, then every time the history reads back whole and the next run recovers it`, async () => {
    const started = performance.now();
    const outcomes: (StoreCheck & { steps: number })[] = [];
    for (const [round, aim] of killPlan(seed, trials).entries()) {
      const steps = await killDuringRun(workload.bundle, backend, {
        seed: seed + round,
        round,
        runId: `run-${round}`,
        ...aim,
      });
      const where = `seed ${seed}, trial ${round}`;
      await serverSettled();
      const opened = openPostgresBackend('check', backend.configs);
      try {
        const check = await checkStore(opened.releases(crashIdentity), where);
        const rows = await admin.query<{ latest: number | null }>(
          `SELECT (SELECT latest_revision FROM "${schema}".histories) AS latest`,
        );
        expect(rows.rows[0]?.latest ?? 0, `histories row (${where})`).toBe(check.latestRevision);
        outcomes.push({ ...check, steps });
      } finally {
        await opened.close();
      }
    }
    const clock = { now: () => new Date(Date.now() + (trials + 1) * hour) };
    const last = openPostgresBackend('final', backend.configs, { clock });
    try {
      await recoverAndDecline(last.releases(crashIdentity));
      const final = await checkStore(last.releases(crashIdentity), `seed ${seed}, final`);
      expect(final.isMidRun).toBe(false);
      expect(final.isLockHeld).toBe(false);
    } finally {
      await last.close();
    }
    const summary = {
      seed,
      trials: outcomes.length,
      killedMidRun: outcomes.filter((o) => o.isMidRun).length,
      killedHoldingLock: outcomes.filter((o) => o.isLockHeld).length,
      stepsBeforeKill: outcomes.reduce((n, o) => n + o.steps, 0),
      releasesWritten: outcomes.at(-1)?.latestRevision ?? 0,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    console.log(`postgres crash test: ${JSON.stringify(summary)}`);
    // The kills must land inside runs, or the test proves nothing.
    expect(summary.killedMidRun).toBeGreaterThan(0);
    expect(summary.killedHoldingLock).toBeGreaterThan(0);
  }, 600_000);
});

/**
 * A SIGKILLed client's last COMMIT may still be running in its server backend; the backend exits once it
 * finishes and sees the closed socket. Checking before that would race the dead run's final write.
 */
async function serverSettled(): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [workloadApp],
    );
    if ((rows[0]?.n ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the killed workload's PostgreSQL sessions (${workloadApp}) did not end within 15 s`);
}
