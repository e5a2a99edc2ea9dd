/**
 * An S3 backend selected through the built CLI: configured with `kusion config set`, chosen with
 * `KUSION_BACKEND`, used by workspace and release commands; a store without the bucket is one KUS4001 line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertCliBuilt,
  type Project,
  removeProjects,
  shopProject,
  stackTraceLines,
} from '../../cli/helpers.js';
import { type S3Fixture, s3Bucket } from './s3-support.js';

const bucket = s3Bucket('cli');
let fixture: S3Fixture;

beforeAll(async () => {
  assertCliBuilt();
  fixture = await bucket.fixture('cli');
});
afterAll(async () => {
  await removeProjects();
  await fixture.drop();
  await bucket.remove();
});

async function ok(
  project: Project,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<string> {
  const result = await project.run(args, { env });
  expect(result.code, `kusion ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

describe('s3 backend through the CLI', () => {
  it('given KUSION_BACKEND naming an s3 backend, then workspaces and releases are objects in the bucket', async () => {
    const project = await shopProject({
      'dev/ws.yaml': 'context: {REGION: eu}\n',
      'dev/history.json': JSON.stringify({
        formatVersion: 1,
        kind: 'ReleaseHistory',
        project: 'shop',
        stack: 'dev',
        workspace: 'default',
        releases: [
          {
            project: 'shop',
            stack: 'dev',
            workspace: 'default',
            revision: 1,
            phase: 'succeeded',
            spec: { resources: [] },
            state: { resources: [] },
            operator: 'op@ci',
            source: { kind: 'apply' },
            kusionVersion: '0.1.0',
            createTime: '2026-01-01T00:00:00Z',
            modifiedTime: '2026-01-01T00:00:00Z',
          },
        ],
        unitStates: { main: 'sealed' },
        seed: JSON.stringify({ $kusion_encrypted: { v: 1, kid: '00000000', nonce: 'AA==', data: 'AA==' } }),
      }),
    });
    await ok(project, ['config', 'set', 'backends.bucket.type', 's3']);
    await ok(project, ['config', 'set', 'backends.bucket.configs', JSON.stringify(fixture.configs)]);
    const env = { KUSION_BACKEND: 'bucket' };

    await ok(project, ['workspace', 'create', 'prod', '-f', 'ws.yaml'], env);
    expect(await ok(project, ['release', 'import', '-f', 'history.json'], env)).toBe(
      'Imported 1 release(s) and 1 OpenTofu state(s) of shop/dev/default into backend "bucket".\n',
    );
    const listed = JSON.parse(await ok(project, ['release', 'list', '-o', 'json'], env)) as unknown;
    expect(listed).toMatchObject({ latestRevision: 1, entries: [{ revision: 1, phase: 'succeeded' }] });
    expect(await ok(project, ['workspace', 'list', '-o', 'json'], env)).toContain('prod');
    const keys = await fixture.open().objects.list('');
    expect(keys).toEqual(
      expect.arrayContaining([
        'releases/shop/dev/default/1.yaml',
        'tfstate/shop/dev/default/main.enc',
        'workspaces/default.seed.enc',
        'workspaces/prod.yaml',
      ]),
    );
    // The exported history reads back the same through the CLI.
    const exported = JSON.parse(await ok(project, ['release', 'export'], env)) as { releases: unknown[] };
    expect(exported.releases).toHaveLength(1);
  });

  it('given a bucket that does not exist, then KUS4001 in one line with a hint and no secret', async () => {
    const project = await shopProject();
    await ok(project, ['config', 'set', 'backends.gone.type', 's3']);
    await ok(project, [
      'config',
      'set',
      'backends.gone.configs',
      JSON.stringify({ ...fixture.configs, bucket: 'kt-missing-bucket-x' }),
    ]);
    const result = await project.run(['release', 'list'], { env: { KUSION_BACKEND: 'gone' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^Error KUS4001: S3 backend "gone" \(s3:\/\/kt-missing-bucket-x\/[^)]*\): bucket "kt-missing-bucket-x" does not exist/m,
    );
    expect(result.stderr).toMatch(/^ {2}hint: create the bucket first/m);
    expect(stackTraceLines(result.stderr)).toEqual([]);
    expect(result.stderr).not.toContain(fixture.configs.accessKeySecret);
  });
});
