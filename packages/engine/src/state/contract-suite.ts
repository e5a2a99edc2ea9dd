/**
 * The contract every ReleaseStore adapter passes (memory, local; PostgreSQL and S3 later). Backend-neutral:
 * it sees only the port, a factory for stores and the fake clock the backend decides lock expiry with.
 * Test-only module: imported by each adapter's test file, never by the engine.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import { describeJournal } from './contract/journal.js';
import { describeLock } from './contract/lock.js';
import { describeReleases } from './contract/releases.js';
import { type ContractContext, type MakeReleaseStoreFixture, shop } from './contract/support.js';
import { describeUnitStates } from './contract/unit-states.js';
import { createFakeClock } from './fake-clock.js';

export type { MakeReleaseStoreFixture, ReleaseStoreFixture } from './contract/support.js';

/** Registers the ReleaseStore contract tests for one adapter. */
export function describeReleaseStoreContract(name: string, makeFixture: MakeReleaseStoreFixture): void {
  describe(`ReleaseStore contract: ${name}`, () => {
    // One object for the whole suite, so the describe blocks can hold it; its fields change per test.
    const t = {} as ContractContext;

    beforeEach(async () => {
      t.clock = createFakeClock();
      t.fixture = await makeFixture(t.clock);
      t.store = t.fixture.open(shop);
    });

    afterEach(async () => {
      await t.fixture.cleanup?.();
    });

    describeReleases(t);
    describeJournal(t);
    describeLock(t);
    describeUnitStates(t);
  });
}
