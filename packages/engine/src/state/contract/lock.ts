import { describe, expect, it } from 'vitest';
import { Codes, isKusionError } from '../../errors/index.js';
import { LeaseLostError, LockHeldError } from '../errors.js';
import { acquireLock } from '../lock-wait.js';
import { type ContractContext, leaseMs, owner, rejection, shop } from './support.js';

/** The lease lock: acquire, contention, renew, expiry and takeover, release, unlock, `--lock-wait`. */
export function describeLock(t: ContractContext): void {
  describe('lock', () => {
    it('given a free lock, when acquired, then the record names the owner and lease', async () => {
      const held = await t.store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
      expect(held).toEqual({
        owner: owner('alice'),
        operation: 'apply',
        acquiredAt: '2026-01-01T00:00:00.000Z',
        leaseExpiresAt: '2026-01-01T00:01:00.000Z',
        version: held.version,
      });
      expect(held.version).toBeGreaterThan(0);
      expect(await t.fixture.open(shop).lock.read()).toEqual(held);
    });

    it('given a held lock, when another run acquires, then KUS4002 names owner, operation and expiry', async () => {
      const held = await t.store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
      t.clock.advance(leaseMs - 1);
      const error = await rejection(
        t.fixture.open(shop).lock.acquire(owner('bob'), { operation: 'destroy', leaseMs }),
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
      expect(await t.store.lock.read()).toEqual(held);
    });

    it('given the same run, when it acquires twice, then the second is refused too', async () => {
      await t.store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
      const error = await rejection(t.store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs }));
      expect(error).toBeInstanceOf(LockHeldError);
    });

    it('given a held lock, when renewed, then the lease moves and the version grows', async () => {
      const held = await t.store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
      t.clock.advance(15_000);
      const renewed = await t.store.lock.renew(held, { leaseMs });
      expect(renewed.version).toBeGreaterThan(held.version);
      expect(renewed.acquiredAt).toBe(held.acquiredAt);
      expect(renewed.leaseExpiresAt).toBe('2026-01-01T00:01:15.000Z');
      expect(await t.store.lock.read()).toEqual(renewed);
      const stale = await rejection(t.store.lock.renew(held, { leaseMs }));
      expect(stale).toBeInstanceOf(LeaseLostError);
      expect((stale as LeaseLostError).code).toBe(Codes.leaseLost);
    });

    it('given an expired lease, when another run acquires, then it takes over and the old holder has lost it', async () => {
      const alice = await t.store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
      t.clock.advance(leaseMs);
      const bobStore = t.fixture.open(shop);
      const bob = await bobStore.lock.acquire(owner('bob'), { operation: 'destroy', leaseMs });
      expect(bob.owner).toEqual(owner('bob'));
      expect(bob.version).toBeGreaterThan(alice.version);
      expect(await rejection(t.store.lock.renew(alice, { leaseMs }))).toBeInstanceOf(LeaseLostError);
      expect(await rejection(t.store.lock.release(alice))).toBeInstanceOf(LeaseLostError);
      expect(await t.store.lock.read()).toEqual(bob);
    });

    it('given an expired lease nobody took, when its holder renews, then KUS4003', async () => {
      const held = await t.store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
      t.clock.advance(leaseMs + 1);
      expect(await rejection(t.store.lock.renew(held, { leaseMs }))).toBeInstanceOf(LeaseLostError);
    });

    it('given a held lock, when released, then it is free; a second release is refused', async () => {
      const held = await t.store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
      await t.store.lock.release(held);
      expect(await t.store.lock.read()).toBeUndefined();
      expect(await rejection(t.store.lock.release(held))).toBeInstanceOf(LeaseLostError);
      const bob = await t.store.lock.acquire(owner('bob'), { operation: 'apply', leaseMs });
      expect(bob.owner.runId).toBe('run-bob');
    });

    it('given an old record of the same version, when renewed, then the run ID tells them apart', async () => {
      const alice = await t.store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
      await t.store.lock.release(alice);
      const bob = await t.store.lock.acquire(owner('bob'), { operation: 'apply', leaseMs });
      expect(
        await rejection(t.store.lock.renew({ ...alice, version: bob.version }, { leaseMs })),
      ).toBeInstanceOf(LeaseLostError);
      expect(await t.store.lock.read()).toEqual(bob);
    });

    it('given runs racing for a free lock, then exactly one holds it', async () => {
      const names = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
      const results = await Promise.allSettled(
        names.map((n) => t.fixture.open(shop).lock.acquire(owner(n), { operation: 'apply', leaseMs })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(LockHeldError);
      expect((await t.store.lock.read())?.owner).toEqual(won[0]?.value.owner);
    });

    it('given runs racing to take over an expired lease, then exactly one holds it', async () => {
      await t.store.lock.acquire(owner('old'), { operation: 'apply', leaseMs });
      t.clock.advance(leaseMs * 2);
      const names = ['a', 'bb', 'ccc', 'dddd'];
      const results = await Promise.allSettled(
        names.map((n) => t.fixture.open(shop).lock.acquire(owner(n), { operation: 'apply', leaseMs })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      expect((await t.store.lock.read())?.owner).toEqual(won[0]?.value.owner);
    });

    it('given a held lock, when force-released (release unlock), then it returns the record and frees it', async () => {
      const held = await t.store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
      expect(await t.fixture.open(shop).lock.forceRelease()).toEqual(held);
      expect(await t.store.lock.read()).toBeUndefined();
      expect(await t.store.lock.forceRelease()).toBeUndefined();
    });

    it('given locks of two identities, when both are acquired, then they do not contend', async () => {
      await t.store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
      const other = t.fixture.open({ ...shop, workspace: 'staging' });
      await expect(other.lock.acquire(owner('bob'), { operation: 'apply', leaseMs })).resolves.toBeDefined();
    });

    it('given a held lock and --lock-wait, when the lease expires during the wait, then the waiter gets it', async () => {
      await t.store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
      const waitedFor: string[] = [];
      const bob = await acquireLock(t.fixture.open(shop), owner('bob'), {
        operation: 'apply',
        leaseMs,
        clock: t.clock,
        waitMs: 120_000,
        pollMs: 10_000,
        sleep: t.clock.sleep,
        onWait: (held) => waitedFor.push(held.owner.runId),
      });
      expect(bob.owner).toEqual(owner('bob'));
      expect(waitedFor).toEqual(Array(6).fill('run-alice'));
      expect(t.clock.now().toISOString()).toBe('2026-01-01T00:01:00.000Z');
    });

    it('given a held lock and a short --lock-wait, when it runs out, then KUS4002 says how long it waited', async () => {
      await t.store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
      const error = await rejection(
        acquireLock(t.store, owner('bob'), {
          operation: 'apply',
          leaseMs,
          clock: t.clock,
          waitMs: 30_000,
          sleep: t.clock.sleep,
        }),
      );
      expect(error).toBeInstanceOf(LockHeldError);
      expect((error as LockHeldError).message).toContain('waited 30s');
      const now = await rejection(
        acquireLock(t.store, owner('bob'), { operation: 'apply', leaseMs, clock: t.clock }),
      );
      expect((now as LockHeldError).message).not.toContain('waited');
    });

    it('given a wait for a held lock, when the caller aborts, then KUS8003 and nothing is taken', async () => {
      const held = await t.store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs });
      const controller = new AbortController();
      const error = await rejection(
        acquireLock(t.store, owner('bob'), {
          operation: 'apply',
          leaseMs,
          clock: t.clock,
          waitMs: 600_000,
          sleep: t.clock.sleep,
          signal: controller.signal,
          onWait: () => controller.abort(),
        }),
      );
      expect(isKusionError(error) && error.code).toBe(Codes.interrupted);
      expect(await t.store.lock.read()).toEqual(held);
    });
  });
}
