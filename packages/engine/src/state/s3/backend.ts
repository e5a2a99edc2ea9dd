/**
 * An `s3` backend (SPEC §9.2) opened from its `configs`: workspaces and release histories on one lazily
 * created client. The facade imports this file dynamically, and it imports the SDK only on first use.
 */
import type { Clock, OpenReleaseStore, WorkspaceStore } from '../port.js';
import { S3Objects, type S3ObjectsOptions } from './objects.js';
import { openS3ReleaseStore } from './release-store.js';
import { parseS3Settings } from './settings.js';
import { S3WorkspaceStore } from './workspace-store.js';

/** Options of `openS3Backend`. */
export interface OpenS3BackendOptions extends S3ObjectsOptions {
  /** Decides lock expiry. @default the system clock */
  readonly clock?: Clock;
  /** Where `AWS_REGION` and friends come from for the label. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** An opened S3 backend. */
export interface S3Backend {
  readonly workspaces: WorkspaceStore;
  readonly releases: OpenReleaseStore;
  readonly objects: S3Objects;
  /** Releases the client's sockets. */
  close(): Promise<void>;
}

const systemClock: Clock = { now: () => new Date() };

/** Opens the backend `name` from its configs; connects on the first request. */
export function openS3Backend(
  name: string,
  configs: Readonly<Record<string, unknown>>,
  options: OpenS3BackendOptions = {},
): S3Backend {
  const objects = new S3Objects(parseS3Settings(name, configs, options.env), options);
  return {
    workspaces: new S3WorkspaceStore(objects),
    releases: openS3ReleaseStore(objects, { clock: options.clock ?? systemClock }),
    objects,
    close: () => objects.close(),
  };
}
