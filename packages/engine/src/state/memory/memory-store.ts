/**
 * The release store in memory, for unit tests of the executor and anything else that needs a backend
 * without files. Same contract as the real adapters: every method awaits once before its compare-and-set
 * so concurrent callers interleave as they would against a backend, and values are copied in and out so a
 * caller can never change stored state by mutating what it passed or got.
 */
import type { Release } from '../../model/release.js';
import {
  identityLabel,
  LockHeldError,
  type ReleaseIdentity,
  releaseNotFound,
  StateConflictError,
} from '../errors.js';
import type {
  AcquireLockOptions,
  Clock,
  OpenReleaseStore,
  ReleaseJournal,
  ReleaseLock,
  ReleaseStore,
  RenewLockOptions,
  UnitStateStore,
} from '../port.js';
import type { JournalEntry, LockOwner, LockRecord, ReleaseIndex } from '../records.js';
import {
  checkDeletable,
  checkJournalEntry,
  checkMutable,
  checkNextRevision,
  checkReleaseWrite,
  checkUnitName,
  indexEntryOf,
  indexOf,
  isExpired,
  leaseLostReason,
  lockRecord,
  renewedRecord,
} from '../rules.js';

interface History {
  readonly releases: Map<number, Release>;
  readonly unitStates: Map<string, string>;
  readonly journals: Map<number, Map<number, JournalEntry>>;
  lock: LockRecord | undefined;
}

/** Options of `MemoryReleaseBackend`. */
export interface MemoryReleaseBackendOptions {
  /** Decides lock expiry; a fake one lets tests move time. */
  readonly clock: Clock;
}

/** One in-memory backend holding the histories of any number of identities. */
export class MemoryReleaseBackend {
  private readonly histories = new Map<string, History>();
  private readonly clock: Clock;

  constructor(options: MemoryReleaseBackendOptions) {
    this.clock = options.clock;
  }

  /** A store for one identity; stores opened for the same identity share its history. */
  readonly open: OpenReleaseStore = (identity) => {
    const key = identityLabel(identity);
    let history = this.histories.get(key);
    if (!history) {
      history = { releases: new Map(), journals: new Map(), unitStates: new Map(), lock: undefined };
      this.histories.set(key, history);
    }
    return new MemoryReleaseStore({ ...identity }, history, this.clock);
  };
}

/** Yields once, as a real backend's I/O would; a microtask, so fake timers cannot stall it. */
const tick = (): Promise<void> => Promise.resolve();

class MemoryReleaseStore implements ReleaseStore {
  readonly identity: ReleaseIdentity;
  readonly lock: ReleaseLock;
  readonly unitStates: UnitStateStore;
  private readonly history: History;

  constructor(identity: ReleaseIdentity, history: History, clock: Clock) {
    this.identity = identity;
    this.history = history;
    this.lock = new MemoryLock(identity, history, clock);
    this.unitStates = new MemoryUnitStates(history.unitStates);
  }

  async list(): Promise<ReleaseIndex> {
    await tick();
    return indexOf([...this.history.releases.values()].map(indexEntryOf));
  }

  async get(revision: number): Promise<Release | undefined> {
    await tick();
    const release = this.history.releases.get(revision);
    return release && structuredClone(release);
  }

  async latest(): Promise<Release | undefined> {
    return this.get(this.latestRevision());
  }

  async create(release: Release): Promise<void> {
    const checked = checkReleaseWrite(this.identity, release);
    await tick();
    checkNextRevision(this.identity, this.latestRevision(), checked.revision);
    this.history.releases.set(checked.revision, structuredClone(checked));
  }

  async update(release: Release): Promise<void> {
    const checked = checkReleaseWrite(this.identity, release);
    await tick();
    const stored = this.history.releases.get(checked.revision);
    if (!stored) throw releaseNotFound(this.identity, checked.revision);
    checkMutable(this.identity, stored);
    this.history.releases.set(checked.revision, structuredClone(checked));
  }

  async delete(revision: number): Promise<void> {
    await tick();
    const stored = this.history.releases.get(revision);
    if (!stored) throw releaseNotFound(this.identity, revision);
    checkDeletable(this.identity, this.latestRevision(), revision);
    checkMutable(this.identity, stored);
    this.history.journals.delete(revision);
    this.history.releases.delete(revision);
  }

  journal(revision: number): ReleaseJournal {
    const { journals } = this.history;
    const identity = this.identity;
    return {
      async append(entry: JournalEntry): Promise<void> {
        const parsed = checkJournalEntry(entry);
        await tick();
        const entries = journals.get(revision) ?? new Map<number, JournalEntry>();
        if (entries.has(parsed.seq)) {
          throw new StateConflictError(
            'journal-seq-exists',
            `journal entry ${parsed.seq} of release ${revision} of ${identityLabel(identity)} already exists`,
          );
        }
        entries.set(parsed.seq, structuredClone(parsed));
        journals.set(revision, entries);
      },
      async read(): Promise<readonly JournalEntry[]> {
        await tick();
        const entries = [...(journals.get(revision)?.values() ?? [])];
        return structuredClone(entries.sort((a, b) => a.seq - b.seq));
      },
      async clear(): Promise<void> {
        await tick();
        journals.delete(revision);
      },
    };
  }

  private latestRevision(): number {
    return Math.max(0, ...this.history.releases.keys());
  }
}

class MemoryLock implements ReleaseLock {
  private readonly identity: ReleaseIdentity;
  private readonly history: History;
  private readonly clock: Clock;

  constructor(identity: ReleaseIdentity, history: History, clock: Clock) {
    this.identity = identity;
    this.history = history;
    this.clock = clock;
  }

  async acquire(owner: LockOwner, options: AcquireLockOptions): Promise<LockRecord> {
    await tick();
    const now = this.clock.now();
    const current = this.history.lock;
    if (current && !isExpired(current, now)) throw new LockHeldError(this.identity, structuredClone(current));
    const next = lockRecord(owner, options.operation, now, options.leaseMs, (current?.version ?? 0) + 1);
    this.history.lock = next;
    return structuredClone(next);
  }

  async renew(held: LockRecord, options: RenewLockOptions): Promise<LockRecord> {
    await tick();
    const now = this.clock.now();
    const lost = leaseLostReason(this.identity, held, this.history.lock, now, true);
    if (lost) throw lost;
    const next = renewedRecord(held, now, options.leaseMs);
    this.history.lock = next;
    return structuredClone(next);
  }

  async release(held: LockRecord): Promise<void> {
    await tick();
    const lost = leaseLostReason(this.identity, held, this.history.lock, this.clock.now(), false);
    if (lost) throw lost;
    this.history.lock = undefined;
  }

  async read(): Promise<LockRecord | undefined> {
    await tick();
    return this.history.lock && structuredClone(this.history.lock);
  }

  async forceRelease(): Promise<LockRecord | undefined> {
    await tick();
    const removed = this.history.lock;
    this.history.lock = undefined;
    return removed;
  }
}

class MemoryUnitStates implements UnitStateStore {
  private readonly blobs: Map<string, string>;

  constructor(blobs: Map<string, string>) {
    this.blobs = blobs;
  }

  async read(unit: string): Promise<string | undefined> {
    await tick();
    return this.blobs.get(checkUnitName(unit));
  }

  async write(unit: string, text: string): Promise<void> {
    await tick();
    this.blobs.set(checkUnitName(unit), text);
  }

  async remove(unit: string): Promise<void> {
    await tick();
    this.blobs.delete(checkUnitName(unit));
  }

  async list(): Promise<readonly string[]> {
    await tick();
    return [...this.blobs.keys()].sort();
  }
}
