import { describe, expect, it } from 'vitest';
import { Codes, isKusionError } from '../../errors/index.js';
import { type ReleaseIdentity, StateConflictError } from '../errors.js';
import { type ContractContext, rejection, release, resource, shop } from './support.js';

/** Releases: create with compare-and-set, read, update while unfinished, delete the latest. */
export function describeReleases(t: ContractContext): void {
  describe('releases', () => {
    it('given a new identity, when listed, then the history is empty', async () => {
      expect(await t.store.list()).toEqual({ latestRevision: 0, entries: [] });
      expect(await t.store.latest()).toBeUndefined();
      expect(await t.store.get(1)).toBeUndefined();
    });

    it('given created releases, when read back, then get, latest and list agree', async () => {
      const first = release(1, 'succeeded', {
        state: { resources: [resource('a', { data: { k: 'v' } })] },
      });
      await t.store.create(first);
      await t.store.create(release(2));
      expect(await t.store.get(1)).toEqual(first);
      expect((await t.store.latest())?.revision).toBe(2);
      expect(await t.store.list()).toEqual({
        latestRevision: 2,
        entries: [
          { revision: 1, phase: 'succeeded', operator: 'alice@laptop', createTime: first.createTime },
          { revision: 2, phase: 'generating', operator: 'alice@laptop', createTime: release(2).createTime },
        ],
      });
    });

    it('given a store, when a second handle on the same identity reads, then it sees the same history', async () => {
      await t.store.create(release(1));
      expect((await t.fixture.open(shop).latest())?.revision).toBe(1);
    });

    it('given two identities, when each gets releases, then their histories stay apart', async () => {
      const other: ReleaseIdentity = { ...shop, stack: 'dev' };
      await t.store.create(release(1));
      expect(await t.fixture.open(other).list()).toEqual({ latestRevision: 0, entries: [] });
      await t.fixture.open(other).create(release(1, 'generating', { ...other }));
      expect((await t.fixture.open(other).get(1))?.stack).toBe('dev');
      expect((await t.store.get(1))?.stack).toBe('prod');
    });

    it('given a stored release, when the returned object is mutated, then the store is unchanged', async () => {
      const original = release(1);
      await t.store.create(original);
      const read = await t.store.get(1);
      read?.spec.resources.push(resource('b'));
      original.spec.resources.push(resource('c'));
      expect((await t.store.get(1))?.spec.resources.map((r) => r.id)).toEqual(['v1:ConfigMap:shop:a']);
    });

    it('given revision 1, when revision 1 or 3 is created, then the store refuses: only the next one', async () => {
      await t.store.create(release(1));
      const again = await rejection(t.store.create(release(1)));
      expect(again).toBeInstanceOf(StateConflictError);
      expect((again as StateConflictError).reason).toBe('revision-exists');
      expect((again as StateConflictError).code).toBe(Codes.stateConflict);
      const skip = await rejection(t.store.create(release(3)));
      expect((skip as StateConflictError).reason).toBe('not-next-revision');
      expect((await t.store.list()).latestRevision).toBe(1);
    });

    it('given a release of another identity, when created here, then it is refused', async () => {
      const error = await rejection(t.store.create(release(1, 'generating', { workspace: 'staging' })));
      expect((error as StateConflictError).reason).toBe('identity-mismatch');
    });

    it('given two runs creating the same revision at once, then exactly one wins', async () => {
      const a = t.fixture.open(shop);
      const b = t.fixture.open(shop);
      const results = await Promise.allSettled([
        a.create(release(1, 'generating', { operator: 'a@host' })),
        b.create(release(1, 'generating', { operator: 'b@host' })),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      const loss: unknown = lost[0]?.reason;
      expect(loss).toBeInstanceOf(StateConflictError);
      expect((loss as StateConflictError).reason).toBe('revision-exists');
      const winner = results[0]?.status === 'fulfilled' ? 'a@host' : 'b@host';
      expect((await t.store.get(1))?.operator).toBe(winner);
      expect((await t.store.list()).entries).toHaveLength(1);
    });

    it('given five runs racing for the next revision, then one wins and the history has no gap', async () => {
      await t.store.create(release(1, 'succeeded'));
      const results = await Promise.allSettled(
        [1, 2, 3, 4, 5].map((i) =>
          t.fixture.open(shop).create(release(2, 'generating', { operator: `r${i}@h` })),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await t.store.list()).entries.map((e) => e.revision)).toEqual([1, 2]);
    });

    it('given an unfinished release, when updated through its phases, then list follows', async () => {
      await t.store.create(release(1));
      for (const phase of ['previewing', 'applying'] as const) {
        await t.store.update(release(1, phase));
        expect((await t.store.list()).entries[0]?.phase).toBe(phase);
      }
      const done = release(1, 'succeeded', {
        state: { resources: [resource('a')] },
        modifiedTime: '2026-01-01T00:05:00Z',
      });
      await t.store.update(done);
      expect(await t.store.get(1)).toEqual(done);
      expect((await t.store.list()).entries[0]?.phase).toBe('succeeded');
    });

    it('given a finished release, when updated, then it is refused and stays as it was', async () => {
      for (const phase of ['succeeded', 'failed'] as const) {
        const identity = { ...shop, workspace: phase };
        const s = t.fixture.open(identity);
        await s.create(release(1, phase, identity));
        const error = await rejection(s.update(release(1, 'applying', identity)));
        expect((error as StateConflictError).reason).toBe('release-finished');
        expect((await s.get(1))?.phase).toBe(phase);
      }
    });

    it('given no release 4, when it is updated or deleted, then KUS4005', async () => {
      const update = await rejection(t.store.update(release(4, 'applying')));
      const remove = await rejection(t.store.delete(4));
      for (const error of [update, remove]) {
        expect(isKusionError(error) && error.code).toBe(Codes.releaseNotFound);
      }
    });

    it('given a declined run, when its release is deleted, then the number is reused', async () => {
      await t.store.create(release(1, 'succeeded'));
      await t.store.create(release(2, 'previewing', { operator: 'declined@h' }));
      await t.store.journal(2).append({ type: 'started', seq: 1, id: 'x', action: 'Create' });
      await t.store.delete(2);
      expect(await t.store.list()).toEqual({
        latestRevision: 1,
        entries: [
          { revision: 1, phase: 'succeeded', operator: 'alice@laptop', createTime: release(1).createTime },
        ],
      });
      expect(await t.store.get(2)).toBeUndefined();
      expect(await t.store.journal(2).read()).toEqual([]);
      await t.store.create(release(2, 'generating', { operator: 'next@h' }));
      expect((await t.store.get(2))?.operator).toBe('next@h');
    });

    it('given finished or older releases, when deleted, then it is refused', async () => {
      await t.store.create(release(1, 'previewing'));
      await t.store.update(release(1, 'failed'));
      const finished = await rejection(t.store.delete(1));
      expect((finished as StateConflictError).reason).toBe('release-finished');
      await t.store.create(release(2, 'previewing'));
      const older = await rejection(t.store.delete(1));
      expect((older as StateConflictError).reason).toBe('not-latest-revision');
      expect((await t.store.list()).latestRevision).toBe(2);
    });
  });
}
