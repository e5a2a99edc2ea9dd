/**
 * A state backend going away mid-run (SPEC §9.4; issue #6 "PostgreSQL restarted or the S3 server stopped
 * mid-apply"): a private server is stopped while the crash workload writes to it. The run must end on its
 * own with a coded KUS4001 (no hang, no uncaught exception); once the server is back the history reads
 * back whole and the next run recovers it. Three outages per backend, at different points of a run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReleaseStore } from '../../packages/engine/src/state/port.js';
import { openPostgresBackend } from '../../packages/engine/src/state/postgres/backend.js';
import { openS3Backend } from '../../packages/engine/src/state/s3/backend.js';
import {
  bundleWorkload,
  type CrashBackend,
  checkStore,
  crashIdentity,
  hour,
  recoverAndDecline,
  runChild,
} from './crash-support.js';
import { type PrivateServer, startPrivatePostgres, startPrivateS3 } from './private-servers.js';

const seed = Number(process.env['KUSION_CRASH_SEED'] ?? Date.now() % 2 ** 31);
const stopAfterSteps = [2, 9, 17];
let workload: Awaited<ReturnType<typeof bundleWorkload>>;

beforeAll(async () => {
  workload = await bundleWorkload();
}, 120_000);
afterAll(async () => {
  await workload.cleanup();
});

interface Case {
  readonly name: string;
  readonly start: () => Promise<{
    server: PrivateServer;
    backend: CrashBackend;
    prepare?: () => Promise<void>;
  }>;
  readonly open: (
    backend: CrashBackend,
    clock?: { now(): Date },
  ) => { store: ReleaseStore; close(): Promise<void> };
  readonly message: RegExp;
}

const cases: Case[] = [
  {
    name: 'postgres',
    async start() {
      const server = await startPrivatePostgres();
      return { server, backend: { type: 'postgres', configs: { connectionString: server.url } } };
    },
    open(backend, clock) {
      const opened = openPostgresBackend('check', backend.configs, clock ? { clock } : {});
      return { store: opened.releases(crashIdentity), close: () => opened.close() };
    },
    message:
      /^KUS4001: PostgreSQL backend "crash" \(127\.0\.0\.1:\d+\/postgres\) is (unreachable|unavailable)/m,
  },
  {
    name: 's3',
    async start() {
      const server = await startPrivateS3();
      const configs = {
        bucket: 'state',
        endpoint: server.url,
        accessKeyID: 'kusion-test',
        accessKeySecret: 'kusion-test-secret',
      };
      return {
        server,
        backend: { type: 's3', configs },
        async prepare() {
          const { CreateBucketCommand, S3Client } = await import('@aws-sdk/client-s3');
          const client = new S3Client({
            endpoint: server.url,
            forcePathStyle: true,
            region: 'us-east-1',
            credentials: { accessKeyId: 'kusion-test', secretAccessKey: 'kusion-test-secret' },
          });
          await client.send(new CreateBucketCommand({ Bucket: 'state' }));
          client.destroy();
        },
      };
    },
    open(backend, clock) {
      const opened = openS3Backend('check', backend.configs, clock ? { clock } : {});
      return { store: opened.releases(crashIdentity), close: () => opened.close() };
    },
    message: /^KUS4001: S3 backend "crash" \(s3:\/\/state at http:\/\/127\.0\.0\.1:\d+\) is unreachable/m,
  },
];

describe.each(cases.map((c) => [c.name, c] as const))('%s backend stopped mid-run', (_name, c) => {
  it(`given the server stopped after ${stopAfterSteps.join(', ')} steps, then each run fails with KUS4001 and the history survives`, async () => {
    const started = performance.now();
    const { server, backend, prepare } = await c.start();
    try {
      await prepare?.();
      const failures: number[] = [];
      for (const [round, after] of stopAfterSteps.entries()) {
        let isStopping = false;
        const end = await runChild(workload.bundle, backend, {
          seed: seed + round,
          round,
          runId: `run-${round}`,
          onSteps: (steps) => {
            if (steps >= after && !isStopping) {
              isStopping = true;
              void server.stop();
            }
          },
        });
        const where = `${c.name}, seed ${seed}, outage ${round}`;
        expect(end.signal, where).toBeNull();
        expect(end.code, `${where}\n${end.stderr}`).toBe(1);
        expect(end.stderr, where).toMatch(c.message);
        failures.push(end.steps);
        await server.start();
        const opened = c.open(backend);
        try {
          await checkStore(opened.store, where);
        } finally {
          await opened.close();
        }
      }
      const last = c.open(backend, { now: () => new Date(Date.now() + 10 * hour) });
      try {
        await recoverAndDecline(last.store);
        const final = await checkStore(last.store, `${c.name}, final`);
        expect(final.isMidRun).toBe(false);
        expect(final.latestRevision).toBeGreaterThan(0);
      } finally {
        await last.close();
      }
      console.log(
        `${c.name} outage test: ${JSON.stringify({ seed, outages: failures.length, stepsBeforeFailure: failures, seconds: Math.round((performance.now() - started) / 100) / 10 })}`,
      );
    } finally {
      await server.destroy();
    }
  }, 300_000);
});
