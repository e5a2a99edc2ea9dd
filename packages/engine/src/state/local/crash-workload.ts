/**
 * Test support for the crash test (`local-crash.test.ts`): what a Kusion run does to the local store, in an
 * endless loop, so a parent process can SIGKILL it at any instant and check what is left. Each round takes
 * the lock (taking over a dead run's expired lease), recovers a crashed release by journal replay as the
 * executor will, then creates a release, walks its phases, journals a few resource actions and compacts,
 * or deletes the release as a declined run does. Randomness comes from the seed, time from the clock.
 */
import { replayJournal } from '../journal.js';
import { acquireLock } from '../lock-wait.js';
import type { Clock, ReleaseStore } from '../port.js';
import { isFinishedPhase, type StateResource } from '../records.js';
import { LocalReleaseStore } from './release-store.js';

/** Options of `runCrashWorkload`. */
export interface CrashWorkloadOptions {
  readonly root: string;
  /** The store to crash, of `crashIdentity`; the PostgreSQL and S3 crash tests pass theirs. @default the local one under `root` */
  readonly store?: ReleaseStore;
  readonly seed: number;
  readonly clock: Clock;
  readonly runId: string;
  /** Called after each store operation, so the parent can aim its kill. */
  readonly onStep: (step: string) => void;
}

/** The identity the workload writes. */
export const crashIdentity = { project: 'crash', stack: 'test', workspace: 'default' } as const;

/** A small deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const leaseMs = 60_000;

/** Runs until killed. */
export async function runCrashWorkload(options: CrashWorkloadOptions): Promise<never> {
  const { clock } = options;
  const random = seededRandom(options.seed);
  const store = options.store ?? new LocalReleaseStore(options.root, crashIdentity, { clock });
  const owner = { operator: 'crash@test', host: 'test', pid: process.pid, runId: options.runId };
  const now = () => clock.now().toISOString();
  const step = async <T>(name: string, operation: Promise<T>): Promise<T> => {
    const result = await operation;
    options.onStep(name);
    return result;
  };
  options.onStep('ready');

  for (;;) {
    let lock = await step('acquire', acquireLock(store, owner, { operation: 'apply', leaseMs, clock }));

    const crashed = await step('latest', store.latest());
    if (crashed && !isFinishedPhase(crashed.phase)) {
      const journal = store.journal(crashed.revision);
      const { state } = replayJournal(crashed.state, await step('read', journal.read()));
      await step('recover', store.update({ ...crashed, phase: 'failed', state, modifiedTime: now() }));
      await step('clear', journal.clear());
    }

    const base = await step('latest', store.latest());
    const revision = (base?.revision ?? 0) + 1;
    const resources = new Map<string, StateResource>((base?.state.resources ?? []).map((r) => [r.id, r]));
    let release = {
      ...crashIdentity,
      revision,
      phase: 'generating' as const,
      spec: { resources: [] },
      state: { resources: [...resources.values()] },
      operator: owner.operator,
      source: { kind: 'apply' as const },
      kusionVersion: '0.0.0-crash',
      createTime: now(),
      modifiedTime: now(),
    };
    await step('create', store.create(release));
    await step('previewing', store.update({ ...release, phase: 'previewing', modifiedTime: now() }));

    if (random() < 0.25) {
      await step('delete', store.delete(revision));
    } else {
      await step('applying', store.update({ ...release, phase: 'applying', modifiedTime: now() }));
      const journal = store.journal(revision);
      let seq = 0;
      const actions = 1 + Math.floor(random() * 4);
      for (let i = 0; i < actions; i++) {
        const name = `cm-${Math.floor(random() * 6)}`;
        const id = `v1:ConfigMap:crash:${name}`;
        const action = resources.has(id) ? (random() < 0.4 ? 'Delete' : 'Update') : 'Create';
        await step('started', journal.append({ type: 'started', seq: ++seq, id, action }));
        if (action === 'Delete') {
          resources.delete(id);
          await step('finished', journal.append({ type: 'finished', seq: ++seq, id, result: 'succeeded' }));
        } else {
          const resource: StateResource = {
            id,
            type: 'Kubernetes',
            attributes: {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name },
              data: { revision: `${revision}` },
            },
          };
          resources.set(id, resource);
          await step(
            'finished',
            journal.append({ type: 'finished', seq: ++seq, id, result: 'succeeded', resource }),
          );
        }
        if (random() < 0.3) lock = await step('renew', store.lock.renew(lock, { leaseMs }));
      }
      release = { ...release, state: { resources: [...resources.values()] } };
      const phase = random() < 0.1 ? 'failed' : 'succeeded';
      await step('finish', store.update({ ...release, phase, modifiedTime: now() }));
      await step('clear', journal.clear());
    }
    await step('release', store.lock.release(lock));
  }
}
