/**
 * A private schema per fixture on the testbed's PostgreSQL, dropped afterwards, so tests and parallel
 * runs never see each other's rows.
 */
import pg from 'pg';
import {
  openPostgresBackend,
  type PostgresBackend,
} from '../../../packages/engine/src/state/postgres/backend.js';
import type { PostgresClock } from '../../../packages/engine/src/state/postgres/lock.js';
import { randomSuffix } from '../../testbed/index.js';
import { pgUrl } from '../../testbed/postgres.js';

/** A backend on a fresh schema, and how to drop it. */
export interface PgFixture {
  readonly schema: string;
  readonly url: string;
  /** The backend's configs, as `kusion config set backends.<name>.configs` would hold them. */
  readonly configs: { readonly connectionString: string; readonly schema: string };
  /** Opens one more handle (its own pool), as another process would. */
  open(clock?: PostgresClock): PostgresBackend;
  /** Closes every handle and drops the schema. */
  drop(): Promise<void>;
}

export function pgFixture(tag: string): PgFixture {
  const url = pgUrl();
  const schema = `kt_${tag}_${randomSuffix(8)}`;
  const configs = { connectionString: url, schema };
  const opened: PostgresBackend[] = [];
  return {
    schema,
    url,
    configs,
    open(clock) {
      const backend = openPostgresBackend('test', configs, clock ? { clock } : {});
      opened.push(backend);
      return backend;
    },
    async drop() {
      await Promise.all(opened.map((b) => b.close()));
      await dropSchema(url, schema);
    },
  };
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
