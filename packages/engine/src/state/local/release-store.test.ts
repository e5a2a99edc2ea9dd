import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Codes, isKusionError } from '../../errors/index.js';
import type { Release } from '../../model/release.js';
import { createFakeClock, type FakeClock } from '../fake-clock.js';
import { LocalReleaseStore } from './release-store.js';

const identity = { project: 'shop', stack: 'prod', workspace: 'default' };
const owner = { operator: 'alice@laptop', host: 'laptop', pid: 42, runId: 'run-1' };

function release(revision: number, phase: Release['phase'] = 'generating'): Release {
  return {
    ...identity,
    revision,
    phase,
    spec: { resources: [] },
    state: { resources: [] },
    operator: 'alice@laptop',
    source: { kind: 'apply' },
    kusionVersion: '0.1.0',
    createTime: '2026-01-01T00:00:00Z',
    modifiedTime: '2026-01-01T00:00:00Z',
  };
}

describe('LocalReleaseStore files', () => {
  let root: string;
  let clock: FakeClock;
  let store: LocalReleaseStore;
  const dir = () => join(root, 'releases', 'shop', 'prod', 'default');

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'kusion-local-'));
    clock = createFakeClock();
    store = new LocalReleaseStore(root, identity, { clock });
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('given a run, then releases, index, journal and lock live at the SPEC §9.2 keys', async () => {
    await store.create(release(1));
    await store.journal(1).append({ type: 'started', seq: 1, id: 'a', action: 'Create' });
    await store.lock.acquire(owner, { operation: 'apply', leaseMs: 60_000 });

    const yaml = await readFile(join(dir(), '1.yaml'), 'utf8');
    expect(parse(yaml)).toEqual(release(1));
    expect(yaml.split('\n')[0]).toBe('createTime: 2026-01-01T00:00:00Z');
    expect(JSON.parse(await readFile(join(dir(), 'index.json'), 'utf8'))).toEqual({
      latestRevision: 1,
      entries: [
        { revision: 1, phase: 'generating', operator: 'alice@laptop', createTime: '2026-01-01T00:00:00Z' },
      ],
    });
    expect(await readFile(join(dir(), 'journal', '1.jsonl'), 'utf8')).toBe(
      '{"type":"started","seq":1,"id":"a","action":"Create"}\n',
    );
    const lock = JSON.parse(await readFile(join(root, 'locks', 'shop', 'prod', 'default.json'), 'utf8'));
    expect(lock).toMatchObject({ owner, operation: 'apply', version: 1 });
  });

  it('given an index that lags the release files, when listed, then the files win and the next write repairs it', async () => {
    await store.create(release(1));
    await store.update(release(1, 'succeeded'));
    await store.create(release(2));
    const stale = {
      latestRevision: 3,
      entries: [{ revision: 1, phase: 'applying', operator: 'x', createTime: 't' }],
    };
    stale.entries.push({ revision: 3, phase: 'generating', operator: 'x', createTime: 't' });
    await writeFile(join(dir(), 'index.json'), JSON.stringify(stale));

    // Entry 1 is unfinished in the index, so it is re-read; 2 is missing; 3 has no file.
    const listed = await store.list();
    expect(listed.latestRevision).toBe(2);
    expect(listed.entries.map((e) => [e.revision, e.phase])).toEqual([
      [1, 'succeeded'],
      [2, 'generating'],
    ]);
    await store.update(release(2, 'previewing'));
    expect(JSON.parse(await readFile(join(dir(), 'index.json'), 'utf8'))).toEqual(await store.list());
  });

  it('given a missing or damaged index, then it is rebuilt from the release files', async () => {
    await store.create(release(1));
    await rm(join(dir(), 'index.json'));
    expect((await store.list()).entries.map((e) => e.revision)).toEqual([1]);
    await writeFile(join(dir(), 'index.json'), '{"latestRevision": ');
    expect((await store.list()).latestRevision).toBe(1);
    await store.create(release(2));
    expect(JSON.parse(await readFile(join(dir(), 'index.json'), 'utf8')).latestRevision).toBe(2);
  });

  it('given a damaged release file, when read, then KUS4008 names the file', async () => {
    await store.create(release(1));
    await writeFile(join(dir(), '1.yaml'), 'phase: [unclosed');
    const error = await store.get(1).catch((e: unknown) => e);
    expect(isKusionError(error) && error.code).toBe(Codes.stateRecordInvalid);
    expect(isKusionError(error) && error.location).toBe(join(dir(), '1.yaml'));
    await writeFile(join(dir(), '1.yaml'), 'phase: done\n');
    expect(isKusionError(await store.get(1).catch((e: unknown) => e))).toBe(true);
  });

  it('given leftovers of a killed writer, then readers ignore them', async () => {
    await store.create(release(1));
    await store.journal(1).append({ type: 'started', seq: 1, id: 'a', action: 'Create' });
    await writeFile(join(dir(), '2.yaml.999.1.tmp'), 'half');
    await writeFile(join(dir(), 'index.json.3f2a9c1b'), '{');
    // A line torn by a crash mid-append was never acknowledged.
    await appendFile(join(dir(), 'journal', '1.jsonl'), '{"type":"finished","seq":2,"id":"a","res');
    expect((await store.list()).latestRevision).toBe(1);
    expect(await store.journal(1).read()).toHaveLength(1);
    await store.create(release(2));
    expect((await store.latest())?.revision).toBe(2);
  });

  it('given identity parts that are not plain names, then the store refuses to open', () => {
    for (const bad of ['..', '.hidden', 'a/b', '']) {
      let error: unknown;
      try {
        new LocalReleaseStore(root, { ...identity, stack: bad }, { clock });
      } catch (e) {
        error = e;
      }
      expect(isKusionError(error) && error.code).toBe(Codes.stateRecordInvalid);
    }
  });

  it('given a guard left by a dead process, when the lock is renewed, then the guard is broken', async () => {
    const held = await store.lock.acquire(owner, { operation: 'apply', leaseMs: 60_000 });
    const guard = join(root, 'locks', 'shop', 'prod', 'default.json.guard');
    const dead = {
      pid: 2_147_483_000,
      host: hostname(),
      nonce: 'dead',
      createdAt: clock.now().toISOString(),
    };
    await writeFile(guard, JSON.stringify(dead));
    const renewed = await store.lock.renew(held, { leaseMs: 60_000 });
    expect(renewed.version).toBe(2);
    await expect(readFile(guard)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('given an old guard of a live process elsewhere, when the lock is released, then age breaks it', async () => {
    const held = await store.lock.acquire(owner, { operation: 'apply', leaseMs: 60_000 });
    const guard = join(root, 'locks', 'shop', 'prod', 'default.json.guard');
    const old = { pid: 1, host: 'elsewhere', nonce: 'old', createdAt: clock.now().toISOString() };
    await writeFile(guard, JSON.stringify(old));
    clock.advance(10_000);
    await store.lock.release(held);
    expect(await store.lock.read()).toBeUndefined();
  });
});
