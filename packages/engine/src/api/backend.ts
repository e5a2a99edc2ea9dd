import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { type KusionConfig, selectBackend } from '../config/index.js';
import { Codes, KusionError } from '../errors/index.js';
import { readIfExists, writeAtomically } from '../state/local/atomic-file.js';
import { openLocalReleaseStore } from '../state/local/release-store.js';
import { LocalWorkspaceStore } from '../state/local/workspace-store.js';
import type { Clock, OpenReleaseStore, WorkspaceStore } from '../state/port.js';
import type { ResolvedEngineOptions } from './options.js';

const configFile = (home: string) => join(home, 'config.yaml');

export async function readKusionConfig(home: string): Promise<KusionConfig> {
  const text = await readIfExists(configFile(home));
  const parsed = (text ? parse(text) : undefined) as
    | { backends?: KusionConfig['backends'] }
    | null
    | undefined;
  return { backends: parsed?.backends ?? {} };
}

export async function writeKusionConfig(home: string, config: KusionConfig): Promise<void> {
  await writeAtomically(configFile(home), stringify(config, { sortMapEntries: true }));
}

/** An opened backend: its workspaces and release histories. */
export interface Backend {
  readonly name: string;
  /** Local path of the backend's files. */
  readonly path: string;
  readonly workspaces: WorkspaceStore;
  readonly releases: OpenReleaseStore;
}

/** The wall clock, at the edge: the core only ever sees the `Clock` port. */
export const systemClock: Clock = { now: () => new Date() };

/** Opens the selected backend (`--backend` › `KUSION_BACKEND` › `backends.current` › default). */
export async function openBackend(options: ResolvedEngineOptions): Promise<Backend> {
  const config = await readKusionConfig(options.home);
  const settings = selectBackend(config, options.backend ?? process.env['KUSION_BACKEND'], options.home);
  if (settings.type === 'postgres' || settings.type === 's3') {
    // Loaded on demand: neither the adapters nor their drivers cost anything to commands that stay local.
    const remote =
      settings.type === 'postgres'
        ? (await import('../state/postgres/backend.js')).openPostgresBackend(settings.name, settings.configs)
        : (await import('../state/s3/backend.js')).openS3Backend(settings.name, settings.configs);
    return {
      name: settings.name,
      // Nothing of a remote backend lives here; its files, seeds included, are in the backend.
      path: options.home,
      workspaces: remote.workspaces,
      releases: remote.releases,
    };
  }
  if (settings.type !== 'local') {
    throw new KusionError(
      Codes.backendUnreachable,
      `backend "${settings.name}" is of type ${settings.type}, which this build cannot open`,
      { hints: ['use the local backend: kusion config set backends.current default'] },
    );
  }
  const path = typeof settings.configs['path'] === 'string' ? settings.configs['path'] : options.home;
  return {
    name: settings.name,
    path,
    workspaces: new LocalWorkspaceStore(path),
    releases: openLocalReleaseStore(path, { clock: systemClock }),
  };
}

/** Opens the selected backend's workspace store. */
export async function openWorkspaceStore(options: ResolvedEngineOptions): Promise<WorkspaceStore> {
  return (await openBackend(options)).workspaces;
}
