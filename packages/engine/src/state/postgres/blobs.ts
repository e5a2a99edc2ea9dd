/**
 * Opaque text stored by its SPEC §9.2 key in the `blobs` table: OpenTofu state per unit
 * (`tfstate/<project>/<stack>/<workspace>/<unit>.enc`, encrypted by the caller) and a workspace's Rego
 * files (`workspaces/<name>.policies.json`). Each write is one upsert, so readers see old or new text.
 */
import type { ReleaseIdentity } from '../errors.js';
import type { UnitStateStore } from '../port.js';
import { checkUnitName } from '../rules.js';
import type { PostgresDatabase, Queryable } from './database.js';

/** Reads, writes and lists rows of `blobs`. */
export class PostgresBlobs {
  private readonly db: PostgresDatabase;
  private readonly table: string;

  constructor(db: PostgresDatabase) {
    this.db = db;
    this.table = `${db.schema}.blobs`;
  }

  async read(key: string): Promise<string | undefined> {
    const [row] = await this.db.query<{ body: string }>(`SELECT body FROM ${this.table} WHERE key = $1`, [
      key,
    ]);
    return row?.body;
  }

  async write(key: string, body: string): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.table} (key, body) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET body = EXCLUDED.body`,
      [key, body],
    );
  }

  async remove(key: string, tx: Queryable = this.db): Promise<void> {
    await tx.query(`DELETE FROM ${this.table} WHERE key = $1`, [key]);
  }

  /** Keys under a prefix, in code-point order (`starts_with`, not LIKE: `_` is common in names). */
  async keys(prefix: string): Promise<readonly string[]> {
    const rows = await this.db.query<{ key: string }>(
      `SELECT key FROM ${this.table} WHERE starts_with(key, $1) ORDER BY key COLLATE "C"`,
      [prefix],
    );
    return rows.map((r) => r.key);
  }
}

const suffix = '.enc';

/** OpenTofu state blobs of one identity. */
export class PostgresUnitStates implements UnitStateStore {
  private readonly blobs: PostgresBlobs;
  private readonly prefix: string;

  constructor(blobs: PostgresBlobs, identity: ReleaseIdentity) {
    this.blobs = blobs;
    this.prefix = `tfstate/${identity.project}/${identity.stack}/${identity.workspace}/`;
  }

  async read(unit: string): Promise<string | undefined> {
    return await this.blobs.read(this.keyOf(unit));
  }

  async write(unit: string, text: string): Promise<void> {
    await this.blobs.write(this.keyOf(unit), text);
  }

  async remove(unit: string): Promise<void> {
    await this.blobs.remove(this.keyOf(unit));
  }

  async list(): Promise<readonly string[]> {
    return (await this.blobs.keys(this.prefix))
      .map((key) => key.slice(this.prefix.length))
      .filter((name) => name.endsWith(suffix) && !name.includes('/'))
      .map((name) => name.slice(0, -suffix.length))
      .sort();
  }

  private keyOf(unit: string): string {
    return `${this.prefix}${checkUnitName(unit)}${suffix}`;
  }
}
