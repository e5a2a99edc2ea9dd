/**
 * `release export` / `release import`: moves one stack's history (project, stack, workspace) between
 * backends as a self-contained document, e.g.
 *
 *   kusion release export --backend default -f shop.json && kusion release import --backend team -f shop.json
 *
 * The document holds every release as stored (sensitive values stay encrypted with the state key, which
 * both backends' users share, SPEC §14), the identity's encrypted OpenTofu states and the workspace's
 * encrypted derivation seed, which the target workspace adopts (or must already have), so derived secrets
 * do not change with the backend. Export reads only;
 * it refuses a history whose latest release is unfinished, which a live run or an unrecovered crash leaves
 * behind. Import holds the target identity's lock and writes into an empty history only, revision by
 * revision, so a second import or a concurrent apply is refused rather than merged.
 */
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import stringify from 'safe-stable-stringify';
import { z } from 'zod';
import { locateStack } from '../config/index.js';
import { Codes, KusionError } from '../errors/index.js';
import { ReleaseSchema } from '../model/release.js';
import { invalidRecord, LockHeldError } from '../state/errors.js';
import { acquireLock } from '../state/lock-wait.js';
import {
  identityLabel,
  isFinishedPhase,
  type ReleaseIdentity,
  type ReleaseStore,
  type WorkspaceStore,
} from '../state/port.js';
import { isExpired } from '../state/rules.js';
import { openBackend, systemClock } from './backend.js';
import { nodeFiles } from './node-files.js';
import { type EngineOptions, resolveOptions } from './options.js';
import { loadStateKey, newWorkspaceSeed } from './state-key.js';

/** The portable history of one identity. */
export const ReleaseHistorySchema = z.strictObject({
  formatVersion: z.literal(1),
  kind: z.literal('ReleaseHistory'),
  project: z.string(),
  stack: z.string(),
  workspace: z.string(),
  releases: z.array(ReleaseSchema),
  /** Encrypted OpenTofu state per unit (SPEC §9.2 `tfstate/…`), as stored. */
  unitStates: z.record(z.string(), z.string()),
  /** The workspace's derivation seed, as stored (encrypted): derived secrets stay the same after a move. */
  seed: z.string(),
});
export type ReleaseHistory = z.output<typeof ReleaseHistorySchema>;

/** Options of `exportReleases` and `importReleases`. */
export interface ReleaseTransferOptions extends EngineOptions {
  readonly workdir?: string;
  readonly workspace?: string;
}

/** What `importReleases` did. */
export interface ReleaseImportResult {
  readonly backend: string;
  readonly identity: ReleaseIdentity;
  readonly imported: number;
  readonly unitStates: number;
}

/** `release export`: the identity's history on the selected backend, as a document. */
export async function exportReleases(input: ReleaseTransferOptions): Promise<ReleaseHistory> {
  const { store, workspaces, home } = await openIdentity(input);
  const label = identityLabel(store.identity);
  const index = await store.list();
  if (index.latestRevision === 0) {
    throw new KusionError(Codes.releaseNotFound, `${label} has no releases to export`, {
      hints: ['select the backend and workspace that hold it: --backend <name> --workspace <name>'],
    });
  }
  const lock = await store.lock.read();
  if (lock && !isExpired(lock, systemClock.now())) throw new LockHeldError(store.identity, lock);
  const releases = [];
  for (const entry of index.entries) {
    const release = await store.get(entry.revision);
    if (!release) throw invalidRecord('release', `${label}#${entry.revision}`, 'listed but not readable');
    releases.push(release);
  }
  const last = releases.at(-1);
  if (last && !isFinishedPhase(last.phase)) {
    throw new KusionError(
      Codes.stateConflict,
      `release ${last.revision} of ${label} is ${last.phase}: a run is in flight or crashed`,
      { hints: ['wait for the run to end, or recover it with `kusion release unlock`, then export again'] },
    );
  }
  const unitStates: Record<string, string> = {};
  for (const unit of await store.unitStates.list()) {
    const text = await store.unitStates.read(unit);
    if (text !== undefined) unitStates[unit] = text;
  }
  // A history that was applied has a seed; one that only ever ran --dry-run may not, and gets one here.
  const key = await loadStateKey(home);
  const seed = await workspaces.seed(store.identity.workspace, () => newWorkspaceSeed(key));
  return { formatVersion: 1, kind: 'ReleaseHistory', ...store.identity, releases, unitStates, seed };
}

/** The document as text: canonical JSON (keys sorted), so the same history always gives the same bytes. */
export function formatReleaseHistory(history: ReleaseHistory): string {
  return `${stringify(history, null, 2)}\n`;
}

/**
 * `release import`: writes a history document into the selected backend, for the current stack and
 * workspace, which must match the document's and have no releases yet.
 */
export async function importReleases(
  input: ReleaseTransferOptions & { readonly text: string; readonly source: string },
): Promise<ReleaseImportResult> {
  const history = parseReleaseHistory(input.text, input.source);
  const { store, backend, workspaces } = await openIdentity(input);
  const label = identityLabel(store.identity);
  const from = identityLabel(history);
  if (from !== label) {
    throw new KusionError(
      Codes.stateConflict,
      `${input.source} holds the history of ${from}, not of ${label}`,
      {
        location: input.source,
        hints: ['run the import in the stack directory of that history, with --workspace for its workspace'],
      },
    );
  }
  checkRevisions(history, input.source);
  const owner = {
    operator: process.env['KUSION_OPERATOR'] ?? `${userInfo().username}@${hostname()}`,
    host: hostname(),
    pid: process.pid,
    runId: randomUUID(),
  };
  const lock = await acquireLock(store, owner, {
    operation: 'release import',
    leaseMs: 60_000,
    clock: systemClock,
  });
  try {
    const existing = await store.list();
    if (existing.latestRevision > 0) {
      throw new KusionError(
        Codes.stateConflict,
        `${label} already has ${existing.latestRevision} release(s) on backend "${backend}"; import writes only into an empty history`,
        { hints: ['import into another backend or workspace, or export from this one instead'] },
      );
    }
    const seed = await workspaces.seed(store.identity.workspace, () => history.seed);
    if (seed !== history.seed) {
      throw new KusionError(
        Codes.stateConflict,
        `workspace ${store.identity.workspace} on backend "${backend}" already has another derivation seed; the imported releases' derived secrets would change`,
        {
          hints: [
            'import into a workspace that has not been used on this backend yet, or under another workspace name',
          ],
        },
      );
    }
    for (const release of history.releases) await store.create(release);
    for (const [unit, text] of Object.entries(history.unitStates)) await store.unitStates.write(unit, text);
  } finally {
    await store.lock.release(lock);
  }
  return {
    backend,
    identity: store.identity,
    imported: history.releases.length,
    unitStates: Object.keys(history.unitStates).length,
  };
}

/** Parses and validates a history document; KUS4008 at `source` otherwise. */
export function parseReleaseHistory(text: string, source: string): ReleaseHistory {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw invalidRecord('release history', source, error instanceof Error ? error.message : String(error));
  }
  const parsed = ReleaseHistorySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidRecord('release history', source, `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
  }
  return parsed.data;
}

/** Revisions 1…N in order, each of the document's identity, all finished. */
function checkRevisions(history: ReleaseHistory, source: string): void {
  history.releases.forEach((release, i) => {
    const where = `${source}: release ${i + 1}`;
    if (release.revision !== i + 1)
      throw invalidRecord('release history', source, `${where} has revision ${release.revision}`);
    if (identityLabel(release) !== identityLabel(history))
      throw invalidRecord('release history', source, `${where} is of ${identityLabel(release)}`);
    if (!isFinishedPhase(release.phase))
      throw invalidRecord('release history', source, `${where} is ${release.phase}, not finished`);
  });
}

async function openIdentity(
  input: ReleaseTransferOptions,
): Promise<{ store: ReleaseStore; backend: string; workspaces: WorkspaceStore; home: string }> {
  const options = resolveOptions(input);
  const stack = await locateStack(nodeFiles, {
    workdir: resolve(options.cwd, input.workdir ?? '.'),
    cwd: options.cwd,
    appConfigurationOptional: true,
  });
  const backend = await openBackend(options);
  const workspace =
    input.workspace ?? process.env['KUSION_WORKSPACE'] ?? (await backend.workspaces.current());
  return {
    store: backend.releases({ project: stack.project.name, stack: stack.stack.name, workspace }),
    backend: backend.name,
    workspaces: backend.workspaces,
    home: options.home,
  };
}
