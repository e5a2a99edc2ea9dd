/**
 * The three state backends as the CLI sees them (selected in `$KUSION_HOME/config.yaml` with
 * `kusion config set`), each with a way for the test to open the same history through the engine's own
 * adapter and to wait until a killed run's last writes have landed. PostgreSQL and S3 use the shared testbed
 * servers (a private schema or bucket per backend) or, for outage tests, a private server.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { inject } from 'vitest';
import { systemClock } from '../../packages/engine/src/api/backend.js';
import { openLocalReleaseStore } from '../../packages/engine/src/state/local/release-store.js';
import type { ReleaseIdentity, ReleaseStore } from '../../packages/engine/src/state/port.js';
import { openPostgresBackend } from '../../packages/engine/src/state/postgres/backend.js';
import { openS3Backend } from '../../packages/engine/src/state/s3/backend.js';
import type { CliResult } from '../e2e/helpers.js';
import { deleteAll, s3Bucket } from '../integration/state/s3-support.js';
import { randomSuffix } from '../testbed/index.js';
import { S3_ACCESS_KEY, S3_SECRET_KEY } from '../testbed/s3.js';

export type BackendKind = 'local' | 'postgres' | 's3';

/** A backend the CLI runs against. */
export interface CliBackend {
  readonly kind: BackendKind;
  /** Makes it the current backend of the CLI's `KUSION_HOME` (nothing for the built-in local one). */
  select(kusion: (...args: string[]) => Promise<CliResult>): Promise<void>;
  /** The history of `identity`, read through the engine's adapter for this backend. */
  open(identity: ReleaseIdentity): { store: ReleaseStore; close(): Promise<void> };
  /** Waits until writes a killed CLI had already sent are finished by the server. */
  settle(): Promise<void>;
  /** Removes the schema, bucket or prefix. */
  remove(): Promise<void>;
}

async function selectRemote(
  kusion: (...args: string[]) => Promise<CliResult>,
  type: 'postgres' | 's3',
  configs: Readonly<Record<string, unknown>>,
): Promise<void> {
  for (const args of [
    ['config', 'set', 'backends.team.type', type],
    ['config', 'set', 'backends.team.configs', JSON.stringify(configs)],
    ['config', 'set', 'backends.current', 'team'],
  ]) {
    const result = await kusion(...args);
    if (result.code !== 0) throw new Error(`kusion ${args.join(' ')}: ${result.stderr}`);
  }
}

/** The built-in local backend under the CLI's `KUSION_HOME`. */
export function localBackend(home: string): CliBackend {
  const releases = openLocalReleaseStore(home, { clock: systemClock });
  return {
    kind: 'local',
    select: async () => undefined,
    open: (identity) => ({ store: releases(identity), close: async () => undefined }),
    // A SIGKILLed process's completed write() calls are in the page cache: nothing is in flight.
    settle: async () => undefined,
    remove: async () => undefined,
  };
}

/**
 * PostgreSQL at `url` in a fresh schema. The CLI's connections carry an application name, so `settle` can
 * wait until the server has ended a killed run's sessions (a COMMIT already sent still completes).
 */
export function postgresBackend(url: string = inject('testbed').postgres.url): CliBackend {
  const schema = `kt_rel_${randomSuffix(8)}`;
  const app = `kusion-rel-${randomSuffix(6)}`;
  const configs = {
    connectionString: `${url}${url.includes('?') ? '&' : '?'}application_name=${app}`,
    schema,
  };
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    kind: 'postgres',
    select: (kusion) => selectRemote(kusion, 'postgres', configs),
    open(identity) {
      const backend = openPostgresBackend('check', configs);
      return { store: backend.releases(identity), close: () => backend.close() };
    },
    settle: () =>
      admin(async (client) => {
        const deadline = Date.now() + 15_000;
        while (Date.now() < deadline) {
          const { rows } = await client.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
            [app],
          );
          if ((rows[0]?.n ?? 0) === 0) return;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error(`the killed CLI's PostgreSQL sessions (${app}) did not end within 15 s`);
      }),
    remove: () =>
      admin((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).then(() => undefined)),
  };
}

function s3With(configs: Readonly<Record<string, unknown>>, remove: () => Promise<void>): CliBackend {
  return {
    kind: 's3',
    select: (kusion) => selectRemote(kusion, 's3', configs),
    open(identity) {
      const backend = openS3Backend('check', configs);
      return { store: backend.releases(identity), close: () => backend.close() };
    },
    // S3 has no session to wait for: give a request the killed run had fully sent time to land.
    settle: () => new Promise((resolve) => setTimeout(resolve, 250)),
    remove,
  };
}

/** A fresh bucket on the testbed's versitygw. */
export async function s3Backend(): Promise<CliBackend> {
  const bucket = s3Bucket('rel');
  const fixture = await bucket.fixture('cli');
  return s3With(fixture.configs, async () => {
    await fixture.drop();
    await bucket.remove();
  });
}

/** Bucket `state` on a private versitygw at `endpoint` (see private-servers.ts), created here. */
export async function privateS3Backend(endpoint: string): Promise<CliBackend> {
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET_KEY },
  });
  await client.send(new CreateBucketCommand({ Bucket: 'state' }));
  const configs = {
    bucket: 'state',
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    accessKeyID: S3_ACCESS_KEY,
    accessKeySecret: S3_SECRET_KEY,
  };
  return s3With(configs, async () => {
    await deleteAll(client, 'state', '').catch(() => undefined);
    client.destroy();
  });
}

/** The workspace the stacks run in, stored in the backend (so `release unlock` can open the runtimes). */
export const workspace = 'rel';

/** Selects `backend` and stores the stack's `../workspace.yaml` in it as {@link workspace}. */
export async function prepareBackend(
  backend: CliBackend,
  kusion: (...args: string[]) => Promise<CliResult>,
): Promise<void> {
  await backend.select(kusion);
  const created = await kusion('workspace', 'create', workspace, '-f', '../workspace.yaml');
  if (created.code !== 0) throw new Error(`kusion workspace create: ${created.stderr}`);
}
