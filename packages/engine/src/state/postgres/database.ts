/**
 * One connection pool to a `postgres` backend, opened lazily: `pg` is imported on the first query, so
 * commands that never touch the backend (and `kusion --help`) do not load it. The schema is migrated once
 * per pool before the first statement. Every driver failure leaves here as a KUS4001 (see errors.ts).
 *
 * No lock is ever tied to a connection (ARCHITECTURE §4): the lease lock is a row, and transactions only
 * hold row locks for the few statements of one compare-and-set, so a killed client loses nothing but its
 * open transaction.
 */
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { Codes, KusionError } from '../../errors/index.js';
import { postgresError } from './errors.js';
import { migrations, schemaVersion } from './migrations.js';
import type { PostgresSettings } from './settings.js';

/** Runs statements: the pool itself, or one transaction's connection. */
export interface Queryable {
  query<R extends QueryResultRow>(text: string, values?: readonly unknown[]): Promise<R[]>;
}

/** Options of `PostgresDatabase`. */
export interface PostgresDatabaseOptions {
  /** Connections at most. @default 10 */
  readonly maxConnections?: number;
  /** How long to wait for a connection before failing with KUS4001. @default 10000 */
  readonly connectTimeoutMs?: number;
}

/** The lazily opened pool of one backend, with migrations and error mapping. */
export class PostgresDatabase implements Queryable {
  readonly settings: PostgresSettings;
  /** The schema as a quoted SQL identifier, for building statements. */
  readonly schema: string;
  private readonly options: PostgresDatabaseOptions;
  private pool: Promise<Pool> | undefined;
  private ready: Promise<void> | undefined;

  constructor(settings: PostgresSettings, options: PostgresDatabaseOptions = {}) {
    this.settings = settings;
    // parsePostgresSettings allows only [a-z_][a-z0-9_]*, so quoting cannot be escaped from.
    this.schema = `"${settings.schema}"`;
    this.options = options;
  }

  async query<R extends QueryResultRow>(text: string, values: readonly unknown[] = []): Promise<R[]> {
    const pool = await this.migrated();
    try {
      return (await pool.query<R>(text, [...values])).rows;
    } catch (error) {
      throw postgresError(error, this.settings);
    }
  }

  /** Runs `fn` in one transaction; rolls back on any error, which is rethrown (Kusion errors as they are). */
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const pool = await this.migrated();
    return runInTransaction(pool, this.settings, fn);
  }

  /** Closes the pool (tests; the CLI exits with idle connections, which `allowExitOnIdle` permits). */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    this.ready = undefined;
    if (pool) await (await pool).end();
  }

  private async migrated(): Promise<Pool> {
    const pool = await this.openPool();
    this.ready ??= migrate(pool, this.settings).catch((error: unknown) => {
      this.ready = undefined; // a later call may find the server back
      throw postgresError(error, this.settings);
    });
    await this.ready;
    return pool;
  }

  private openPool(): Promise<Pool> {
    this.pool ??= import('pg').then(({ default: pg }) => {
      const pool = new pg.Pool({
        ...this.settings.connection,
        ssl:
          this.settings.connection.ssl === undefined
            ? undefined
            : structuredClone(this.settings.connection.ssl),
        max: this.options.maxConnections ?? 10,
        connectionTimeoutMillis: this.options.connectTimeoutMs ?? 10_000,
        idleTimeoutMillis: 10_000,
        allowExitOnIdle: true,
        application_name: 'kusion',
      });
      // An idle connection dropped by the server must not crash the process; the next query reports it.
      pool.on('error', () => undefined);
      return pool;
    });
    return this.pool;
  }
}

async function runInTransaction<T>(
  pool: Pool,
  settings: PostgresSettings,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw postgresError(error, settings);
  }
  const tx: Queryable = {
    async query<R extends QueryResultRow>(text: string, values: readonly unknown[] = []): Promise<R[]> {
      try {
        return (await client.query<R>(text, [...values])).rows;
      } catch (error) {
        throw postgresError(error, settings);
      }
    },
  };
  let broken: Error | undefined;
  // A checked-out client has no error listener of the pool's: without one, a server that goes away
  // between two statements of the transaction would crash the process with an unhandled 'error' event.
  const onError = (error: Error): void => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await tx.query('BEGIN');
    const result = await fn(tx);
    await tx.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      // The connection is unusable: drop it from the pool instead of handing it out again.
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw postgresError(error, settings);
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/** Brings the schema to `schemaVersion`; a schema newer than this build is refused. */
async function migrate(pool: Pool, settings: PostgresSettings): Promise<void> {
  const schema = `"${settings.schema}"`;
  // Fast path, one round trip: already migrated.
  const current = await pool
    .query<{ version: number | null }>(`SELECT max(version) AS version FROM ${schema}.schema_version`)
    .then((r) => r.rows[0]?.version ?? 0)
    .catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      if (code === '42P01' || code === '3F000') return 0; // no table or no schema yet
      throw error;
    });
  if (current === schemaVersion) return;
  checkNotNewer(current, settings);
  await runInTransaction(pool, settings, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`kusion-migrate:${settings.schema}`]);
    const exists = await tx.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [settings.schema]);
    if (exists.length === 0) await tx.query(`CREATE SCHEMA ${schema}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_version
         (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const [row] = await tx.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${schema}.schema_version`,
    );
    const applied = row?.version ?? 0;
    checkNotNewer(applied, settings);
    for (const migration of migrations) {
      if (migration.version <= applied) continue;
      for (const statement of migration.sql(schema)) await tx.query(statement);
      await tx.query(`INSERT INTO ${schema}.schema_version (version) VALUES ($1)`, [migration.version]);
    }
  });
}

function checkNotNewer(version: number, settings: PostgresSettings): void {
  if (version > schemaVersion) {
    throw new KusionError(
      Codes.backendUnreachable,
      `PostgreSQL backend "${settings.name}" (${settings.label}) has schema version ${version}; this Kusion knows up to ${schemaVersion}`,
      { source: 'external', hints: ['upgrade Kusion: a newer version has migrated this backend'] },
    );
  }
}
