/**
 * The lease lock as a row of `locks` (SPEC §9.3). Taking a free lock is `INSERT … ON CONFLICT DO NOTHING`;
 * every later change (takeover, renewal, release) is one `UPDATE`/`DELETE … WHERE version = $v AND
 * run_id = $r`, so of two racing writers exactly one matches the row. Expiry is decided inside the
 * statement against the database's `now()`, one clock for every client of the backend; tests inject a
 * clock instead, bound as a parameter in the same place.
 */
import { Codes, KusionError } from '../../errors/index.js';
import { invalidRecord, LeaseLostError, LockHeldError, type ReleaseIdentity } from '../errors.js';
import type { AcquireLockOptions, Clock, ReleaseLock, RenewLockOptions } from '../port.js';
import { type LockOwner, type LockRecord, LockRecordSchema } from '../records.js';
import { leaseLostReason } from '../rules.js';
import type { PostgresDatabase } from './database.js';

/** Which clock decides lease expiry: the database's `now()`, or an injected one (tests). */
export type PostgresClock = 'database' | Clock;

interface LockRow {
  readonly owner: unknown;
  readonly operation: string;
  readonly version: number;
  readonly acquired_at: string;
  readonly lease_expires_at: string;
}

const iso = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const columns = `owner, operation, version,
  to_char(acquired_at AT TIME ZONE 'UTC', ${iso}) AS acquired_at,
  to_char(lease_expires_at AT TIME ZONE 'UTC', ${iso}) AS lease_expires_at`;
/**
 * `t.now`: parameter `$n` (the injected time) or, when it is NULL, the database clock; in milliseconds, as
 * every record carries.
 */
const clockAt = (n: number) =>
  `WITH t AS (SELECT date_trunc('milliseconds', coalesce($${n}::timestamptz, now())) AS now)`;
const clockCte = clockAt(4);
const where = 'project = $1 AND stack = $2 AND workspace = $3';

/** The lease lock of one identity on a PostgreSQL backend. */
export class PostgresLock implements ReleaseLock {
  private readonly db: PostgresDatabase;
  private readonly identity: ReleaseIdentity;
  private readonly clock: PostgresClock;
  private readonly table: string;

  constructor(db: PostgresDatabase, identity: ReleaseIdentity, clock: PostgresClock) {
    this.db = db;
    this.identity = identity;
    this.clock = clock;
    this.table = `${db.schema}.locks`;
  }

  async acquire(owner: LockOwner, options: AcquireLockOptions): Promise<LockRecord> {
    checkLease(options.leaseMs);
    const values = [
      ...this.key(),
      this.time(),
      owner.runId,
      JSON.stringify(owner),
      options.leaseMs,
      options.operation,
    ];
    const lease = `t.now + $7 * interval '1 millisecond'`;
    // A few rounds at most: each ends in success, a held lock, or a row that changed meanwhile.
    for (let round = 0; round < 10; round++) {
      const [created] = await this.db.query<LockRow>(
        `${clockCte} INSERT INTO ${this.table}
           (project, stack, workspace, run_id, owner, operation, acquired_at, lease_expires_at, version)
         SELECT $1, $2, $3, $5, $6::jsonb, $8, t.now, ${lease}, 1 FROM t
         ON CONFLICT DO NOTHING RETURNING ${columns}`,
        values,
      );
      if (created) return this.record(created);
      const current = await this.readWithClock();
      if (!current) continue; // released meanwhile
      if (!current.isExpired) throw new LockHeldError(this.identity, current.record);
      const [taken] = await this.db.query<LockRow>(
        `${clockCte} UPDATE ${this.table} SET run_id = $5, owner = $6::jsonb, operation = $8,
           acquired_at = t.now, lease_expires_at = ${lease}, version = version + 1
         FROM t WHERE ${where} AND version = $9 AND lease_expires_at <= t.now
         RETURNING ${columns}`,
        [...values, current.record.version],
      );
      if (taken) return this.record(taken);
    }
    throw new KusionError(Codes.backendUnreachable, 'the lock row keeps changing; try again', {
      source: 'external',
    });
  }

  async renew(held: LockRecord, options: RenewLockOptions): Promise<LockRecord> {
    checkLease(options.leaseMs);
    const [renewed] = await this.db.query<LockRow>(
      `${clockCte} UPDATE ${this.table} SET lease_expires_at = t.now + $5 * interval '1 millisecond',
         version = version + 1
       FROM t WHERE ${where} AND version = $6 AND run_id = $7 AND lease_expires_at > t.now
       RETURNING ${columns}`,
      [...this.key(), this.time(), options.leaseMs, held.version, held.owner.runId],
    );
    if (renewed) return this.record(renewed);
    throw await this.whyLost(held, true);
  }

  async release(held: LockRecord): Promise<void> {
    const removed = await this.db.query(
      `DELETE FROM ${this.table} WHERE ${where} AND version = $4 AND run_id = $5 RETURNING 1`,
      [...this.key(), held.version, held.owner.runId],
    );
    if (removed.length === 0) throw await this.whyLost(held, false);
  }

  async read(): Promise<LockRecord | undefined> {
    const [row] = await this.db.query<LockRow>(
      `SELECT ${columns} FROM ${this.table} WHERE ${where}`,
      this.key(),
    );
    return row && this.record(row);
  }

  async forceRelease(): Promise<LockRecord | undefined> {
    const [row] = await this.db.query<LockRow>(
      `DELETE FROM ${this.table} WHERE ${where} RETURNING ${columns}`,
      this.key(),
    );
    // A damaged row is removed too, and reported as nothing: that is what unlock is for.
    if (!row) return undefined;
    const parsed = LockRecordSchema.safeParse(toRecord(row));
    return parsed.success ? parsed.data : undefined;
  }

  private async readWithClock(): Promise<{ record: LockRecord; isExpired: boolean } | undefined> {
    const [row] = await this.db.query<LockRow & { expired: boolean }>(
      `${clockCte} SELECT ${columns}, lease_expires_at <= t.now AS expired FROM ${this.table}, t WHERE ${where}`,
      [...this.key(), this.time()],
    );
    return row && { record: this.record(row), isExpired: row.expired };
  }

  private async whyLost(held: LockRecord, mustBeUnexpired: boolean): Promise<LeaseLostError> {
    const [now] = await this.db.query<{ now: string }>(
      `${clockAt(1)} SELECT to_char(t.now AT TIME ZONE 'UTC', ${iso}) AS now FROM t`,
      [this.time()],
    );
    const current = await this.read();
    const reason = leaseLostReason(this.identity, held, current, new Date(now?.now ?? 0), mustBeUnexpired);
    return (
      reason ?? new LeaseLostError(this.identity, 'the lock changed while it was being written', current)
    );
  }

  private record(row: LockRow): LockRecord {
    const parsed = LockRecordSchema.safeParse(toRecord(row));
    if (!parsed.success) {
      throw invalidRecord('lock record', `${this.table} row ${this.key().join('/')}`, parsed.error.message);
    }
    return parsed.data;
  }

  private key(): [string, string, string] {
    return [this.identity.project, this.identity.stack, this.identity.workspace];
  }

  /** The injected time, or null: the statement then uses the database's `now()`. */
  private time(): string | null {
    return this.clock === 'database' ? null : this.clock.now().toISOString();
  }
}

function toRecord(row: LockRow): unknown {
  return {
    owner: row.owner,
    operation: row.operation,
    acquiredAt: row.acquired_at,
    leaseExpiresAt: row.lease_expires_at,
    version: row.version,
  };
}

function checkLease(leaseMs: number): void {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) {
    throw new KusionError(Codes.internal, `lock lease must be positive (got ${leaseMs} ms)`, {
      source: 'system',
    });
  }
}
