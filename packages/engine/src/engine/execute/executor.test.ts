import { describe, expect, it } from 'vitest';
import type { Resource, Spec } from '../../model/index.js';
import { FakeRuntime } from '../../runtimes/fake-runtime.js';
import { planChanges } from '../plan/plan.js';
import { type ExecuteInput, executePlan, type Journal } from './executor.js';

const r = (id: string, dependsOn: string[] = [], attributes: Record<string, string> = {}): Resource => ({
  id,
  type: 'Kubernetes',
  attributes: { name: id, ...attributes },
  dependsOn,
});
const spec = (...resources: Resource[]): Spec => ({ resources, secretStore: null, context: {}, outputs: {} });

function recordingJournal(): Journal & { entries: string[] } {
  const entries: string[] = [];
  return {
    entries,
    async started(id, action) {
      entries.push(`started ${action} ${id}`);
    },
    async finished(id, outcome) {
      entries.push(`finished ${outcome} ${id}`);
    },
  };
}

async function run(
  runtime: FakeRuntime,
  desired: Spec,
  prior: Resource[] = [],
  extra: Partial<ExecuteInput> = {},
) {
  const plan = await planChanges({ spec: desired, prior, runtimeFor: () => runtime });
  const journal = recordingJournal();
  const events: string[] = [];
  const result = await executePlan({
    changes: plan.changes,
    spec: desired,
    prior,
    runtimeFor: () => runtime,
    journal,
    onEvent: (e) => events.push(`${e.status} ${e.id}`),
    ...extra,
  });
  return { plan, result, journal, events };
}

describe('executePlan', () => {
  it('applies dependencies before dependents and journals each resource around its call', async () => {
    const runtime = new FakeRuntime();
    const { result, journal } = await run(runtime, spec(r('b', ['a']), r('a'), r('c', ['b'])));
    expect(runtime.log).toEqual(['apply a', 'apply b', 'apply c']);
    expect(journal.entries).toEqual([
      'started Create a',
      'finished succeeded a',
      'started Create b',
      'finished succeeded b',
      'started Create c',
      'finished succeeded c',
    ]);
    expect(result.state.map((s) => s.id)).toEqual(['a', 'b', 'c']);
  });

  it('skips dependents of a failed resource while independent branches continue; state is exact', async () => {
    const runtime = new FakeRuntime();
    runtime.failing.add('a');
    const { result } = await run(runtime, spec(r('a'), r('b', ['a']), r('c', ['b']), r('x')));
    const status = Object.fromEntries(result.outcomes.map((o) => [o.id, o.status]));
    expect(status).toEqual({ a: 'failed', b: 'skipped', c: 'skipped', x: 'succeeded' });
    expect(result.state.map((s) => s.id)).toEqual(['x']);
    expect(result.outcomes.find((o) => o.id === 'a')?.error?.message).toMatch(/injected failure/);
  });

  it('journals a runnable resource as started while it waits for a slot, before its runtime call', async () => {
    const runtime = new FakeRuntime();
    runtime.latencyMs = 10;
    const { journal } = await run(runtime, spec(r('a'), r('b'), r('c', ['a'])), [], { parallelism: 1 });
    expect(journal.entries).toEqual([
      'started Create a',
      'started Create b',
      'finished succeeded a',
      'started Create c',
      'finished succeeded b',
      'finished succeeded c',
    ]);
    expect(runtime.log).toEqual(['apply a', 'apply b', 'apply c']);
  });

  it('never runs more than `parallelism` operations at once', async () => {
    const runtime = new FakeRuntime();
    runtime.latencyMs = 20;
    const many = Array.from({ length: 12 }, (_, i) => r(`r${String(i).padStart(2, '0')}`));
    await run(runtime, spec(...many), [], { parallelism: 3 });
    expect(runtime.maxInFlight).toBe(3);
    expect(runtime.objects.size).toBe(12);
  });

  it('waits for readiness before starting dependents', async () => {
    const runtime = new FakeRuntime();
    runtime.pollsUntilReady.set('a', 2);
    const { events } = await run(runtime, spec(r('a'), r('b', ['a'])));
    expect(events.indexOf('succeeded a')).toBeLessThan(events.indexOf('running b'));
    expect(events.filter((e) => e === 'waiting a').length).toBeGreaterThanOrEqual(2);
  });

  it('deletes what left the spec, dependents first, and leaves unchanged resources alone', async () => {
    const runtime = new FakeRuntime();
    const first = await run(runtime, spec(r('ns'), r('app', ['ns']), r('keep')));
    runtime.log.length = 0;
    const { plan, result } = await run(runtime, spec(r('keep')), [...first.result.state]);
    expect(plan.summary).toEqual({ create: 0, update: 0, replace: 0, delete: 2, unchanged: 1 });
    expect(runtime.log).toEqual(['delete app', 'delete ns']);
    expect(result.state.map((s) => s.id)).toEqual(['keep']);
  });

  it('starts nothing new once stopped, and reports the rest as skipped', async () => {
    const runtime = new FakeRuntime();
    const stop = new AbortController();
    stop.abort();
    const { result } = await run(runtime, spec(r('a'), r('b')), [], { stopSignal: stop.signal });
    expect(runtime.log).toEqual([]);
    expect(result.outcomes.map((o) => o.status)).toEqual(['skipped', 'skipped']);
    expect(result.interrupted).toBe(true);
  });

  it('resolves $kusion_path references from applied results before applying', async () => {
    const runtime = new FakeRuntime();
    await run(
      runtime,
      spec(r('db', [], { address: 'db.internal' }), r('app', ['db'], { host: '$kusion_path.db.address' })),
    );
    expect(runtime.objects.get('app')?.['host']).toBe('db.internal');
  });

  it('refuses to write a resource whose live version moved since the plan (KUS8001)', async () => {
    const runtime = new FakeRuntime();
    await run(runtime, spec(r('a', [], { v: '1' })));
    const desired = spec(r('a', [], { v: '2' }));
    const plan = await planChanges({ spec: desired, prior: [], runtimeFor: () => runtime });
    runtime.objects.set('a', { ...runtime.objects.get('a'), version: 'moved' });
    const result = await executePlan({
      changes: plan.changes,
      spec: desired,
      prior: [],
      runtimeFor: () => runtime,
      journal: recordingJournal(),
      onEvent: () => {},
    });
    expect(result.outcomes[0]?.error?.code).toBe('KUS8001');
  });

  it('records an object created by someone else since the plan, and fails it with KUS8001', async () => {
    const runtime = new FakeRuntime();
    const desired = spec(r('a', [], { v: '1' }));
    const plan = await planChanges({ spec: desired, prior: [], runtimeFor: () => runtime });
    runtime.objects.set('a', { v: 'theirs', version: 'x' });
    const journal = recordingJournal();
    const result = await executePlan({
      changes: plan.changes,
      spec: desired,
      prior: [],
      runtimeFor: () => runtime,
      journal,
      onEvent: () => {},
    });
    expect(result.outcomes[0]?.error?.code).toBe('KUS8001');
    expect(result.state.map((s) => s.attributes['v'])).toEqual(['1']);
  });

  it('waits for a health policy on top of built-in readiness, and times out naming its reason (KUS5005)', async () => {
    const runtime = new FakeRuntime();
    const withPolicy = (id: string, ready: string): Resource => ({
      ...r(id, [], { ready }),
      extensions: { healthPolicy: { cel: 'res.ready == "yes"' } },
    });
    const { result } = await run(runtime, spec(withPolicy('good', 'yes'), withPolicy('bad', 'no')), [], {
      timeoutMs: 600,
    });
    const byId = Object.fromEntries(result.outcomes.map((o) => [o.id, o]));
    expect(byId['good']?.status).toBe('succeeded');
    expect(byId['bad']).toMatchObject({
      status: 'failed',
      error: {
        code: 'KUS5005',
        message: expect.stringContaining('health policy res.ready == "yes" is not true yet'),
      },
    });
  });
});
