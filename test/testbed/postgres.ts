/**
 * The machine's PostgreSQL (TESTBED.md §5.1): checked, never started.
 */
import pg from 'pg';

/** The default URL: trust auth on loopback, database `test`. */
export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable';

/** `KUSION_TEST_PG_URL`, or {@link DEFAULT_PG_URL}. */
export function pgUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env['KUSION_TEST_PG_URL'] || DEFAULT_PG_URL;
}

/** Runs `SELECT 1` with a 5 s timeout; fails naming the address and how to start the server. */
export async function checkPostgres(url: string): Promise<void> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 5_000,
    query_timeout: 5_000,
  });
  try {
    await client.connect();
    const res = await client.query<{ one: number }>('SELECT 1 AS one');
    if (res.rows[0]?.one !== 1) throw new Error('SELECT 1 did not return 1');
  } catch (cause) {
    const where = new URL(url);
    throw new Error(
      `testbed: PostgreSQL at ${where.host} is not usable (${(cause as Error).message}); ` +
        'start it with `pg_ctlcluster --skip-systemctl-redirect 15 main start`',
      { cause },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
