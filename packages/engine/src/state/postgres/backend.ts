/**
 * A `postgres` backend (SPEC §9.2) opened from its `configs`: workspaces and release histories on one
 * lazily opened pool. The facade imports this file dynamically, and it imports `pg` only on first use.
 */
import type { OpenReleaseStore, WorkspaceStore } from '../port.js';
import { PostgresDatabase, type PostgresDatabaseOptions } from './database.js';
import type { PostgresClock } from './lock.js';
import { openPostgresReleaseStore } from './release-store.js';
import { parsePostgresSettings } from './settings.js';
import { PostgresWorkspaceStore } from './workspace-store.js';

/** Options of `openPostgresBackend`. */
export interface OpenPostgresBackendOptions extends PostgresDatabaseOptions {
  /** Decides lock expiry. @default 'database' */
  readonly clock?: PostgresClock;
  /** Where libpq variables come from. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** An opened PostgreSQL backend. */
export interface PostgresBackend {
  readonly workspaces: WorkspaceStore;
  readonly releases: OpenReleaseStore;
  readonly database: PostgresDatabase;
  /** Ends the pool. */
  close(): Promise<void>;
}

/** Opens the backend `name` from its configs; connects on the first query. */
export function openPostgresBackend(
  name: string,
  configs: Readonly<Record<string, unknown>>,
  options: OpenPostgresBackendOptions = {},
): PostgresBackend {
  const database = new PostgresDatabase(parsePostgresSettings(name, configs, options.env), options);
  return {
    workspaces: new PostgresWorkspaceStore(database),
    releases: openPostgresReleaseStore(database, options.clock ? { clock: options.clock } : {}),
    database,
    close: () => database.close(),
  };
}
