import type { WorkspacePolicyFiles } from '../model/policy.js';
import type { Release } from '../model/release.js';
import type { ReleaseIdentity } from './errors.js';
import type { JournalEntry, LockOwner, LockRecord, ReleaseIndex } from './records.js';

export {
  identityLabel,
  isStateConflict,
  LeaseLostError,
  LockHeldError,
  type ReleaseIdentity,
  StateConflictError,
  type StateConflictReason,
} from './errors.js';
export {
  isFinishedPhase,
  type JournalAction,
  type JournalEntry,
  type JournalFinished,
  type JournalStarted,
  type LockOwner,
  type LockRecord,
  type ReleaseIndex,
  type ReleaseIndexEntry,
  type ReleaseState,
  type StateResource,
} from './records.js';

/**
 * The state backend port: where workspaces (and, with the engine, releases, locks and Terraform state)
 * live. Adapters: `local/` today; PostgreSQL and S3 share this contract.
 */
export interface WorkspaceStore {
  /** The stored text of a workspace, or undefined. `default` always exists (created empty on first use). */
  read(name: string): Promise<string | undefined>;
  /** Names of all workspaces, sorted. */
  list(): Promise<readonly string[]>;
  /** Creates or replaces a workspace's text atomically. */
  write(name: string, text: string): Promise<void>;
  /** Removes a workspace's text and its policy files. */
  remove(name: string): Promise<void>;
  /**
   * The Rego files stored with a workspace (SPEC §15 *Policy guardrails*): rule name → relative path → text;
   * `{}` when it has none or does not exist.
   */
  readPolicyFiles(name: string): Promise<WorkspacePolicyFiles>;
  /**
   * Replaces all the Rego files stored with a workspace atomically (`{}` removes them). Callers write them
   * before the workspace text, so a reader never sees a workspace naming files it cannot find.
   */
  writePolicyFiles(name: string, files: WorkspacePolicyFiles): Promise<void>;
  /**
   * A workspace's derivation seed as stored (SPEC §7.4, `workspaces/<name>.seed.enc`; the caller encrypts
   * and decrypts), created from `create()` when absent. Of two first callers both get the text stored
   * first, so everyone sharing a backend derives the same values.
   */
  seed(name: string, create: () => string): Promise<string>;
  /** The current workspace: `default` until another is switched to. */
  current(): Promise<string>;
  setCurrent(name: string): Promise<void>;
}

/** The name of the workspace that always exists. */
export const defaultWorkspace = 'default';

/** Wall-clock time, injected so the core never reads the system clock and tests can move time. */
export interface Clock {
  now(): Date;
}

/**
 * The release history of one identity `(project, stack, workspace)` (SPEC §9.1–§9.4): numbered releases
 * with a summary index, the per-resource journal of each release, and the identity's lease lock.
 *
 * Invariants every adapter keeps (the contract suite checks them):
 * - revisions count from 1 without gaps; `create` accepts only `latestRevision + 1`, and of two creators of
 *   one revision exactly one wins, the other gets a `StateConflictError` (`revision-exists`);
 * - a finished release (`succeeded`, `failed`) is immutable: `update` and `delete` refuse it;
 * - only the latest revision can be deleted (declined or no-change runs), so its number is reused;
 * - the journal is appended one entry at a time, durably, never by rewriting state.
 */
export interface ReleaseStore {
  readonly identity: ReleaseIdentity;
  /** The index: `{latestRevision, entries}` in ascending revision order; `{0, []}` for a new identity. */
  list(): Promise<ReleaseIndex>;
  /** The release with this revision, or undefined. */
  get(revision: number): Promise<Release | undefined>;
  /** The release with the highest revision, or undefined. */
  latest(): Promise<Release | undefined>;
  /**
   * Creates `release.revision`, which must be `latestRevision + 1` and carry this store's identity
   * (compare-and-set on the revision). Throws `StateConflictError` otherwise.
   */
  create(release: Release): Promise<void>;
  /** Replaces a stored release that is not finished. Throws `StateConflictError` for a finished one. */
  update(release: Release): Promise<void>;
  /** Removes the latest revision, unfinished, with its journal, so the next run reuses the number. */
  delete(revision: number): Promise<void>;
  /** The journal of one revision. */
  journal(revision: number): ReleaseJournal;
  /** The identity's lease lock (SPEC §9.3). */
  readonly lock: ReleaseLock;
  /** OpenTofu state per root module, as opaque (already encrypted) text (SPEC §9.2 `tfstate/…`). */
  readonly unitStates: UnitStateStore;
}

/**
 * Opaque blobs per Terraform root module ("unit") of one identity: the caller encrypts and decrypts.
 * Written whole and atomically under the release lock, so no compare-and-set is needed.
 */
export interface UnitStateStore {
  /** The stored text, or undefined. */
  read(unit: string): Promise<string | undefined>;
  /** Creates or replaces durably: readers see the old or the new text, never half. */
  write(unit: string, text: string): Promise<void>;
  /** Removes; absent is not an error. */
  remove(unit: string): Promise<void>;
  /** Names of the stored units, sorted. */
  list(): Promise<readonly string[]>;
}

/** Opens the release history of an identity on one backend; how the facade wires an adapter. */
export type OpenReleaseStore = (identity: ReleaseIdentity) => ReleaseStore;

/** The per-resource journal of one release (SPEC §9.4). */
export interface ReleaseJournal {
  /**
   * Durably appends one entry (one fsync'd write, row or object; never a rewrite of the whole state).
   * Throws `StateConflictError` (`journal-seq-exists`) when the sequence number is taken.
   */
  append(entry: JournalEntry): Promise<void>;
  /** Every entry in ascending `seq` order. */
  read(): Promise<readonly JournalEntry[]>;
  /** Deletes the journal, once the release holds the compacted state. */
  clear(): Promise<void>;
}

/** Options of `ReleaseLock.acquire`. */
export interface AcquireLockOptions {
  /** The command holding the lock, e.g. `apply`. */
  readonly operation: string;
  /** Lease length in milliseconds (SPEC: 60 s, renewed every 15 s). */
  readonly leaseMs: number;
}

/** Options of `ReleaseLock.renew`. */
export interface RenewLockOptions {
  readonly leaseMs: number;
}

/**
 * The lease lock of an identity (SPEC §9.3). Every write is a compare-and-set on the record's `version` and
 * `owner.runId`; the backend's clock (here: the injected one) decides expiry.
 */
export interface ReleaseLock {
  /**
   * Takes the lock when free, or when the holder's lease has expired (takeover). Throws `LockHeldError`
   * (KUS4002) naming the holder otherwise. Returns the record as written, with its `version`.
   */
  acquire(owner: LockOwner, options: AcquireLockOptions): Promise<LockRecord>;
  /** Extends a held, unexpired lease. Throws `LeaseLostError` (KUS4003) when it expired or changed hands. */
  renew(held: LockRecord, options: RenewLockOptions): Promise<LockRecord>;
  /** Releases a held lock. Throws `LeaseLostError` when the record is no longer the caller's (left as is). */
  release(held: LockRecord): Promise<void>;
  /** The current record, expired or not, or undefined when free. */
  read(): Promise<LockRecord | undefined>;
  /** Removes whatever lock is held (`kusion release unlock`); returns the removed record. */
  forceRelease(): Promise<LockRecord | undefined>;
}
