/**
 * The quickstart applied and destroyed with its state on PostgreSQL and on S3 (SPEC §9.2): the lock,
 * releases, journal and workspace seed live in the selected backend, and `release export` / `import` move
 * the resulting history to the local backend.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { deleteAll } from '../integration/state/s3-support.js';
import { randomSuffix } from '../testbed/index.js';
import { exampleProject } from './helpers.js';

const testbed = inject('testbed');
const schema = `kt_e2e_${randomSuffix(8)}`;
const bucket = `kt-e2e-${randomSuffix(8)}`;
const s3 = new S3Client({
  endpoint: testbed.s3.endpoint,
  forcePathStyle: true,
  region: testbed.s3.region,
  credentials: { accessKeyId: testbed.s3.accessKeyId, secretAccessKey: testbed.s3.secretAccessKey },
});

afterAll(async () => {
  const client = new pg.Client({ connectionString: testbed.postgres.url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
  await deleteAll(s3, bucket, '').catch(() => undefined);
  s3.destroy();
});

const backends = [
  {
    type: 'postgres',
    configs: async () => ({ connectionString: testbed.postgres.url, schema }),
  },
  {
    type: 's3',
    configs: async () => {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      return {
        bucket,
        prefix: 'e2e',
        endpoint: testbed.s3.endpoint,
        region: testbed.s3.region,
        accessKeyID: testbed.s3.accessKeyId,
        accessKeySecret: testbed.s3.secretAccessKey,
      };
    },
  },
] as const;

describe.each(backends.map((b) => [b.type, b] as const))('quickstart with %s state', (_type, backend) => {
  it('applies, lists, destroys and exports its history to the local backend', async () => {
    const p = await exampleProject('quickstart', 'default');
    const ws = ['--workspace-file', '../workspace.yaml'];
    const ok = async (...args: string[]) => {
      const result = await p.kusion(...args);
      expect(result.code, `kusion ${args.join(' ')}\n${result.stderr}${result.stdout}`).toBe(0);
      return result.stdout;
    };
    await ok('config', 'set', 'backends.team.type', backend.type);
    await ok('config', 'set', 'backends.team.configs', JSON.stringify(await backend.configs()));
    await ok('config', 'set', 'backends.current', 'team');

    expect(await ok('apply', ...ws, '--yes')).toContain(
      'Apply complete! Resources: 3 created, 0 updated, 0 deleted.',
    );
    expect(await ok('preview', ...ws, '--detailed-exitcode')).toContain('No changes.');
    expect(JSON.parse(await ok('release', 'list', '--workspace', 'workspace', '-o', 'json'))).toMatchObject({
      latestRevision: 1,
      entries: [{ revision: 1, phase: 'succeeded', operator: 'e2e@testbed' }],
    });
    expect(await ok('destroy', ...ws, '--yes')).toContain('Destroy complete! Resources: 3 deleted.');

    // Nothing of it was written to the local backend …
    const local = await ok(
      'release',
      'list',
      '--workspace',
      'workspace',
      '--backend',
      'default',
      '-o',
      'json',
    );
    expect(JSON.parse(local)).toEqual({ latestRevision: 0, entries: [] });
    // … until the history is moved there.
    const exported = await ok('release', 'export', '--workspace', 'workspace', '-f', '../history.json');
    expect(exported).toBe('');
    expect(
      await ok(
        'release',
        'import',
        '--workspace',
        'workspace',
        '--backend',
        'default',
        '-f',
        '../history.json',
      ),
    ).toContain('Imported 2 release(s)');
    const moved = JSON.parse(
      await ok('release', 'list', '--workspace', 'workspace', '--backend', 'default', '-o', 'json'),
    );
    expect(moved).toMatchObject({
      latestRevision: 2,
      entries: [
        { revision: 1, phase: 'succeeded' },
        { revision: 2, phase: 'succeeded' },
      ],
    });
  });
});
