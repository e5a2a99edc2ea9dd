/**
 * Release histories as rows (SPEC §9.2): `releases` (the release as jsonb plus the index columns),
 * `journal` (one row per entry) and `histories` (the identity's `latest_revision`).
 *
 * Compare-and-set. Creating and deleting a release lock the identity's `histories` row (`FOR UPDATE`)
 * inside one transaction, check the rule against `latest_revision` and move it, so of two creators of
 * one revision the second waits and then sees it taken; revisions stay gap-free. Updating is one
 * `UPDATE … WHERE phase NOT IN (finished)` that also bumps the row's `version`, so a finished release
 * can never be changed, whoever finished it. Journal appends are `INSERT … ON CONFLICT DO NOTHING` on
 * `(…, revision, seq)`: one row per entry, never a rewrite of state.
 */
import { type Release, ReleaseSchema } from '../../model/release.js';
import {
  identityLabel,
  invalidRecord,
  type ReleaseIdentity,
  releaseNotFound,
  StateConflictError,
} from '../errors.js';
import type { OpenReleaseStore, ReleaseJournal, ReleaseLock, ReleaseStore, UnitStateStore } from '../port.js';
import {
  type JournalEntry,
  JournalEntrySchema,
  type ReleaseIndex,
  ReleaseIndexEntrySchema,
} from '../records.js';
import {
  checkDeletable,
  checkIdentitySegments,
  checkJournalEntry,
  checkMutable,
  checkNextRevision,
  checkReleaseWrite,
  indexEntryOf,
  indexOf,
  revisionExists,
} from '../rules.js';
import { PostgresBlobs, PostgresUnitStates } from './blobs.js';
import type { PostgresDatabase } from './database.js';
import { type PostgresClock, PostgresLock } from './lock.js';

/** Options of the PostgreSQL release store. */
export interface PostgresReleaseStoreOptions {
  /** Decides lock expiry. @default 'database' (the server's `now()`) */
  readonly clock?: PostgresClock;
}

const where = 'project = $1 AND stack = $2 AND workspace = $3';
const finished = `('succeeded', 'failed')`;

/** Opens histories on one PostgreSQL backend. */
export function openPostgresReleaseStore(
  db: PostgresDatabase,
  options: PostgresReleaseStoreOptions = {},
): OpenReleaseStore {
  return (identity) => new PostgresReleaseStore(db, identity, options);
}

/** The release history of one identity, stored as rows. */
export class PostgresReleaseStore implements ReleaseStore {
  readonly identity: ReleaseIdentity;
  readonly lock: ReleaseLock;
  readonly unitStates: UnitStateStore;
  private readonly db: PostgresDatabase;
  private readonly s: string;

  constructor(db: PostgresDatabase, identity: ReleaseIdentity, options: PostgresReleaseStoreOptions = {}) {
    checkIdentitySegments(identity);
    const { project, stack, workspace } = identity;
    this.identity = { project, stack, workspace };
    this.db = db;
    this.s = db.schema;
    this.lock = new PostgresLock(db, this.identity, options.clock ?? 'database');
    this.unitStates = new PostgresUnitStates(new PostgresBlobs(db), this.identity);
  }

  async list(): Promise<ReleaseIndex> {
    const rows = await this.db.query<{
      revision: number;
      phase: string;
      operator: string;
      create_time: string;
    }>(
      `SELECT revision, phase, operator, create_time FROM ${this.s}.releases WHERE ${where} ORDER BY revision`,
      this.key(),
    );
    return indexOf(
      rows.map((row) => {
        const parsed = ReleaseIndexEntrySchema.safeParse({
          revision: row.revision,
          phase: row.phase,
          operator: row.operator,
          createTime: row.create_time,
        });
        if (!parsed.success) throw invalidRecord('release', this.where(row.revision), parsed.error.message);
        return parsed.data;
      }),
    );
  }

  async get(revision: number): Promise<Release | undefined> {
    if (!Number.isInteger(revision) || revision < 1 || revision > 2 ** 31 - 1) return undefined;
    const [row] = await this.db.query<{ body: unknown }>(
      `SELECT body FROM ${this.s}.releases WHERE ${where} AND revision = $4`,
      [...this.key(), revision],
    );
    return row && this.parse(row.body, revision);
  }

  async latest(): Promise<Release | undefined> {
    const [row] = await this.db.query<{ body: unknown; revision: number }>(
      `SELECT body, revision FROM ${this.s}.releases WHERE ${where} ORDER BY revision DESC LIMIT 1`,
      this.key(),
    );
    return row && this.parse(row.body, row.revision);
  }

  async create(release: Release): Promise<void> {
    const checked = checkReleaseWrite(this.identity, release);
    const entry = indexEntryOf(checked);
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO ${this.s}.histories (project, stack, workspace) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        this.key(),
      );
      const [history] = await tx.query<{ latest_revision: number }>(
        `SELECT latest_revision FROM ${this.s}.histories WHERE ${where} FOR UPDATE`,
        this.key(),
      );
      checkNextRevision(this.identity, history?.latest_revision ?? 0, checked.revision);
      const inserted = await tx.query(
        `INSERT INTO ${this.s}.releases (project, stack, workspace, revision, phase, operator, create_time, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT DO NOTHING RETURNING 1`,
        [
          ...this.key(),
          entry.revision,
          entry.phase,
          entry.operator,
          entry.createTime,
          JSON.stringify(checked),
        ],
      );
      // Only if the rows disagree with `latest_revision`, i.e. were changed by hand.
      if (inserted.length === 0) throw revisionExists(this.identity, checked.revision);
      await tx.query(`UPDATE ${this.s}.histories SET latest_revision = $4 WHERE ${where}`, [
        ...this.key(),
        checked.revision,
      ]);
    });
  }

  async update(release: Release): Promise<void> {
    const checked = checkReleaseWrite(this.identity, release);
    const entry = indexEntryOf(checked);
    const updated = await this.db.query(
      `UPDATE ${this.s}.releases SET body = $8::jsonb, phase = $5, operator = $6, create_time = $7,
         version = version + 1
       WHERE ${where} AND revision = $4 AND phase NOT IN ${finished} RETURNING 1`,
      [...this.key(), entry.revision, entry.phase, entry.operator, entry.createTime, JSON.stringify(checked)],
    );
    if (updated.length > 0) return;
    const [stored] = await this.db.query<{ phase: Release['phase'] }>(
      `SELECT phase FROM ${this.s}.releases WHERE ${where} AND revision = $4`,
      [...this.key(), checked.revision],
    );
    if (!stored) throw releaseNotFound(this.identity, checked.revision);
    checkMutable(this.identity, { phase: stored.phase, revision: checked.revision });
    throw new StateConflictError(
      'release-finished',
      `release ${checked.revision} of ${identityLabel(this.identity)} changed while it was being written`,
    );
  }

  async delete(revision: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [history] = await tx.query<{ latest_revision: number }>(
        `SELECT latest_revision FROM ${this.s}.histories WHERE ${where} FOR UPDATE`,
        this.key(),
      );
      const [stored] = await tx.query<{ phase: Release['phase'] }>(
        `SELECT phase FROM ${this.s}.releases WHERE ${where} AND revision = $4`,
        [...this.key(), revision],
      );
      if (!history || !stored) throw releaseNotFound(this.identity, revision);
      checkDeletable(this.identity, history.latest_revision, revision);
      checkMutable(this.identity, { phase: stored.phase, revision });
      const args = [...this.key(), revision];
      await tx.query(`DELETE FROM ${this.s}.journal WHERE ${where} AND revision = $4`, args);
      await tx.query(`DELETE FROM ${this.s}.releases WHERE ${where} AND revision = $4`, args);
      await tx.query(`UPDATE ${this.s}.histories SET latest_revision = $4 - 1 WHERE ${where}`, args);
    });
  }

  journal(revision: number): ReleaseJournal {
    return new PostgresJournal(this.db, this.identity, revision);
  }

  private parse(body: unknown, revision: number): Release {
    const parsed = ReleaseSchema.safeParse(body);
    if (!parsed.success) throw invalidRecord('release', this.where(revision), parsed.error.message);
    if (parsed.data.revision !== revision) {
      throw invalidRecord('release', this.where(revision), `it records revision ${parsed.data.revision}`);
    }
    return parsed.data;
  }

  private where(revision: number): string {
    return `${this.s}.releases ${identityLabel(this.identity)}#${revision}`;
  }

  private key(): [string, string, string] {
    return [this.identity.project, this.identity.stack, this.identity.workspace];
  }
}

/** One revision's journal: rows of `journal`. */
class PostgresJournal implements ReleaseJournal {
  private readonly db: PostgresDatabase;
  private readonly identity: ReleaseIdentity;
  private readonly revision: number;
  private readonly table: string;

  constructor(db: PostgresDatabase, identity: ReleaseIdentity, revision: number) {
    this.db = db;
    this.identity = identity;
    this.revision = revision;
    this.table = `${db.schema}.journal`;
  }

  async append(entry: JournalEntry): Promise<void> {
    const checked = checkJournalEntry(entry);
    const inserted = await this.db.query(
      `INSERT INTO ${this.table} (project, stack, workspace, revision, seq, entry)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb) ON CONFLICT DO NOTHING RETURNING 1`,
      [...this.args(), checked.seq, JSON.stringify(checked)],
    );
    if (inserted.length === 0) {
      throw new StateConflictError(
        'journal-seq-exists',
        `journal entry ${checked.seq} of release ${this.revision} of ${identityLabel(this.identity)} already exists`,
      );
    }
  }

  async read(): Promise<readonly JournalEntry[]> {
    const rows = await this.db.query<{ seq: number; entry: unknown }>(
      `SELECT seq, entry FROM ${this.table} WHERE ${where} AND revision = $4 ORDER BY seq`,
      this.args(),
    );
    return rows.map((row) => {
      const parsed = JournalEntrySchema.safeParse(row.entry);
      const at = `${this.table} ${identityLabel(this.identity)}#${this.revision}/${row.seq}`;
      if (!parsed.success) throw invalidRecord('journal entry', at, parsed.error.message);
      if (parsed.data.seq !== row.seq) throw invalidRecord('journal entry', at, 'seq and row differ');
      return parsed.data;
    });
  }

  async clear(): Promise<void> {
    await this.db.query(`DELETE FROM ${this.table} WHERE ${where} AND revision = $4`, this.args());
  }

  private args(): [string, string, string, number] {
    const { project, stack, workspace } = this.identity;
    return [project, stack, workspace, this.revision];
  }
}
