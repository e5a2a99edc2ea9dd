import { describe, expect, it, vi } from 'vitest';
import type { Resource, Spec } from '../../model/index.js';
import { FakeRuntime } from '../../runtimes/fake-runtime.js';
import { createFakeClock } from '../../state/fake-clock.js';
import { MemoryReleaseBackend } from '../../state/memory/memory-store.js';
import { type ReleaseRunInput, recoverCrashedRun, rereadWith, runRelease } from './release-run.js';

const r = (id: string, dependsOn: string[] = [], attributes: Record<string, string> = {}): Resource => ({
  id,
  type: 'Kubernetes',
  attributes: { name: id, ...attributes },
  dependsOn,
});
const spec = (...resources: Resource[]): Spec => ({ resources, secretStore: null, context: {}, outputs: {} });
const identity = { project: 'shop', stack: 'prod', workspace: 'dev' };

function setup() {
  const clock = createFakeClock();
  const backend = new MemoryReleaseBackend({ clock });
  const store = backend.open(identity);
  const runtime = new FakeRuntime();
  const base = (desired: Spec, extra: Partial<ReleaseRunInput> = {}): ReleaseRunInput => ({
    store,
    clock,
    who: { operator: 'ci@runner', host: 'runner', pid: 1, runId: 'run-1', kusionVersion: '0.1.0' },
    kind: 'apply',
    desired,
    modules: {},
    runtimeFor: () => runtime,
    confirm: async () => true,
    onEvent: () => {},
    ...extra,
  });
  return { store, runtime, base, clock, backend };
}

describe('runRelease', () => {
  it('records an apply as revision 1, then a run without changes writes nothing', async () => {
    const { store, runtime, base } = setup();
    const first = await runRelease(base(spec(r('a'), r('b', ['a']))));
    expect(first).toMatchObject({ revision: 1, phase: 'succeeded', baseRevision: 0 });
    const release = await store.latest();
    expect(release?.phase).toBe('succeeded');
    expect(release?.state.resources.map((s) => s.id)).toEqual(['a', 'b']);
    expect(release?.planDigest).toMatch(/^sha256:/);
    expect(await store.journal(1).read()).toEqual([]);
    expect(await store.lock.read()).toBeUndefined();
    const second = await runRelease(base(spec(r('a'), r('b', ['a']))));
    expect(second.phase).toBe('none');
    expect((await store.list()).latestRevision).toBe(1);
    expect(runtime.objects.size).toBe(2);
  });

  it('releases the lock even when a lease renewal is still in flight as the run ends', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { store, base } = setup();
      const renew = store.lock.renew.bind(store.lock);
      let renewing: Promise<unknown> | undefined;
      store.lock.renew = (held, options) => {
        // The renewed record is written at once, but the run hears of it only after it has finished.
        renewing = renew(held, options).then(
          (renewed) => new Promise<typeof renewed>((resolve) => setTimeout(() => resolve(renewed), 50)),
        );
        return renewing as ReturnType<typeof renew>;
      };
      const run = runRelease(
        base(spec(r('a')), {
          confirm: async () => {
            vi.advanceTimersByTime(15_000);
            return true;
          },
        }),
      );
      expect((await run).phase).toBe('succeeded');
      expect(renewing).toBeDefined();
      expect(await store.lock.read()).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('deletes the record of a declined run, so the number is reused', async () => {
    const { store, runtime, base } = setup();
    const declined = await runRelease(base(spec(r('a')), { confirm: async () => false }));
    expect(declined).toMatchObject({ phase: 'none', declined: true });
    expect((await store.list()).latestRevision).toBe(0);
    expect(runtime.objects.size).toBe(0);
  });

  it('marks a partly failed apply failed, with state recording exactly what was applied', async () => {
    const { store, runtime, base } = setup();
    runtime.failing.add('b');
    const result = await runRelease(base(spec(r('a'), r('b'), r('c', ['b']))));
    expect(result.phase).toBe('failed');
    const release = await store.latest();
    expect(release?.phase).toBe('failed');
    expect(release?.state.resources.map((s) => s.id)).toEqual(['a']);
  });

  it('refuses a second run while the lock is held, naming the holder (KUS4002)', async () => {
    const { store, base } = setup();
    await store.lock.acquire(
      { operator: 'alice@laptop', host: 'laptop', pid: 42, runId: 'other' },
      { operation: 'apply', leaseMs: 60_000 },
    );
    await expect(runRelease(base(spec(r('a'))))).rejects.toMatchObject({
      code: 'KUS4002',
      message: expect.stringContaining('alice@laptop'),
    });
  });

  it('recovers a crashed run: replays its journal into state and marks it failed', async () => {
    const { store, base, clock } = setup();
    await runRelease(base(spec(r('a'))));
    const crashed = { ...(await store.latest())!, revision: 2, phase: 'applying' as const };
    await store.create({ ...crashed, phase: 'generating' });
    await store.update(crashed);
    const journal = store.journal(2);
    await journal.append({ type: 'started', seq: 1, id: 'b', action: 'Create' });
    await journal.append({ type: 'finished', seq: 2, id: 'b', result: 'succeeded', resource: r('b') });
    await journal.append({ type: 'started', seq: 3, id: 'c', action: 'Create' });
    const recovered = await recoverCrashedRun(store, clock);
    expect(recovered?.phase).toBe('failed');
    expect(recovered?.state.resources.map((s) => s.id)).toEqual(['a', 'b']);
    expect(await journal.read()).toEqual([]);
  });

  it('re-reads the uncertain resources of a crashed run from live, so a create that landed is not orphaned', async () => {
    const { store, runtime, base, clock } = setup();
    await runRelease(base(spec(r('a'), r('b'))));
    // The dead run had sent: an update of a (landed), a create of c (landed), a create of d (lost), a
    // delete of b (landed); none of them reported back.
    const crashed = {
      ...(await store.latest())!,
      revision: 2,
      phase: 'applying' as const,
      spec: spec(r('a', [], { v: '2' }), r('c'), r('d')) as never,
    };
    await store.create({ ...crashed, phase: 'generating' });
    await store.update(crashed);
    const journal = store.journal(2);
    for (const [seq, id, action] of [
      [1, 'a', 'Update'],
      [2, 'c', 'Create'],
      [3, 'd', 'Create'],
      [4, 'b', 'Delete'],
    ] as const)
      await journal.append({ type: 'started', seq, id, action });
    runtime.objects.set('a', { name: 'a', v: '2', version: '7' });
    runtime.objects.set('c', { name: 'c', version: '8' });
    runtime.objects.delete('b');
    const recovered = await recoverCrashedRun(
      store,
      clock,
      rereadWith(() => runtime),
    );
    expect(recovered?.phase).toBe('failed');
    expect(recovered?.state.resources.map((s) => [s.id, s.attributes])).toEqual([
      ['a', { name: 'a', v: '2', version: '7' }],
      ['c', { name: 'c', version: '8' }],
    ]);
    // The next run no longer wants c: it is deleted, not left behind.
    runtime.log.length = 0;
    const next = await runRelease(base(spec(r('a', [], { v: '2' }))));
    expect(next.phase).toBe('succeeded');
    expect(runtime.log).toEqual(['delete c']);
    expect([...runtime.objects.keys()]).toEqual(['a']);
  });

  it('destroys in reverse dependency order and records the previous state as the spec', async () => {
    const { store, runtime, base } = setup();
    await runRelease(base(spec(r('ns'), r('app', ['ns']))));
    runtime.log.length = 0;
    const result = await runRelease(base(spec(), { kind: 'destroy' }));
    expect(result).toMatchObject({ revision: 2, phase: 'succeeded' });
    expect(runtime.log).toEqual(['delete app', 'delete ns']);
    const release = await store.latest();
    expect(release?.source).toEqual({ kind: 'destroy' });
    expect(release?.spec.resources.map((s) => s.id)).toEqual(['app', 'ns']);
    expect(release?.state.resources).toEqual([]);
  });

  it('plans without a lock or a release on --dry-run', async () => {
    const { store, runtime, base } = setup();
    const result = await runRelease(base(spec(r('a')), { dryRun: true }));
    expect(result.plan.summary.create).toBe(1);
    expect((await store.list()).latestRevision).toBe(0);
    expect(runtime.objects.size).toBe(0);
  });
});
