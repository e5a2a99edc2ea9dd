/**
 * `release export` / `release import` move a stack's history between backends unchanged:
 * local → PostgreSQL → S3 → local gives the same document byte for byte, OpenTofu states included.
 * Runs the engine facade the CLI calls, with a Kusion home whose config names one backend of each type.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  exportReleases,
  formatReleaseHistory,
  importReleases,
} from '../../../packages/engine/src/api/release-transfer.js';
import { Codes } from '../../../packages/engine/src/errors/index.js';
import type { Release } from '../../../packages/engine/src/model/release.js';
import { openLocalReleaseStore } from '../../../packages/engine/src/state/local/release-store.js';
import { type PgFixture, pgFixture } from './pg-support.js';
import { type S3Bucket, type S3Fixture, s3Bucket } from './s3-support.js';

const identity = { project: 'shop', stack: 'prod', workspace: 'default' };
let root: string;
let home: string;
let stackDir: string;
let pgf: PgFixture;
let pgFresh: PgFixture;
let bucket: S3Bucket;
let s3f: S3Fixture;

function release(revision: number, phase: Release['phase']): Release {
  return {
    ...identity,
    revision,
    phase,
    spec: { resources: [] },
    state: {
      resources: [
        {
          id: 'v1:Secret:shop:db',
          type: 'Kubernetes',
          attributes: {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'db', namespace: 'shop' },
            data: {
              password: {
                $kusion_encrypted: { v: 1, kid: 'abcd1234', nonce: 'bm9uY2U=', data: `ZGF0YQ${revision}` },
              },
            },
          },
        },
      ],
    },
    operator: `op${revision}@ci`,
    source: revision === 3 ? { kind: 'rollback', fromRevision: 1 } : { kind: 'apply' },
    kusionVersion: '0.1.0',
    createTime: `2026-01-0${revision}T00:00:00Z`,
    modifiedTime: `2026-01-0${revision}T00:01:00Z`,
  };
}

// Releases never need the module catalog; the facade's options ask for it all the same.
const on = (backend: string) => ({
  home,
  cwd: stackDir,
  backend,
  catalogDir: root,
  bundledBase: import.meta.url,
});

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kusion-transfer-'));
  home = join(root, 'home');
  stackDir = join(root, 'project', 'prod');
  await mkdir(stackDir, { recursive: true });
  await mkdir(home, { recursive: true });
  await writeFile(join(root, 'project', 'project.yaml'), 'name: shop\n');
  await writeFile(join(stackDir, 'stack.yaml'), 'name: prod\n');
  pgf = pgFixture('xfer');
  pgFresh = pgFixture('seed');
  bucket = s3Bucket('xfer');
  s3f = await bucket.fixture('xfer');
  const config = {
    backends: {
      team: { type: 'postgres', configs: pgf.configs },
      bucket: { type: 's3', configs: s3f.configs },
      other: { type: 'local', configs: { path: join(root, 'other') } },
      fresh: { type: 'postgres', configs: pgFresh.configs },
    },
  };
  await writeFile(join(home, 'config.yaml'), stringify(config));
  // The history starts on the default (local) backend.
  const local = openLocalReleaseStore(home, { clock: { now: () => new Date() } })(identity);
  for (const [revision, phase] of [
    [1, 'succeeded'],
    [2, 'failed'],
    [3, 'succeeded'],
  ] as const) {
    await local.create(release(revision, phase));
  }
  await local.unitStates.write('main', '{"$kusion_encrypted":{"v":1}}');
});

afterAll(async () => {
  await pgf.drop();
  await pgFresh.drop();
  await s3f.drop();
  await bucket.remove();
  await rm(root, { recursive: true, force: true });
});

describe('release export / import', () => {
  it('given a local history, when moved local → postgres → s3 → local, then every export is the same bytes', async () => {
    const original = formatReleaseHistory(await exportReleases(on('default')));
    expect(JSON.parse(original)).toMatchObject({ formatVersion: 1, kind: 'ReleaseHistory', ...identity });

    let text = original;
    for (const backend of ['team', 'bucket', 'other']) {
      const result = await importReleases({ ...on(backend), text, source: 'history.json' });
      expect(result).toEqual({ backend, identity, imported: 3, unitStates: 1 });
      text = formatReleaseHistory(await exportReleases(on(backend)));
      expect(text, `export from ${backend}`).toBe(original);
    }
    // Derived secrets stay the same: every target workspace adopted the exported seed.
    const { seed } = JSON.parse(original) as { seed: string };
    expect(JSON.parse(seed)).toHaveProperty('$kusion_encrypted.v', 1);
    expect(await pgf.open().workspaces.seed('default', () => 'unused')).toBe(seed);
    expect(await s3f.open().workspaces.seed('default', () => 'unused')).toBe(seed);
    // The lock taken for the import is free again on every target.
    for (const backend of ['team', 'bucket', 'other']) {
      const again = await importReleases({ ...on(backend), text, source: 'history.json' }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(again, backend).toMatchObject({ code: Codes.stateConflict });
      expect((again as Error).message).toContain('already has 3 release(s)');
    }
  });

  it('given a document of another stack or a damaged one, when imported, then it is refused before writing', async () => {
    const text = formatReleaseHistory(await exportReleases(on('default')));
    const other = JSON.parse(text) as { stack: string; releases: { stack: string }[] };
    other.stack = 'dev';
    for (const r of other.releases) r.stack = 'dev';
    const wrongStack = await importReleases({
      ...on('team'),
      workspace: 'staging',
      text: JSON.stringify(other),
      source: 'dev.json',
    }).catch((error: unknown) => error);
    expect(wrongStack).toMatchObject({ code: Codes.stateConflict });
    expect((wrongStack as Error).message).toContain('dev.json holds the history of shop/dev/default');

    const damaged = await importReleases({
      ...on('team'),
      workspace: 'staging',
      text: '{"formatVersion": 2}',
      source: 'x.json',
    }).catch((error: unknown) => error);
    expect(damaged).toMatchObject({ code: Codes.stateRecordInvalid, location: 'x.json' });
  });

  it('given a target workspace that already has another seed, when imported, then it is refused and nothing is written', async () => {
    const text = formatReleaseHistory(await exportReleases(on('default')));
    await pgFresh.open().workspaces.seed('default', () => 'another-seed');
    const error = await importReleases({ ...on('fresh'), text, source: 'history.json' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: Codes.stateConflict });
    expect((error as Error).message).toContain('already has another derivation seed');
    expect((await pgFresh.open().releases(identity).list()).latestRevision).toBe(0);
  });

  it('given an unfinished latest release, when exported, then it is refused with a hint to recover first', async () => {
    const crashed = openLocalReleaseStore(home, { clock: { now: () => new Date() } })({
      ...identity,
      workspace: 'crashed',
    });
    await crashed.create({ ...release(1, 'applying'), workspace: 'crashed' });
    const error = await exportReleases({ ...on('default'), workspace: 'crashed' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: Codes.stateConflict });
    expect((error as { hints: string[] }).hints[0]).toContain('kusion release unlock');
  });
});
