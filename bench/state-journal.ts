/**
 * The per-resource journal on each state backend (SPEC §9.4, §17 "one journal append per resource"): a
 * 300-resource apply journals 600 entries (`started` and `finished` with the resource as recorded), one
 * durable append each. Reports time per append and bytes written:
 *
 * - local: the journal files' bytes (each an fsync'd exclusive create);
 * - postgres: WAL bytes the server wrote for the appends (`pg_wal_lsn_diff`), and the rows' bytes;
 * - s3: request bodies' bytes and the number of PUTs.
 *
 * Usage: npx tsx bench/state-journal.ts [--resources 300] [--pg <url>] [--s3 <endpoint>]
 * (S3 credentials: the testbed's fixed kusion-test pair; the bucket is created and removed.)
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateBucketCommand, DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import type { Release } from '../packages/engine/src/model/release.js';
import { LocalReleaseStore } from '../packages/engine/src/state/local/release-store.js';
import type { ReleaseStore } from '../packages/engine/src/state/port.js';
import { openPostgresBackend } from '../packages/engine/src/state/postgres/backend.js';
import type { JournalEntry, StateResource } from '../packages/engine/src/state/records.js';
import { openS3Backend } from '../packages/engine/src/state/s3/backend.js';
import { loadAverage } from './lib/machine.js';
import { table } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    resources: { type: 'string', default: '300' },
    pg: {
      type: 'string',
      default: process.env['KUSION_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
    s3: { type: 'string' },
  },
});
const resources = Number(values.resources);
const identity = { project: 'bench', stack: 'journal', workspace: 'default' };
const clock = { now: () => new Date() };

function resource(i: number): StateResource {
  const name = `app-${i}`;
  return {
    id: `apps/v1:Deployment:bench:${name}`,
    type: 'Kubernetes',
    attributes: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name,
        namespace: 'bench',
        labels: { 'app.kubernetes.io/name': name, 'kusion.io/stack': 'journal' },
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: { 'app.kubernetes.io/name': name } },
        template: {
          metadata: { labels: { 'app.kubernetes.io/name': name } },
          spec: {
            containers: [
              {
                name: 'main',
                image: 'nginxinc/nginx-unprivileged:1.27',
                ports: [{ containerPort: 8080 }],
                env: [{ name: 'DB_HOST', value: 'db.bench.svc' }],
                resources: {
                  limits: { cpu: '500m', memory: '256Mi' },
                  requests: { cpu: '100m', memory: '128Mi' },
                },
                securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false },
              },
            ],
          },
        },
      },
      status: { observedGeneration: 1, readyReplicas: 2, replicas: 2, updatedReplicas: 2 },
    },
  };
}

function entries(): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (let i = 0; i < resources; i++) {
    const id = resource(i).id;
    out.push({ type: 'started', seq: out.length + 1, id, action: 'Create' });
    out.push({ type: 'finished', seq: out.length + 1, id, result: 'succeeded', resource: resource(i) });
  }
  return out;
}

const release: Release = {
  ...identity,
  revision: 1,
  phase: 'applying',
  spec: { resources: [] },
  state: { resources: [] },
  operator: 'bench@local',
  source: { kind: 'apply' },
  kusionVersion: '0.0.0-bench',
  createTime: new Date().toISOString(),
  modifiedTime: new Date().toISOString(),
};

interface Row {
  readonly backend: string;
  readonly appends: number;
  readonly perAppend: { median: number; p95: number; total: number };
  readonly bytes: string;
}

async function appendAll(store: ReleaseStore): Promise<Row['perAppend']> {
  await store.create(release);
  const journal = store.journal(1);
  const times: number[] = [];
  const started = performance.now();
  for (const entry of entries()) {
    const t = performance.now();
    await journal.append(entry);
    times.push(performance.now() - t);
  }
  const total = performance.now() - started;
  times.sort((a, b) => a - b);
  return {
    median: times[Math.floor(times.length / 2)] ?? 0,
    p95: times[Math.floor(times.length * 0.95)] ?? 0,
    total,
  };
}

const payload = entries().reduce((sum, e) => sum + Buffer.byteLength(`${JSON.stringify(e)}\n`), 0);
const rows: Row[] = [];

{
  const root = await mkdtemp(join(tmpdir(), 'kusion-bench-journal-'));
  try {
    const store = new LocalReleaseStore(root, identity, { clock });
    const perAppend = await appendAll(store);
    const dir = join(root, 'releases', 'bench', 'journal', 'default', 'journal', '1');
    let onDisk = 0;
    for (const name of await readdir(dir)) onDisk += (await stat(join(dir, name))).size;
    rows.push({
      backend: `local (${tmpdir()})`,
      appends: entries().length,
      perAppend,
      bytes: `${kib(onDisk)} in ${entries().length} files`,
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

{
  const schema = `bench_${Date.now()}`;
  const backend = openPostgresBackend('bench', { connectionString: values.pg, schema });
  const admin = new pg.Client({ connectionString: values.pg });
  await admin.connect();
  try {
    await backend.releases(identity).list(); // migrate first, outside the measurement
    const lsn = async () =>
      (await admin.query<{ lsn: string }>('SELECT pg_current_wal_lsn() AS lsn')).rows[0]?.lsn;
    const before = await lsn();
    const perAppend = await appendAll(backend.releases(identity));
    const after = await lsn();
    const wal = await admin.query<{ wal: string; size: string }>(
      `SELECT pg_wal_lsn_diff($2, $1)::bigint AS wal, pg_total_relation_size('"${schema}".journal') AS size`,
      [before, after],
    );
    const row = wal.rows[0];
    rows.push({
      backend: 'postgres',
      appends: entries().length,
      perAppend,
      bytes: `${kib(Number(row?.wal))} WAL; journal table ${kib(Number(row?.size))}`,
    });
  } finally {
    await backend.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}

if (values.s3) {
  const credentials = { accessKeyId: 'kusion-test', secretAccessKey: 'kusion-test-secret' };
  const admin = new S3Client({ endpoint: values.s3, forcePathStyle: true, region: 'us-east-1', credentials });
  const bucket = `bench-journal-${Date.now()}`;
  await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  const backend = openS3Backend('bench', {
    bucket,
    endpoint: values.s3,
    accessKeyID: credentials.accessKeyId,
    accessKeySecret: credentials.secretAccessKey,
  });
  try {
    const store = backend.releases(identity);
    const perAppend = await appendAll(store);
    await store.journal(1).clear();
    await store.delete(1);
    rows.push({
      backend: 's3 (versitygw)',
      appends: entries().length,
      perAppend,
      bytes: `${kib(payload)} in ${entries().length} PUTs`,
    });
  } finally {
    await backend.close();
    for (const key of await backend.objects.list('')) await backend.objects.delete(key);
    await backend.close();
    await admin.send(new DeleteBucketCommand({ Bucket: bucket }));
    admin.destroy();
  }
}

function kib(n: number): string {
  return `${(n / 1024).toFixed(0)} KiB`;
}

const f = (x: number) => `${x.toFixed(2)} ms`;
process.stdout.write(
  `journal of ${resources} resources (${entries().length} entries, ${kib(payload)} of JSON); load ${loadAverage()}\n\n`,
);
process.stdout.write(
  `${table(
    ['backend', 'appends', 'median / append', 'p95 / append', 'total', 'bytes written'],
    rows.map((r) => [
      r.backend,
      String(r.appends),
      f(r.perAppend.median),
      f(r.perAppend.p95),
      `${(r.perAppend.total / 1000).toFixed(2)} s`,
      r.bytes,
    ]),
  )}\n`,
);
