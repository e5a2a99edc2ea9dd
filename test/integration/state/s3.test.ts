/**
 * What the S3 backend adds to the contract: the SPEC §9.2 key layout under the prefix, one object per
 * journal entry, an index repaired from the release objects, KUS4006 for a store that ignores conditional
 * writes (read-only use still works), and KUS4001 with a hint (never a secret) when the store cannot be used.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { Codes, isKusionError } from '../../../packages/engine/src/errors/index.js';
import type { Release } from '../../../packages/engine/src/model/release.js';
import { openS3Backend } from '../../../packages/engine/src/state/s3/backend.js';
import { freePorts } from '../../testbed/ports.js';
import { type S3Fixture, s3Bucket } from './s3-support.js';

const testbed = inject('testbed');
const bucket = s3Bucket('s3');
const fixtures: S3Fixture[] = [];
const shop = { project: 'shop', stack: 'prod', workspace: 'default' };
const owner = { operator: 'a@ci', host: 'ci', pid: 1, runId: 'run-a' };

async function fresh(tag: string): Promise<S3Fixture> {
  const fixture = await bucket.fixture(tag);
  fixtures.push(fixture);
  return fixture;
}

function release(revision: number, phase: Release['phase']): Release {
  return {
    ...shop,
    revision,
    phase,
    spec: { resources: [] },
    state: { resources: [] },
    operator: 'a@ci',
    source: { kind: 'apply' },
    kusionVersion: '0.0.0',
    createTime: '2026-01-01T00:00:00Z',
    modifiedTime: '2026-01-01T00:00:00Z',
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.drop()));
});
afterAll(() => bucket.remove());

describe('S3 backend', () => {
  it('given a run, then its objects follow the SPEC key layout under the prefix, one per journal entry', async () => {
    const fixture = await fresh('keys');
    const backend = fixture.open();
    const store = backend.releases(shop);
    const lock = await store.lock.acquire(owner, { operation: 'apply', leaseMs: 60_000 });
    await store.create(release(1, 'applying'));
    for (let seq = 1; seq <= 300; seq++) {
      await store.journal(1).append({ type: 'started', seq, id: `r${seq}`, action: 'Create' });
    }
    await store.unitStates.write('main', 'sealed');
    await backend.workspaces.write('prod', 'a: 1\n');
    const keys = await backend.objects.list('');
    const journal = keys.filter((k) => k.startsWith('releases/shop/prod/default/journal/1/'));
    expect(journal).toHaveLength(300);
    expect(keys.filter((k) => !journal.includes(k))).toEqual([
      'locks/shop/prod/default.json',
      'releases/shop/prod/default/1.yaml',
      'releases/shop/prod/default/index.json',
      'tfstate/shop/prod/default/main.enc',
      'workspaces/.metadata.yaml',
      'workspaces/prod.yaml',
    ]);
    await store.update(release(1, 'succeeded'));
    await store.journal(1).clear();
    await store.lock.release(lock);
    expect((await backend.objects.list('releases/shop/prod/default/journal/')).length).toBe(0);
    // A released lock is a tombstone: free for the next run, which gets a higher version.
    expect(await store.lock.read()).toBeUndefined();
    expect((await store.lock.acquire(owner, { operation: 'apply', leaseMs: 60_000 })).version).toBe(2);
  });

  it('given an index that lags the release objects (a crash between the two writes), then reads repair it', async () => {
    const fixture = await fresh('lag');
    const store = fixture.open().releases(shop);
    await store.create(release(1, 'succeeded'));
    // Revision 2 written, its index update lost.
    await bucket.client.send(
      new PutObjectCommand({
        Bucket: bucket.name,
        Key: `${fixture.configs.prefix}/releases/shop/prod/default/2.yaml`,
        Body: JSON.stringify(release(2, 'applying')),
      }),
    );
    expect((await store.list()).entries.map((e) => [e.revision, e.phase])).toEqual([
      [1, 'succeeded'],
      [2, 'applying'],
    ]);
    const error = await rejection(store.create(release(2, 'generating')));
    expect(error).toMatchObject({ code: Codes.stateConflict, reason: 'revision-exists' });
    await store.update(release(2, 'failed'));
    const index = await fixture.open().objects.get('releases/shop/prod/default/index.json');
    expect(JSON.parse(index?.body ?? '{}')).toMatchObject({ latestRevision: 2 });
  });

  it('given no keys or region in configs, then the AWS_* environment supplies them', async () => {
    const fixture = await fresh('env');
    const { bucket: name, prefix, endpoint } = fixture.configs;
    const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'] as const;
    const saved = names.map((n) => process.env[n]);
    process.env['AWS_ACCESS_KEY_ID'] = testbed.s3.accessKeyId;
    process.env['AWS_SECRET_ACCESS_KEY'] = testbed.s3.secretAccessKey;
    process.env['AWS_REGION'] = testbed.s3.region;
    const backend = openS3Backend('team', { bucket: name, prefix, endpoint });
    try {
      await backend.releases(shop).create(release(1, 'succeeded'));
      expect((await fixture.open().releases(shop).list()).latestRevision).toBe(1);
    } finally {
      await backend.close();
      names.forEach((n, i) => {
        const value = saved[i];
        if (value === undefined) delete process.env[n];
        else process.env[n] = value;
      });
    }
  });

  it('given a store that ignores conditional writes, then mutations are refused with KUS4006 and reads work', async () => {
    const fake = await ignoringConditionsServer();
    try {
      const backend = openS3Backend('cheap', {
        bucket: 'state',
        endpoint: fake.url,
        accessKeyID: 'id',
        accessKeySecret: 'fake-secret-123',
      });
      const store = backend.releases(shop);
      expect(await store.list()).toEqual({ latestRevision: 0, entries: [] });
      const error = await rejection(store.lock.acquire(owner, { operation: 'apply', leaseMs: 60_000 }));
      expect(isKusionError(error) && error.code).toBe(Codes.backendLacksConditionalWrites);
      expect((error as Error).message).toContain('S3 backend "cheap" (s3://state at http://127.0.0.1:');
      expect(isKusionError(error) && error.hints[0]).toMatch(/postgres backend/);
      expect(await store.lock.read()).toBeUndefined();
      await backend.close();
    } finally {
      await fake.close();
    }
  });

  it('given nothing listening at the endpoint, then KUS4001 names it with a hint and no secret', async () => {
    const [port] = await freePorts(1);
    const backend = openS3Backend('team', {
      bucket: 'state',
      endpoint: `http://127.0.0.1:${port}`,
      accessKeyID: 'id',
      accessKeySecret: 'very-secret-key-9',
    });
    const error = await rejection(backend.releases(shop).list());
    await backend.close();
    expect(isKusionError(error) && error.code).toBe(Codes.backendUnreachable);
    const text = `${(error as Error).message} ${isKusionError(error) ? error.hints.join(' ') : ''}`;
    expect(text).toContain(`S3 backend "team" (s3://state at http://127.0.0.1:${port}) is unreachable`);
    expect(text).toContain('endpoint');
    expect(text).not.toContain('very-secret-key-9');
  });

  it('given a missing bucket or wrong credentials, then KUS4001 says which', async () => {
    const base = {
      endpoint: testbed.s3.endpoint,
      region: testbed.s3.region,
      accessKeyID: testbed.s3.accessKeyId,
      accessKeySecret: testbed.s3.secretAccessKey,
    };
    const missing = openS3Backend('team', { ...base, bucket: 'kt-no-such-bucket-here' });
    const noBucket = await rejection(missing.releases(shop).list());
    await missing.close();
    expect(noBucket).toMatchObject({ code: Codes.backendUnreachable });
    expect((noBucket as Error).message).toContain('bucket "kt-no-such-bucket-here" does not exist');

    await fresh('creds'); // makes sure the bucket exists
    const wrong = openS3Backend('team', { ...base, bucket: bucket.name, accessKeySecret: 'wrong-secret-77' });
    const denied = await rejection(wrong.releases(shop).list());
    await wrong.close();
    expect(denied).toMatchObject({ code: Codes.backendUnreachable });
    expect((denied as Error).message).toContain('refused the credentials');
    expect((denied as Error).message).not.toContain('wrong-secret-77');
  });
});

/** A minimal S3 stand-in that stores objects but ignores If-None-Match and If-Match, as some stores do. */
async function ignoringConditionsServer(): Promise<{ url: string; close(): Promise<void> }> {
  const objects = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const key = (req.url ?? '').split('?')[0] ?? '';
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'PUT') {
        objects.set(key, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { ETag: `"${objects.size}"` }).end();
      } else if (req.method === 'GET' && (req.url ?? '').includes('list-type=2')) {
        res.writeHead(200, { 'Content-Type': 'application/xml' });
        res.end('<?xml version="1.0"?><ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>');
      } else if (req.method === 'GET' && objects.has(key)) {
        res.writeHead(200, { ETag: '"1"' }).end(objects.get(key));
      } else if (req.method === 'DELETE') {
        objects.delete(key);
        res.writeHead(204).end();
      } else {
        res.writeHead(404, { 'Content-Type': 'application/xml' });
        res.end('<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>no</Message></Error>');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
