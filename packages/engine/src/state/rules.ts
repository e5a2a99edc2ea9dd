/**
 * The decisions every adapter makes the same way: what a valid release write is, when a lock is expired
 * and whether a held lock is still the caller's. Adapters supply only storage and atomicity.
 */
import { Codes, KusionError } from '../errors/index.js';
import { type Release, ReleaseSchema, SpecSchema } from '../model/release.js';
import { identityLabel, LeaseLostError, type ReleaseIdentity, StateConflictError } from './errors.js';
import {
  isFinishedPhase,
  type JournalEntry,
  JournalEntrySchema,
  type LockOwner,
  type LockRecord,
  type ReleaseIndex,
  type ReleaseIndexEntry,
} from './records.js';

const ReleaseRecordSchema = ReleaseSchema.omit({ spec: true, state: true });
const StateSchema = ReleaseSchema.shape.state;
/**
 * Specs and states already found valid. A run writes one release at four phases with the same spec and
 * mostly the same state objects (releases are never mutated once handed to a store, which release-text.ts
 * relies on too), so each is checked once, not at every write.
 */
const validParts = new WeakSet<object>();

/** Checks a release before it is written: schema-valid and of the store's identity. */
export function checkReleaseWrite(identity: ReleaseIdentity, release: Release): Release {
  const { spec, state, ...record } = release;
  refuseInvalid(ReleaseRecordSchema.safeParse(record));
  for (const [schema, part] of [
    [SpecSchema, spec],
    [StateSchema, state],
  ] as const) {
    if (validParts.has(part)) continue;
    refuseInvalid(schema.safeParse(part));
    validParts.add(part);
  }
  const { project, stack, workspace } = release;
  if (project !== identity.project || stack !== identity.stack || workspace !== identity.workspace) {
    throw new StateConflictError(
      'identity-mismatch',
      `release of ${project}/${stack}/${workspace} written to the history of ${identityLabel(identity)}`,
    );
  }
  // The schema neither transforms nor defaults: the release itself, not zod's copy, so that parts written
  // unchanged at every phase keep their identity (release-text.ts renders each once).
  return release;
}

function refuseInvalid(parsed: { success: boolean; error?: { message: string } }): void {
  if (parsed.success) return;
  throw new KusionError(Codes.internal, `refusing to write an invalid release: ${parsed.error?.message}`, {
    source: 'system',
  });
}

/** Checks a journal entry before it is appended. */
export function checkJournalEntry(entry: JournalEntry): JournalEntry {
  const parsed = JournalEntrySchema.safeParse(entry);
  if (!parsed.success) {
    throw new KusionError(
      Codes.internal,
      `refusing to append an invalid journal entry: ${parsed.error.message}`,
      {
        source: 'system',
      },
    );
  }
  return parsed.data;
}

/** Refuses a creation that is not the next revision. */
export function checkNextRevision(identity: ReleaseIdentity, latestRevision: number, revision: number): void {
  if (revision !== latestRevision + 1) {
    throw new StateConflictError(
      revision <= latestRevision ? 'revision-exists' : 'not-next-revision',
      `cannot create release ${revision} of ${identityLabel(identity)}: the next revision is ${latestRevision + 1}`,
    );
  }
}

/** The conflict thrown when an exclusive create of a revision lost the race. */
export function revisionExists(identity: ReleaseIdentity, revision: number): StateConflictError {
  return new StateConflictError(
    'revision-exists',
    `release ${revision} of ${identityLabel(identity)} was created by another run first`,
  );
}

/** Refuses to change a finished release. */
export function checkMutable(identity: ReleaseIdentity, stored: Pick<Release, 'phase' | 'revision'>): void {
  if (isFinishedPhase(stored.phase)) {
    throw new StateConflictError(
      'release-finished',
      `release ${stored.revision} of ${identityLabel(identity)} is ${stored.phase}; finished releases are immutable`,
    );
  }
}

/** Refuses to delete any revision but the latest, which would leave a gap in the numbering. */
export function checkDeletable(identity: ReleaseIdentity, latestRevision: number, revision: number): void {
  if (revision !== latestRevision) {
    throw new StateConflictError(
      'not-latest-revision',
      `cannot delete release ${revision} of ${identityLabel(identity)}: only the latest (${latestRevision}) can be deleted`,
    );
  }
}

/** The index line of a release. */
export function indexEntryOf(release: Release): ReleaseIndexEntry {
  return {
    revision: release.revision,
    phase: release.phase,
    operator: release.operator,
    createTime: release.createTime,
  };
}

/** An index from its entries, in ascending revision order. */
export function indexOf(entries: Iterable<ReleaseIndexEntry>): ReleaseIndex {
  const sorted = [...entries].sort((a, b) => a.revision - b.revision);
  return { latestRevision: sorted.at(-1)?.revision ?? 0, entries: sorted };
}

/** True when the lease has run out at `now`. */
export function isExpired(lock: LockRecord, now: Date): boolean {
  return Date.parse(lock.leaseExpiresAt) <= now.getTime();
}

/** A new lock record: the owner's, leased from `now`. */
export function lockRecord(
  owner: LockOwner,
  operation: string,
  now: Date,
  leaseMs: number,
  version: number,
): LockRecord {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) {
    throw new KusionError(Codes.internal, `lock lease must be positive (got ${leaseMs} ms)`, {
      source: 'system',
    });
  }
  return {
    owner: { ...owner },
    operation,
    acquiredAt: now.toISOString(),
    leaseExpiresAt: new Date(now.getTime() + leaseMs).toISOString(),
    version,
  };
}

/** True when `current` is the very record `held` describes (same run, same version). */
export function isSameLock(held: LockRecord, current: LockRecord | undefined): boolean {
  return (
    current !== undefined && current.version === held.version && current.owner.runId === held.owner.runId
  );
}

/**
 * Why `held` can no longer be renewed or released, or undefined when it still can: the record changed
 * hands or disappeared, or (for renewal) the lease ran out.
 */
export function leaseLostReason(
  identity: ReleaseIdentity,
  held: LockRecord,
  current: LockRecord | undefined,
  now: Date,
  mustBeUnexpired: boolean,
): LeaseLostError | undefined {
  if (current === undefined) return new LeaseLostError(identity, 'the lock was removed');
  if (!isSameLock(held, current)) {
    return new LeaseLostError(
      identity,
      `the lock is now held by ${current.owner.operator} (run ${current.owner.runId}, version ${current.version})`,
      current,
    );
  }
  if (mustBeUnexpired && isExpired(current, now)) {
    return new LeaseLostError(identity, `the lease expired at ${current.leaseExpiresAt}`, current);
  }
  return undefined;
}

/** The renewed record: same owner and acquisition time, a fresh lease, the next version. */
export function renewedRecord(held: LockRecord, now: Date, leaseMs: number): LockRecord {
  const fresh = lockRecord(held.owner, held.operation, now, leaseMs, held.version + 1);
  return { ...fresh, acquiredAt: held.acquiredAt };
}

/** Unit names are path and key segments in every backend. */
export const unitNamePattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Refuses unit names that could escape a directory or key prefix, or differ between backends. */
export function checkUnitName(unit: string): string {
  if (!unitNamePattern.test(unit)) {
    throw new KusionError(Codes.stateRecordInvalid, `invalid Terraform unit name '${unit}'`, {
      hints: ['unit names are lowercase letters, digits and dashes'],
    });
  }
  return unit;
}

/**
 * Identity parts become keys on every backend (paths, object keys, rows): refuse anything that could leave
 * its place in the key layout, so a history can move between backends unchanged.
 */
export function checkIdentitySegments(identity: ReleaseIdentity): void {
  for (const segment of [identity.project, identity.stack, identity.workspace]) {
    if (!/^[A-Za-z0-9_.-]{1,100}$/.test(segment) || segment.startsWith('.')) {
      throw new KusionError(
        Codes.stateRecordInvalid,
        `cannot store releases of ${identityLabel(identity)}: "${segment}" is not a valid name for a state key`,
      );
    }
  }
}
