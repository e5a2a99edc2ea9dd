/**
 * What the PostgreSQL backend adds to the contract: migrations run by Kusion, the database's clock
 * deciding leases, one row per journal entry, and KUS4001 (with a hint, without a password) when the
 * server cannot be used.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { Codes, isKusionError } from '../../../packages/engine/src/errors/index.js';
import { openPostgresBackend } from '../../../packages/engine/src/state/postgres/backend.js';
import { freePorts } from '../../testbed/ports.js';
import { type PgFixture, pgFixture } from './pg-support.js';

const shop = { project: 'shop', stack: 'prod', workspace: 'default' };
const owner = (name: string) => ({ operator: `${name}@ci`, host: 'ci', pid: 1, runId: `run-${name}` });
const fixtures: PgFixture[] = [];

function fresh(tag: string): PgFixture {
  const fixture = pgFixture(tag);
  fixtures.push(fixture);
  return fixture;
}

async function sql<R extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.drop()));
});

describe('PostgreSQL backend', () => {
  it('given a fresh schema and five first users at once, when they query, then one migration ran', async () => {
    const fixture = fresh('mig');
    const lists = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        fixture
          .open()
          .releases({ ...shop, stack: `s${i}` })
          .list(),
      ),
    );
    expect(lists.every((l) => l.latestRevision === 0)).toBe(true);
    const versions = await sql<{ version: number }>(
      fixture.url,
      `SELECT version FROM "${fixture.schema}".schema_version ORDER BY version`,
    );
    expect(versions.map((v) => v.version)).toEqual([1]);
    const tables = await sql<{ table_name: string }>(
      fixture.url,
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [fixture.schema],
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      'blobs',
      'histories',
      'journal',
      'locks',
      'releases',
      'schema_version',
      'settings',
      'workspaces',
    ]);
  });

  it('given a schema migrated by a newer Kusion, when used, then KUS4001 asks for an upgrade', async () => {
    const fixture = fresh('new');
    await fixture.open().workspaces.list();
    await sql(fixture.url, `INSERT INTO "${fixture.schema}".schema_version (version) VALUES (99)`);
    const error = await rejection(fixture.open().workspaces.list());
    expect(isKusionError(error) && error.code).toBe(Codes.backendUnreachable);
    expect((error as Error).message).toContain('schema version 99');
    expect(isKusionError(error) && error.hints[0]).toMatch(/upgrade Kusion/);
  });

  it('given the database clock, when a lock is taken, then its lease follows now() and expiry is decided there', async () => {
    const fixture = fresh('clk');
    const store = fixture.open().releases(shop);
    const [before] = await sql<{ now: Date }>(fixture.url, 'SELECT now() AS now');
    const held = await store.lock.acquire(owner('alice'), { operation: 'apply', leaseMs: 60_000 });
    const acquired = Date.parse(held.acquiredAt);
    expect(Math.abs(acquired - (before?.now.getTime() ?? 0))).toBeLessThan(5_000);
    expect(Date.parse(held.leaseExpiresAt) - acquired).toBe(60_000);
    const bob = fixture.open().releases(shop);
    expect(
      await rejection(bob.lock.acquire(owner('bob'), { operation: 'apply', leaseMs: 60_000 })),
    ).toMatchObject({
      code: Codes.lockHeld,
    });
    // The holder's lease runs out on the server's clock: move it into the past there.
    await sql(
      fixture.url,
      `UPDATE "${fixture.schema}".locks SET lease_expires_at = now() - interval '1 second'`,
    );
    const taken = await bob.lock.acquire(owner('bob'), { operation: 'apply', leaseMs: 60_000 });
    expect(taken.owner.runId).toBe('run-bob');
    expect(taken.version).toBe(held.version + 1);
    expect(await rejection(store.lock.renew(held, { leaseMs: 60_000 }))).toMatchObject({
      code: Codes.leaseLost,
    });
  });

  it('given a journal of 300 appends, then it is 300 rows, read back in order, and cleared with the release', async () => {
    const fixture = fresh('jr');
    const store = fixture.open().releases(shop);
    await store.create({
      ...shop,
      revision: 1,
      phase: 'applying',
      spec: { resources: [] },
      state: { resources: [] },
      operator: 'a@b',
      source: { kind: 'apply' },
      kusionVersion: '0.0.0',
      createTime: '2026-01-01T00:00:00Z',
      modifiedTime: '2026-01-01T00:00:00Z',
    });
    const journal = store.journal(1);
    for (let seq = 1; seq <= 300; seq++)
      await journal.append({ type: 'started', seq, id: `r${seq}`, action: 'Create' });
    const [count] = await sql<{ n: string }>(
      fixture.url,
      `SELECT count(*) AS n FROM "${fixture.schema}".journal`,
    );
    expect(count?.n).toBe('300');
    expect((await journal.read()).map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    await store.delete(1);
    const [after] = await sql<{ n: string }>(
      fixture.url,
      `SELECT count(*) AS n FROM "${fixture.schema}".journal`,
    );
    expect(after?.n).toBe('0');
  });

  it('given a damaged release row, when read, then KUS4008 names the row', async () => {
    const fixture = fresh('bad');
    const store = fixture.open().releases(shop);
    await store.list();
    await sql(
      fixture.url,
      `INSERT INTO "${fixture.schema}".releases (project, stack, workspace, revision, phase, operator, create_time, body)
       VALUES ('shop', 'prod', 'default', 1, 'succeeded', 'x', 't', '{"revision": 1}')`,
    );
    const error = await rejection(store.get(1));
    expect(error).toMatchObject({ code: Codes.stateRecordInvalid });
    expect((error as Error).message).toContain('shop/prod/default#1');
  });

  it('given nothing listening on the port, when used, then KUS4001 with a hint and without the password', async () => {
    const [port] = await freePorts(1);
    const backend = openPostgresBackend(
      'team',
      { host: '127.0.0.1', port, database: 'test', user: 'postgres', password: 'not-a-real-pw-42' },
      { connectTimeoutMs: 2_000 },
    );
    try {
      const error = await rejection(backend.releases(shop).list());
      expect(isKusionError(error) && error.code).toBe(Codes.backendUnreachable);
      const text = `${(error as Error).message} ${isKusionError(error) ? error.hints.join(' ') : ''}`;
      expect(text).toContain(`PostgreSQL backend "team" (127.0.0.1:${port}/test) is unreachable`);
      expect(text).toMatch(/server is running/);
      expect(text).not.toContain('not-a-real-pw-42');
    } finally {
      await backend.close();
    }
  });

  it('given a database that does not exist, when used, then KUS4001 says to create it', async () => {
    const fixture = fresh('nodb');
    const url = new URL(fixture.url);
    url.pathname = '/kusion_no_such_db';
    const backend = openPostgresBackend('team', { connectionString: url.toString() });
    try {
      const error = await rejection(backend.workspaces.list());
      expect(error).toMatchObject({ code: Codes.backendUnreachable });
      expect(isKusionError(error) && error.hints[0]).toMatch(/create the database/);
    } finally {
      await backend.close();
    }
  });
});
