/**
 * Kusion's tables in its own schema, created and migrated by Kusion on first use (SPEC §9.2). Each
 * migration runs once, in order, in one transaction with the row that records it in `schema_version`;
 * concurrent first users serialise on a transaction-scoped advisory lock, so exactly one of them migrates.
 *
 * The tables hold the logical keys of SPEC §9.2:
 * - `workspaces` (`workspaces/<name>.yaml`) and `settings` (`workspaces/.metadata.yaml`: the current one);
 * - `histories`: one row per identity with `latest_revision`, the row every create and delete of a release
 *   locks and compares, so revisions stay gap-free under concurrent writers;
 * - `releases` (`<revision>.yaml`; its `phase`, `operator`, `create_time` columns are `index.json`);
 * - `journal` (`journal/<revision>/<seq>.json`), one row per entry;
 * - `locks` (`locks/…json`), compared on `version` and `run_id`;
 * - `blobs`: opaque text by its SPEC key (`tfstate/<project>/<stack>/<workspace>/<unit>.enc`, already
 *   encrypted; `workspaces/<name>.policies.json`, a workspace's Rego files).
 */

/** One schema change; `sql` gets the quoted schema name. */
interface Migration {
  readonly version: number;
  readonly sql: (schema: string) => readonly string[];
}

const identity = 'project text NOT NULL, stack text NOT NULL, workspace text NOT NULL';

export const migrations: readonly Migration[] = [
  {
    version: 1,
    sql: (s) => [
      `CREATE TABLE ${s}.workspaces (name text PRIMARY KEY, body text NOT NULL)`,
      `CREATE TABLE ${s}.settings (key text PRIMARY KEY, value text NOT NULL)`,
      `CREATE TABLE ${s}.histories (${identity},
         latest_revision integer NOT NULL DEFAULT 0 CHECK (latest_revision >= 0),
         PRIMARY KEY (project, stack, workspace))`,
      `CREATE TABLE ${s}.releases (${identity}, revision integer NOT NULL CHECK (revision > 0),
         phase text NOT NULL, operator text NOT NULL, create_time text NOT NULL, body jsonb NOT NULL,
         version integer NOT NULL DEFAULT 1,
         PRIMARY KEY (project, stack, workspace, revision))`,
      `CREATE TABLE ${s}.journal (${identity}, revision integer NOT NULL, seq integer NOT NULL CHECK (seq > 0),
         entry jsonb NOT NULL,
         PRIMARY KEY (project, stack, workspace, revision, seq))`,
      `CREATE TABLE ${s}.locks (${identity}, run_id text NOT NULL, owner jsonb NOT NULL,
         operation text NOT NULL, acquired_at timestamptz NOT NULL, lease_expires_at timestamptz NOT NULL,
         version integer NOT NULL CHECK (version > 0),
         PRIMARY KEY (project, stack, workspace))`,
      `CREATE TABLE ${s}.blobs (key text PRIMARY KEY, body text NOT NULL)`,
    ],
  },
];

/** The version this build writes and reads. */
export const schemaVersion = migrations.at(-1)?.version ?? 0;
