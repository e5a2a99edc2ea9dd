/**
 * The contract every ReleaseStore adapter passes (memory, local; PostgreSQL and S3 later). Backend-neutral:
 * it sees only the port, a factory for stores and the fake clock the backend decides lock expiry with.
 * Test-only module: imported by each adapter's test file, never by the engine.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Codes, isKusionError } from '../errors/index.js';
import type { Release, ReleasePhase } from '../model/release.js';
import { LeaseLostError, LockHeldError, type ReleaseIdentity, StateConflictError } from './errors.js';
import { createFakeClock, type FakeClock } from './fake-clock.js';
import { acquireLock } from './lock-wait.js';
import type { ReleaseStore } from './port.js';
import type { JournalEntry, LockOwner, StateResource } from './records.js';

/** What a backend under test provides to the contract suite. */
export interface ReleaseStoreFixture {
  /**
   * A store for an identity. Two calls with the same identity must share its history, as two processes
   * on the same backend would.
   */
  open(identity: ReleaseIdentity): ReleaseStore;
  /** Called after each test. */
  cleanup?(): Promise<void>;
}

/** Builds a fresh, empty backend whose lock expiry follows `clock`. */
export type MakeReleaseStoreFixture = (
  clock: FakeClock,
) => ReleaseStoreFixture | Promise<ReleaseStoreFixture>;

const shop: ReleaseIdentity = { project: 'shop', stack: 'prod', workspace: 'default' };
const leaseMs = 60_000;

function owner(name: string): LockOwner {
  return { operator: `${name}@laptop`, host: `${name}-host`, pid: 4000 + name.length, runId: `run-${name}` };
}

function resource(name: string, extra: Record<string, unknown> = {}): StateResource {
  return {
    id: `v1:ConfigMap:shop:${name}`,
    type: 'Kubernetes',
    attributes: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, ...extra },
  };
}

function release(
  revision: number,
  phase: ReleasePhase = 'generating',
  changes: Partial<Release> = {},
): Release {
  return {
    ...shop,
    revision,
    phase,
    spec: { resources: [resource('a')] },
    state: { resources: [] },
    operator: 'alice@laptop',
    source: { kind: 'apply' },
    kusionVersion: '0.1.0',
    createTime: `2026-01-01T00:00:0${revision % 10}Z`,
    modifiedTime: `2026-01-01T00:00:0${revision % 10}Z`,
    ...changes,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return expect.unreachable('expected a rejection');
}

/** Registers the ReleaseStore contract tests for one adapter. */
export function describeReleaseStoreContract(name: string, makeFixture: MakeReleaseStoreFixture): void {
  describe(`ReleaseStore contract: ${name}`, () => {
    let clock: FakeClock;
    let fixture: ReleaseStoreFixture;
    let store: ReleaseStore;

    beforeEach(async () => {
      clock = createFakeClock();
      fixture = await makeFixture(clock);
      store = fixture.open(shop);
    });

    afterEach(async () => {
      await fixture.cleanup?.();
    });

    describe('releases', () => {
      it('given a new identity, when listed, then the history is empty', async () => {
        expect(await store.list()).toEqual({ latestRevision: 0, entries: [] });
        expect(await store.latest()).toBeUndefined();
        expect(await store.get(1)).toBeUndefined();
      });

      it('given created releases, when read back, then get, latest and list agree', async () => {
        const first = release(1, 'succeeded', {
          state: { resources: [resource('a', { data: { k: 'v' } })] },
        });
        await store.create(first);
        await store.create(release(2));
        expect(await store.get(1)).toEqual(first);
        expect((await store.latest())?.revision).toBe(2);
        expect(await store.list()).toEqual({
          latestRevision: 2,
          entries: [
            { revision: 1, phase: 'succeeded', operator: 'alice@laptop', createTime: first.createTime },
            { revision: 2, phase: 'generating', operator: 'alice@laptop', createTime: release(2).createTime },
          ],
        });
      });

      it('given a store, when a second handle on the same identity reads, then it sees the same history', async () => {
        await store.create(release(1));
        expect((await fixture.open(shop).latest())?.revision).toBe(1);
      });

      it('given two identities, when each gets releases, then their histories stay apart', async () => {
        const other: ReleaseIdentity = { ...shop, stack: 'dev' };
        await store.create(release(1));
        expect(await fixture.open(other).list()).toEqual({ latestRevision: 0, entries: [] });
        await fixture.open(other).create(release(1, 'generating', { ...other }));
        expect((await fixture.open(other).get(1))?.stack).toBe('dev');
        expect((await store.get(1))?.stack).toBe('prod');
      });

      it('given a stored release, when the returned object is mutated, then the store is unchanged', async () => {
        const original = release(1);
        await store.create(original);
        const read = await store.get(1);
        read?.spec.resources.push(resource('b'));
        original.spec.resources.push(resource('c'));
        expect((await store.get(1))?.spec.resources.map((r) => r.id)).toEqual(['v1:ConfigMap:shop:a']);
      });

      it('given revision 1, when revision 1 or 3 is created, then the store refuses: only the next one', async () => {
        await store.create(release(1));
        const again = await rejection(store.create(release(1)));
        expect(again).toBeInstanceOf(StateConflictError);
        expect((again as StateConflictError).reason).toBe('revision-exists');
        expect((again as StateConflictError).code).toBe(Codes.stateKeyInvalid);
        const skip = await rejection(store.create(release(3)));
        expect((skip as StateConflictError).reason).toBe('not-next-revision');
        expect((await store.list()).latestRevision).toBe(1);
      });

      it('given a release of another identity, when created here, then it is refused', async () => {
        const error = await rejection(store.create(release(1, 'generating', { workspace: 'staging' })));
        expect((error as StateConflictError).reason).toBe('identity-mismatch');
      });

      it('given two runs creating the same revision at once, then exactly one wins', async () => {
        const a = fixture.open(shop);
        const b = fixture.open(shop);
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
        expect((await store.get(1))?.operator).toBe(winner);
        expect((await store.list()).entries).toHaveLength(1);
      });

      it('given five runs racing for the next revision, then one wins and the history has no gap', async () => {
        await store.create(release(1, 'succeeded'));
        const results = await Promise.allSettled(
          [1, 2, 3, 4, 5].map((i) =>
            fixture.open(shop).create(release(2, 'generating', { operator: `r${i}@h` })),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect((await store.list()).entries.map((e) => e.revision)).toEqual([1, 2]);
      });

      it('given an unfinished release, when updated through its phases, then list follows', async () => {
        await store.create(release(1));
        for (const phase of ['previewing', 'applying'] as const) {
          await store.update(release(1, phase));
          expect((await store.list()).entries[0]?.phase).toBe(phase);
        }
        const done = release(1, 'succeeded', {
          state: { resources: [resource('a')] },
          modifiedTime: '2026-01-01T00:05:00Z',
        });
        await store.update(done);
        expect(await store.get(1)).toEqual(done);
        expect((await store.list()).entries[0]?.phase).toBe('succeeded');
      });

      it('given a finished release, when updated, then it is refused and stays as it was', async () => {
        for (const phase of ['succeeded', 'failed'] as const) {
          const identity = { ...shop, workspace: phase };
          const s = fixture.open(identity);
          await s.create(release(1, phase, identity));
          const error = await rejection(s.update(release(1, 'applying', identity)));
          expect((error as StateConflictError).reason).toBe('release-finished');
          expect((await s.get(1))?.phase).toBe(phase);
        }
      });

      it('given no release 4, when it is updated or deleted, then KUS4005', async () => {
        const update = await rejection(store.update(release(4, 'applying')));
        const remove = await rejection(store.delete(4));
        for (const error of [update, remove]) {
          expect(isKusionError(error) && error.code).toBe(Codes.releaseNotFound);
        }
      });

      it('given a declined run, when its release is deleted, then the number is reused', async () => {
        await store.create(release(1, 'succeeded'));
        await store.create(release(2, 'previewing', { operator: 'declined@h' }));
        await store.journal(2).append({ type: 'started', seq: 1, id: 'x', action: 'Create' });
        await store.delete(2);
        expect(await store.list()).toEqual({
          latestRevision: 1,
          entries: [
            { revision: 1, phase: 'succeeded', operator: 'alice@laptop', createTime: release(1).createTime },
          ],
        });
        expect(await store.get(2)).toBeUndefined();
        expect(await store.journal(2).read()).toEqual([]);
        await store.create(release(2, 'generating', { operator: 'next@h' }));
        expect((await store.get(2))?.operator).toBe('next@h');
      });

      it('given finished or older releases, when deleted, then it is refused', async () => {
        await store.create(release(1, 'previewing'));
        await store.update(release(1, 'failed'));
        const finished = await rejection(store.delete(1));
        expect((finished as StateConflictError).reason).toBe('release-finished');
        await store.create(release(2, 'previewing'));
        const older = await rejection(store.delete(1));
        expect((older as StateConflictError).reason).toBe('not-latest-revision');
        expect((await store.list()).latestRevision).toBe(2);
      });
    });

    describe('journal', () => {
      const started = (seq: number, id: string): JournalEntry => ({
        type: 'started',
        seq,
        id,
        action: 'Create',
      });

      it('given entries appended out of order, when read, then they come in seq order', async () => {
        const journal = store.journal(1);
        const finished: JournalEntry = {
          type: 'finished',
          seq: 2,
          id: 'a',
          result: 'succeeded',
          resource: resource('a'),
        };
        const failed: JournalEntry = {
          type: 'finished',
          seq: 4,
          id: 'b',
          result: 'failed',
          error: { code: Codes.rejectedByApiServer, message: 'denied' },
        };
        await journal.append(failed);
        await journal.append(started(3, 'b'));
        await journal.append(started(1, 'a'));
        await journal.append(finished);
        expect(await journal.read()).toEqual([started(1, 'a'), finished, started(3, 'b'), failed]);
        expect(await fixture.open(shop).journal(1).read()).toHaveLength(4);
      });

      it('given concurrent appends, when read, then every entry is there once', async () => {
        const journal = store.journal(1);
        const seqs = Array.from({ length: 24 }, (_, i) => i + 1);
        await Promise.all(seqs.map((seq) => journal.append(started(seq, `r${seq}`))));
        expect((await journal.read()).map((e) => e.seq)).toEqual(seqs);
      });

      it('given a used seq, when appended again, then it is refused and the first entry stays', async () => {
        const journal = store.journal(1);
        await journal.append(started(1, 'a'));
        const error = await rejection(journal.append(started(1, 'b')));
        expect((error as StateConflictError).reason).toBe('journal-seq-exists');
        expect(await journal.read()).toEqual([started(1, 'a')]);
      });

      it('given journals of two revisions, when one is cleared, then only it is empty', async () => {
        await store.journal(1).append(started(1, 'a'));
        await store.journal(2).append(started(1, 'b'));
        await store.journal(1).clear();
        expect(await store.journal(1).read()).toEqual([]);
        expect(await store.journal(2).read()).toEqual([started(1, 'b')]);
        await store.journal(1).clear();
        await store.journal(1).append(started(1, 'c'));
        expect(await store.journal(1).read()).toEqual([started(1, 'c')]);
      });

      it('given an entry without an ID, when appended, then it is refused', async () => {
        const error = await rejection(store.journal(1).append(started(1, '')));
        expect(isKusionError(error)).toBe(true);
        expect(await store.journal(1).read()).toEqual([]);
      });
    });

    describe('lock', () => {
      it('given a free lock, when acquired, then the record names the owner and lease', async () => {
        const held = await store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
        expect(held).toEqual({
          owner: owner('alice'),
          operation: 'apply',
          acquiredAt: '2026-01-01T00:00:00.000Z',
          leaseExpiresAt: '2026-01-01T00:01:00.000Z',
          version: held.version,
        });
        expect(held.version).toBeGreaterThan(0);
        expect(await fixture.open(shop).lock.read()).toEqual(held);
      });

      it('given a held lock, when another run acquires, then KUS4002 names owner, operation and expiry', async () => {
        const held = await store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
        clock.advance(leaseMs - 1);
        const error = await rejection(
          fixture.open(shop).lock.acquire(owner('bob'), { operation: 'destroy', leaseMs }),
        );
        expect(error).toBeInstanceOf(LockHeldError);
        const lockHeld = error as LockHeldError;
        expect(lockHeld.code).toBe(Codes.lockHeld);
        expect(lockHeld.lock).toEqual(held);
        for (const part of [
          'alice@laptop',
          'alice-host',
          String(owner('alice').pid),
          'apply',
          held.leaseExpiresAt,
        ]) {
          expect(lockHeld.message).toContain(part);
        }
        expect(await store.lock.read()).toEqual(held);
      });

      it('given the same run, when it acquires twice, then the second is refused too', async () => {
        await store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
        const error = await rejection(store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs }));
        expect(error).toBeInstanceOf(LockHeldError);
      });

      it('given a held lock, when renewed, then the lease moves and the version grows', async () => {
        const held = await store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
        clock.advance(15_000);
        const renewed = await store.lock.renew(held, { leaseMs });
        expect(renewed.version).toBeGreaterThan(held.version);
        expect(renewed.acquiredAt).toBe(held.acquiredAt);
        expect(renewed.leaseExpiresAt).toBe('2026-01-01T00:01:15.000Z');
        expect(await store.lock.read()).toEqual(renewed);
        const stale = await rejection(store.lock.renew(held, { leaseMs }));
        expect(stale).toBeInstanceOf(LeaseLostError);
        expect((stale as LeaseLostError).code).toBe(Codes.leaseLost);
      });

      it('given an expired lease, when another run acquires, then it takes over and the old holder has lost it', async () => {
        const alice = await store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
        clock.advance(leaseMs);
        const bobStore = fixture.open(shop);
        const bob = await bobStore.lock.acquire(owner('bob'), { operation: 'destroy', leaseMs });
        expect(bob.owner).toEqual(owner('bob'));
        expect(bob.version).toBeGreaterThan(alice.version);
        expect(await rejection(store.lock.renew(alice, { leaseMs }))).toBeInstanceOf(LeaseLostError);
        expect(await rejection(store.lock.release(alice))).toBeInstanceOf(LeaseLostError);
        expect(await store.lock.read()).toEqual(bob);
      });

      it('given an expired lease nobody took, when its holder renews, then KUS4003', async () => {
        const held = await store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
        clock.advance(leaseMs + 1);
        expect(await rejection(store.lock.renew(held, { leaseMs }))).toBeInstanceOf(LeaseLostError);
      });

      it('given a held lock, when released, then it is free; a second release is refused', async () => {
        const held = await store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
        await store.lock.release(held);
        expect(await store.lock.read()).toBeUndefined();
        expect(await rejection(store.lock.release(held))).toBeInstanceOf(LeaseLostError);
        const bob = await store.lock.acquire(owner('bob'), { operation: 'apply', leaseMs });
        expect(bob.owner.runId).toBe('run-bob');
      });

      it('given an old record of the same version, when renewed, then the run ID tells them apart', async () => {
        const alice = await store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
        await store.lock.release(alice);
        const bob = await store.lock.acquire(owner('bob'), { operation: 'apply', leaseMs });
        expect(
          await rejection(store.lock.renew({ ...alice, version: bob.version }, { leaseMs })),
        ).toBeInstanceOf(LeaseLostError);
        expect(await store.lock.read()).toEqual(bob);
      });

      it('given runs racing for a free lock, then exactly one holds it', async () => {
        const names = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
        const results = await Promise.allSettled(
          names.map((n) => fixture.open(shop).lock.acquire(owner(n), { operation: 'apply', leaseMs })),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        expect(won).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(LockHeldError);
        expect((await store.lock.read())?.owner).toEqual(won[0]?.value.owner);
      });

      it('given runs racing to take over an expired lease, then exactly one holds it', async () => {
        await store.lock.acquire(owner('old'), { operation: 'apply', leaseMs });
        clock.advance(leaseMs * 2);
        const names = ['a', 'bb', 'ccc', 'dddd'];
        const results = await Promise.allSettled(
          names.map((n) => fixture.open(shop).lock.acquire(owner(n), { operation: 'apply', leaseMs })),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        expect(won).toHaveLength(1);
        expect((await store.lock.read())?.owner).toEqual(won[0]?.value.owner);
      });

      it('given a held lock, when force-released (release unlock), then it returns the record and frees it', async () => {
        const held = await store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
        expect(await fixture.open(shop).lock.forceRelease()).toEqual(held);
        expect(await store.lock.read()).toBeUndefined();
        expect(await store.lock.forceRelease()).toBeUndefined();
      });

      it('given locks of two identities, when both are acquired, then they do not contend', async () => {
        await store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
        const other = fixture.open({ ...shop, workspace: 'staging' });
        await expect(
          other.lock.acquire(owner('bob'), { operation: 'apply', leaseMs }),
        ).resolves.toBeDefined();
      });

      it('given a held lock and --lock-wait, when the lease expires during the wait, then the waiter gets it', async () => {
        await store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
        const waitedFor: string[] = [];
        const bob = await acquireLock(fixture.open(shop), owner('bob'), {
          operation: 'apply',
          leaseMs,
          clock,
          waitMs: 120_000,
          pollMs: 10_000,
          sleep: clock.sleep,
          onWait: (held) => waitedFor.push(held.owner.runId),
        });
        expect(bob.owner).toEqual(owner('bob'));
        expect(waitedFor).toEqual(Array(6).fill('run-alice'));
        expect(clock.now().toISOString()).toBe('2026-01-01T00:01:00.000Z');
      });

      it('given a held lock and a short --lock-wait, when it runs out, then KUS4002 says how long it waited', async () => {
        await store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
        const error = await rejection(
          acquireLock(store, owner('bob'), {
            operation: 'apply',
            leaseMs,
            clock,
            waitMs: 30_000,
            sleep: clock.sleep,
          }),
        );
        expect(error).toBeInstanceOf(LockHeldError);
        expect((error as LockHeldError).message).toContain('waited 30s');
        const now = await rejection(acquireLock(store, owner('bob'), { operation: 'apply', leaseMs, clock }));
        expect((now as LockHeldError).message).not.toContain('waited');
      });

      it('given a wait for a held lock, when the caller aborts, then KUS8003 and nothing is taken', async () => {
        const held = await store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
        const controller = new AbortController();
        const error = await rejection(
          acquireLock(store, owner('bob'), {
            operation: 'apply',
            leaseMs,
            clock,
            waitMs: 600_000,
            sleep: clock.sleep,
            signal: controller.signal,
            onWait: () => controller.abort(),
          }),
        );
        expect(isKusionError(error) && error.code).toBe(Codes.interrupted);
        expect(await store.lock.read()).toEqual(held);
      });
    });
  });
}
