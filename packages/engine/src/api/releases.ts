import { resolve } from 'node:path';
import { locateStack } from '../config/index.js';
import { recoverCrashedRun, rereadWith } from '../engine/run/release-run.js';
import { Codes, isKusionError, KusionError } from '../errors/index.js';
import { maskSpec, sensitivePlaceholder } from '../generator/mask.js';
import type { Release } from '../model/release.js';
import { hideSealedValues } from '../secrets/index.js';
import type { LockRecord, ReleaseIndex, ReleaseStore } from '../state/port.js';
import { openBackend, systemClock } from './backend.js';
import { nodeFiles } from './node-files.js';
import { type EngineOptions, resolveOptions } from './options.js';
import { openStackRun, type StackRun } from './stack-run.js';

export interface ReleaseQueryOptions extends EngineOptions {
  readonly workdir?: string;
  readonly workspace?: string;
}

async function openStore(input: ReleaseQueryOptions): Promise<ReleaseStore> {
  const options = resolveOptions(input);
  const stack = await locateStack(nodeFiles, {
    workdir: resolve(options.cwd, input.workdir ?? '.'),
    cwd: options.cwd,
    appConfigurationOptional: true,
  });
  const backend = await openBackend(options);
  const workspace =
    input.workspace ?? process.env['KUSION_WORKSPACE'] ?? (await backend.workspaces.current());
  return backend.releases({ project: stack.project.name, stack: stack.stack.name, workspace });
}

/** `release list`: the identity's index. */
export async function listReleases(
  input: ReleaseQueryOptions,
): Promise<ReleaseIndex & { lock?: LockRecord }> {
  const store = await openStore(input);
  const lock = await store.lock.read();
  return { ...(await store.list()), ...(lock ? { lock } : {}) };
}

/** `release show`: a release with every secret value masked; `release show` never reveals values. */
export async function showRelease(
  input: ReleaseQueryOptions & { readonly revision?: number },
): Promise<Release> {
  const store = await openStore(input);
  const stored = input.revision ? await store.get(input.revision) : await store.latest();
  // Read without the state key: values encrypted at rest stay hidden, never decrypted for display.
  const release = stored && (hideSealedValues(stored, sensitivePlaceholder) as Release);
  if (!release) {
    throw new KusionError(
      Codes.releaseNotFound,
      input.revision
        ? `revision ${input.revision} not found`
        : 'this stack has no release in this workspace yet',
      {
        hints: ['list the releases with `kusion release list`'],
      },
    );
  }
  const mask = (resources: Release['spec']['resources']) =>
    maskSpec({ resources: resources as never, secretStore: null, context: {}, outputs: {} })
      .resources as unknown as Release['spec']['resources'];
  return {
    ...release,
    spec: { ...release.spec, resources: mask(release.spec.resources) },
    state: { resources: mask(release.state.resources) },
  };
}

/**
 * `release unlock`: removes the lock, replays the journal, marks a non-terminal latest release failed. The
 * dead run's uncertain resources are re-read from live (SPEC §9.4) when the workspace is stored in the
 * backend, so its runtimes can be opened; otherwise the replayed state stands and they stay unknown.
 */
export async function unlockRelease(
  input: ReleaseQueryOptions,
): Promise<{ removed?: LockRecord; recovered?: number }> {
  const store = await openStore(input);
  const removed = await store.lock.forceRelease();
  const before = await store.latest();
  const wasRunning = before && before.phase !== 'succeeded' && before.phase !== 'failed';
  const recovered = wasRunning ? await recoverWithLiveReads(input, store) : before;
  return {
    ...(removed ? { removed } : {}),
    ...(wasRunning && recovered ? { recovered: recovered.revision } : {}),
  };
}

/** Recovers a crashed run, re-reading its uncertain resources through the stack's runtimes when it can. */
async function recoverWithLiveReads(input: ReleaseQueryOptions, store: ReleaseStore) {
  let run: StackRun;
  try {
    run = await openStackRun({ ...input, stateOnly: true });
  } catch (error) {
    if (isKusionError(error) && error.code === Codes.workspaceNotFound)
      return recoverCrashedRun(store, systemClock);
    throw error;
  }
  try {
    return await recoverCrashedRun(run.store, systemClock, rereadWith(run.runtimes.runtimeFor));
  } finally {
    await run.runtimes.close();
  }
}
