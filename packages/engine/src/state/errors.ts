/**
 * Typed errors of the state port, shared by every adapter so callers can tell a lost race from a held lock
 * without parsing messages. All are KusionErrors with SPEC §16.3 codes.
 */
import { Codes, isKusionError, KusionError } from '../errors/index.js';
import type { LockRecord } from './records.js';

/** The identity of a release history: `(project, stack, workspace)` (SPEC §9.1). */
export interface ReleaseIdentity {
  readonly project: string;
  readonly stack: string;
  readonly workspace: string;
}

/** `project/stack/workspace`, for messages. */
export function identityLabel(identity: ReleaseIdentity): string {
  return `${identity.project}/${identity.stack}/${identity.workspace}`;
}

/** Another run holds the identity's lock (KUS4002). Carries the record so callers can wait or report. */
export class LockHeldError extends KusionError {
  readonly lock: LockRecord;

  constructor(identity: ReleaseIdentity, lock: LockRecord, waited?: string) {
    const { owner } = lock;
    super(
      Codes.lockHeld,
      `${identityLabel(identity)} is locked by ${owner.operator} (host ${owner.host}, pid ${owner.pid}, run ${owner.runId}) ` +
        `running ${lock.operation} since ${lock.acquiredAt}; the lease expires at ${lock.leaseExpiresAt}` +
        (waited ? ` (waited ${waited})` : ''),
      {
        source: 'external',
        hints: [
          'wait for that run to finish, or retry with --lock-wait <duration>; if it died, the lock is taken over ' +
            'once the lease expires, or remove it with `kusion release unlock`',
        ],
      },
    );
    this.name = 'LockHeldError';
    this.lock = lock;
  }
}

/** The caller's lease is gone: expired, taken over or removed (KUS4003). */
export class LeaseLostError extends KusionError {
  /** The record found instead of the caller's, if any. */
  readonly current: LockRecord | undefined;

  constructor(identity: ReleaseIdentity, reason: string, current?: LockRecord) {
    super(Codes.leaseLost, `lost the lock on ${identityLabel(identity)}: ${reason}`, {
      source: 'external',
      hints: ['another run may now be changing this stack; check `kusion release list` before retrying'],
    });
    this.name = 'LeaseLostError';
    this.current = current;
  }
}

/** Why a write to the release history was refused. */
export type StateConflictReason =
  | 'revision-exists'
  | 'not-next-revision'
  | 'release-finished'
  | 'not-latest-revision'
  | 'identity-mismatch'
  | 'journal-seq-exists';

/**
 * A write that would break the history's invariants (KUS4007): a revision someone else created first, a
 * change to a finished (immutable) release, a journal sequence number used twice.
 */
export class StateConflictError extends KusionError {
  readonly reason: StateConflictReason;

  constructor(reason: StateConflictReason, message: string) {
    super(Codes.stateConflict, message, { source: 'system' });
    this.name = 'StateConflictError';
    this.reason = reason;
  }
}

/** True for a StateConflictError, whichever copy of the engine made it. */
export function isStateConflict(error: unknown, reason?: StateConflictReason): error is StateConflictError {
  if (!isKusionError(error) || error.code !== Codes.stateConflict) return false;
  const actual = (error as { reason?: unknown }).reason;
  return typeof actual === 'string' && (reason === undefined || actual === reason);
}

/** The release does not exist (KUS4005). */
export function releaseNotFound(identity: ReleaseIdentity, revision: number): KusionError {
  return new KusionError(
    Codes.releaseNotFound,
    `release ${revision} of ${identityLabel(identity)} not found`,
    {
      hints: ['list the revisions with `kusion release list`'],
    },
  );
}

/** A stored file or row that does not parse as what it should be (KUS4008). */
export function invalidRecord(what: string, where: string, detail: string): KusionError {
  return new KusionError(Codes.stateRecordInvalid, `${what} at ${where} is invalid: ${detail}`, {
    source: 'system',
    location: where,
    hints: ['the backend holds a damaged or foreign record; restore it from a backup or remove it'],
  });
}

/** Node's network error codes that mean "could not talk to the server". */
export const networkCodes: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
