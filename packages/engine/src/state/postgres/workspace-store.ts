/**
 * Workspaces as rows: `workspaces (name, body)` holds `workspaces/<name>.yaml`, and the `settings` row
 * `workspaces.current` the `current` of `workspaces/.metadata.yaml` (SPEC §9.2). `available` is the
 * table itself, so it can never disagree with the stored workspaces. A workspace's Rego files are one
 * blob, `workspaces/<name>.policies.json`.
 */
import stringify from 'safe-stable-stringify';
import { z } from 'zod';
import type { WorkspacePolicyFiles } from '../../model/policy.js';
import { invalidRecord } from '../errors.js';
import { defaultWorkspace, type WorkspaceStore } from '../port.js';
import { PostgresBlobs } from './blobs.js';
import type { PostgresDatabase } from './database.js';

const currentKey = 'workspaces.current';
const PolicyFilesSchema = z.record(z.string(), z.record(z.string(), z.string()));
const policyKey = (name: string) => `workspaces/${name}.policies.json`;

/** The workspaces of one PostgreSQL backend. */
export class PostgresWorkspaceStore implements WorkspaceStore {
  private readonly db: PostgresDatabase;
  private readonly s: string;
  private readonly blobs: PostgresBlobs;

  constructor(db: PostgresDatabase) {
    this.db = db;
    this.s = db.schema;
    this.blobs = new PostgresBlobs(db);
  }

  async read(name: string): Promise<string | undefined> {
    const [row] = await this.db.query<{ body: string }>(
      `SELECT body FROM ${this.s}.workspaces WHERE name = $1`,
      [name],
    );
    if (row) return row.body;
    if (name !== defaultWorkspace) return undefined;
    // `default` always exists; a concurrent first user may create it too, and both keep the empty text.
    await this.db.query(
      `INSERT INTO ${this.s}.workspaces (name, body) VALUES ($1, '') ON CONFLICT DO NOTHING`,
      [name],
    );
    return (await this.read(name)) ?? '';
  }

  async list(): Promise<readonly string[]> {
    await this.read(defaultWorkspace);
    const rows = await this.db.query<{ name: string }>(
      // Code-point order, as every listing of Kusion's, whatever the database's collation.
      `SELECT name FROM ${this.s}.workspaces ORDER BY name COLLATE "C"`,
    );
    return rows.map((r) => r.name);
  }

  async write(name: string, text: string): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.s}.workspaces (name, body) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET body = EXCLUDED.body`,
      [name, text],
    );
  }

  async remove(name: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`DELETE FROM ${this.s}.workspaces WHERE name = $1`, [name]);
      await this.blobs.remove(policyKey(name), tx);
      await tx.query(`UPDATE ${this.s}.settings SET value = $2 WHERE key = $1 AND value = $3`, [
        currentKey,
        defaultWorkspace,
        name,
      ]);
    });
  }

  async seed(name: string, create: () => string): Promise<string> {
    const key = `workspaces/${name}.seed.enc`;
    const stored = await this.blobs.read(key);
    if (stored !== undefined) return stored;
    // ON CONFLICT DO NOTHING: of two first runs one inserts, and both read what it inserted.
    await this.db.query(`INSERT INTO ${this.s}.blobs (key, body) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      key,
      create(),
    ]);
    return (await this.blobs.read(key)) ?? '';
  }

  async current(): Promise<string> {
    const [row] = await this.db.query<{ value: string }>(
      `SELECT value FROM ${this.s}.settings WHERE key = $1`,
      [currentKey],
    );
    return row?.value ?? defaultWorkspace;
  }

  async setCurrent(name: string): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.s}.settings (key, value) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [currentKey, name],
    );
  }

  async readPolicyFiles(name: string): Promise<WorkspacePolicyFiles> {
    const text = await this.blobs.read(policyKey(name));
    if (text === undefined) return {};
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      value = undefined;
    }
    const parsed = PolicyFilesSchema.safeParse(value);
    if (!parsed.success)
      throw invalidRecord('policy files', `${this.s}.blobs ${policyKey(name)}`, 'not a map of Rego files');
    return parsed.data;
  }

  async writePolicyFiles(name: string, files: WorkspacePolicyFiles): Promise<void> {
    if (Object.keys(files).length === 0) await this.blobs.remove(policyKey(name));
    // Sorted keys: the same files always give the same bytes.
    else await this.blobs.write(policyKey(name), `${stringify(files, null, 2)}\n`);
  }
}
