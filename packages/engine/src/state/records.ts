/**
 * The persisted shapes of the state backend besides the release itself (SPEC §9.2–§9.4): the release index,
 * journal entries and the lock record. Every adapter validates what it reads with these schemas, so a
 * damaged or foreign file surfaces as a coded error instead of a crash further on.
 */
import { z } from 'zod';
import { ReleaseSchema, releasePhases } from '../model/release.js';

/** A resource as recorded in a release's state. */
export const StateResourceSchema = ReleaseSchema.shape.state.shape.resources.element;
export type StateResource = z.output<typeof StateResourceSchema>;

/** A release's `state` (`{resources: [...]}`). */
export type ReleaseState = z.output<typeof ReleaseSchema.shape.state>;

/** One line of a release history, kept in `index.json` so listing never reads whole releases. */
export const ReleaseIndexEntrySchema = z.strictObject({
  revision: z.number().int().positive(),
  phase: z.enum(releasePhases),
  operator: z.string(),
  createTime: z.string(),
});
export type ReleaseIndexEntry = z.output<typeof ReleaseIndexEntrySchema>;

/** `index.json` of an identity: `{latestRevision, entries}`, entries in ascending revision order. */
export const ReleaseIndexSchema = z.strictObject({
  latestRevision: z.number().int().nonnegative(),
  entries: z.array(ReleaseIndexEntrySchema),
});
export type ReleaseIndex = z.output<typeof ReleaseIndexSchema>;

/** The runtime actions a journal records (the executed plan actions of SPEC §10.1). */
export const journalActions = ['Create', 'Update', 'Replace', 'Delete', 'UnChanged'] as const;
export type JournalAction = (typeof journalActions)[number];

const seq = z.number().int().positive();
const id = z.string().min(1);

/** Appended before a runtime call. */
export const JournalStartedSchema = z.strictObject({
  type: z.literal('started'),
  seq,
  id,
  action: z.enum(journalActions),
});
export type JournalStarted = z.output<typeof JournalStartedSchema>;

/**
 * Appended after a runtime call. `resource` is what state must now record for `id`; a `succeeded` entry
 * without one means the resource is gone from state (deleted, or forgotten when retained).
 */
export const JournalFinishedSchema = z.strictObject({
  type: z.literal('finished'),
  seq,
  id,
  result: z.enum(['succeeded', 'failed']),
  resource: StateResourceSchema.optional(),
  error: z.strictObject({ code: z.string().optional(), message: z.string() }).optional(),
});
export type JournalFinished = z.output<typeof JournalFinishedSchema>;

/** One journal entry (SPEC §9.4): `started {seq, id, action}` or `finished {seq, id, result, resource?, error?}`. */
export const JournalEntrySchema = z.discriminatedUnion('type', [JournalStartedSchema, JournalFinishedSchema]);
export type JournalEntry = z.output<typeof JournalEntrySchema>;

/** Who holds a lock: enough for a human to find the run (SPEC §9.3). */
export const LockOwnerSchema = z.strictObject({
  operator: z.string(),
  host: z.string(),
  pid: z.number().int().nonnegative(),
  runId: z.string().min(1),
});
export type LockOwner = z.output<typeof LockOwnerSchema>;

/**
 * The lock record of an identity (SPEC §9.3). Times are RFC 3339 UTC; `version` grows with every write of
 * the record and, together with `owner.runId`, is what compare-and-set compares.
 */
export const LockRecordSchema = z.strictObject({
  owner: LockOwnerSchema,
  operation: z.string().min(1),
  acquiredAt: z.string(),
  leaseExpiresAt: z.string(),
  version: z.number().int().positive(),
});
export type LockRecord = z.output<typeof LockRecordSchema>;

/** True for the phases a release ends in; such a release is immutable. */
export function isFinishedPhase(phase: ReleaseIndexEntry['phase']): boolean {
  return phase === 'succeeded' || phase === 'failed';
}
