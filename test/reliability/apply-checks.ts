/**
 * What "readable and consistent" means after a real apply was killed or lost its backend (SPEC §9.4: state
 * is always a correct record of what exists), checked against the live cluster:
 * - readable: the history reads back whole through the engine's adapter (crash-support `checkStore`: no
 *   gaps, index agrees, only the latest unfinished, its journal replays) and `kusion release list -o json`
 *   works;
 * - consistent: state (the latest release plus its journal replayed) and the cluster agree: every recorded
 *   resource exists live with the recorded uid and resourceVersion (nothing wrote it since it was recorded),
 *   and every live object of the stack is recorded. Resources the journal shows started but not finished
 *   (uncertain) are exempt, and only until the run is recovered: after `release unlock` or a takeover, state
 *   must match the cluster exactly.
 */
import { expect, inject } from 'vitest';
import { replayJournal } from '../../packages/engine/src/state/journal.js';
import type { ReleaseIdentity, StateResource } from '../../packages/engine/src/state/port.js';
import type { CliResult } from '../e2e/helpers.js';
import { type ApiTarget, apiTarget } from '../testbed/index.js';
import { type BulkNamespaces, bulkNamespaces, type LiveObject, liveObjects } from './bulk-stack.js';
import { type CliBackend, workspace } from './cli-backends.js';
import { checkStore } from './crash-support.js';

/** Where a check looks. */
export interface StackUnderTest {
  readonly api: ApiTarget;
  readonly project: string;
  readonly ns: BulkNamespaces;
  readonly identity: ReleaseIdentity;
  readonly backend: CliBackend;
  readonly kusion: (...args: string[]) => Promise<CliResult>;
}

/** The bulk stack of an example project, under the `default` stack of the suite's workspace on `backend`. */
export function stackUnderTest(
  p: { readonly project: string; readonly kusion: StackUnderTest['kusion'] },
  backend: CliBackend,
  outsideNamespace: string,
): StackUnderTest {
  return {
    api: apiTarget(inject('testbed')),
    project: p.project,
    ns: bulkNamespaces(p.project, outsideNamespace),
    identity: { project: p.project, stack: 'default', workspace },
    backend,
    kusion: p.kusion,
  };
}

/** What a check found about the latest run. */
export interface StateCheck {
  readonly latestRevision: number;
  readonly isMidRun: boolean;
  readonly isLockHeld: boolean;
  readonly journalEntries: number;
  readonly uncertain: number;
  readonly recorded: number;
}

const metadataOf = (r: StateResource) =>
  (r.attributes['metadata'] ?? {}) as { uid?: string; resourceVersion?: string };

/** Disagreements between recorded state and the cluster, one line each; `exempt` IDs are skipped. */
export function disagreements(
  recorded: readonly StateResource[],
  live: ReadonlyMap<string, LiveObject>,
  exempt: ReadonlySet<string> = new Set(),
): string[] {
  const problems: string[] = [];
  const ids = new Set(recorded.map((r) => r.id));
  for (const resource of recorded) {
    if (exempt.has(resource.id)) continue;
    const object = live.get(resource.id);
    const meta = metadataOf(resource);
    if (!object) problems.push(`${resource.id}: recorded but not in the cluster`);
    else if (object.uid !== meta.uid || object.resourceVersion !== meta.resourceVersion)
      problems.push(
        `${resource.id}: recorded ${meta.uid}@${meta.resourceVersion}, live ${object.uid}@${object.resourceVersion}`,
      );
  }
  for (const [id, object] of live) {
    // An object being deleted is on its way out: only a live, unrecorded one is untracked.
    if (!ids.has(id) && !exempt.has(id) && !object.isTerminating)
      problems.push(`${id}: in the cluster but not recorded`);
  }
  return problems.sort();
}

/** Checks the history and compares state (journal replayed, uncertain resources exempt) with the cluster. */
export async function checkState(
  s: StackUnderTest,
  where: string,
  options: { viaCli: boolean } = { viaCli: true },
): Promise<StateCheck> {
  await s.backend.settle();
  const [listed, opened] = [
    options.viaCli
      ? s.kusion('release', 'list', '--workspace', s.identity.workspace, '-o', 'json')
      : undefined,
    s.backend.open(s.identity),
  ];
  try {
    const history = await checkStore(opened.store, where);
    const latest = await opened.store.latest();
    const journal = latest && history.isMidRun ? await opened.store.journal(latest.revision).read() : [];
    const replayed = replayJournal(latest?.state ?? { resources: [] }, journal);
    const live = await liveObjects(s.api, s.project, s.ns);
    expect(disagreements(replayed.state.resources, live, new Set(replayed.uncertain)), where).toEqual([]);
    // The lock outlives the release's last write (SPEC §11.1): an unfinished release always has its lock.
    if (history.isMidRun)
      expect(history.isLockHeld, `unfinished release without a lock (${where})`).toBe(true);
    const cli = await listed;
    if (cli) {
      expect(cli.code, `release list (${where}): ${cli.stderr}`).toBe(0);
      expect((JSON.parse(cli.stdout) as { latestRevision: number }).latestRevision, where).toBe(
        history.latestRevision,
      );
    }
    return {
      ...history,
      journalEntries: journal.length,
      uncertain: replayed.uncertain.length,
      recorded: replayed.state.resources.length,
    };
  } finally {
    await opened.close();
  }
}

/** `kusion release unlock` when the lock is held; then state must match the cluster exactly. */
export async function recoverLock(s: StackUnderTest, check: StateCheck, where: string): Promise<void> {
  if (check.isLockHeld) {
    const unlocked = await s.kusion('release', 'unlock', '--yes', '--workspace', s.identity.workspace);
    expect(unlocked.code, `release unlock (${where}): ${unlocked.stderr}`).toBe(0);
    expect(unlocked.stdout, where).toContain('Removed the lock of');
    if (check.isMidRun)
      expect(unlocked.stdout, where).toContain(
        `Release ${check.latestRevision} was replayed from its journal and marked failed.`,
      );
  }
  // Read through the adapter only: the CLI read this history a moment ago, before the unlock.
  const after = await checkState(s, `${where}, after unlock`, { viaCli: false });
  expect(after.isLockHeld || after.isMidRun, `still locked or unfinished (${where})`).toBe(false);
}

/** After a clean apply: a preview finds nothing to do and state is exactly the spec's resources, live. */
export async function checkConverged(
  s: StackUnderTest,
  ws: readonly string[],
  expectedIds: readonly string[],
  where: string,
): Promise<void> {
  const preview = await s.kusion('preview', ...ws, '--detailed-exitcode', '--no-diff');
  expect(preview.code, `preview (${where}): ${preview.stderr}${preview.stdout.slice(-2000)}`).toBe(0);
  expect(preview.stdout).toContain('No changes.');
  const opened = s.backend.open(s.identity);
  try {
    const latest = await opened.store.latest();
    expect(latest?.phase, where).toBe('succeeded');
    expect(await opened.store.lock.read(), where).toBeUndefined();
    const recorded = latest?.state.resources ?? [];
    expect(recorded.map((r) => r.id).sort(), where).toEqual([...expectedIds].sort());
    expect(disagreements(recorded, await liveObjects(s.api, s.project, s.ns)), where).toEqual([]);
  } finally {
    await opened.close();
  }
}

/**
 * After `kusion destroy`: nothing of the stack is left. Objects are listed by the stack label in all three
 * namespaces, including the one outside the stack that destroy does not delete; the stack's own namespaces
 * must be gone or terminating, and nothing may be left in one that is not terminating.
 */
export async function orphans(s: StackUnderTest): Promise<string[]> {
  const live = await liveObjects(s.api, s.project, s.ns);
  const terminating = new Set(
    [...live].filter(([id, o]) => id.startsWith('v1:Namespace:') && o.isTerminating).map(([id]) => id),
  );
  return [...live.keys()].filter((id) => {
    if (terminating.has(id)) return false;
    const namespace = id.split(':')[2];
    return (
      id.startsWith('v1:Namespace:') ||
      namespace === s.ns.outside ||
      !terminating.has(`v1:Namespace:${namespace}`)
    );
  });
}
