import { describe, expect, it } from 'vitest';
import type { Resource } from '../../model/index.js';
import { FakeRuntime } from '../../runtimes/fake-runtime.js';
import type { Readiness, RuntimeCallOptions } from '../../runtimes/port.js';
import { waitUntilReady } from './readiness-wait.js';

const resource: Resource = { id: 'v1:Pod:a:p', type: 'Kubernetes', attributes: { kind: 'Pod' } };
const progressing = (message: string): Readiness => ({ state: 'progressing', message });

/** A fake whose watch yields the given verdicts, then ends (dropped) or throws. */
class WatchingRuntime extends FakeRuntime {
  polls = 0;
  watches = 0;
  constructor(
    private readonly verdicts: readonly Readiness[],
    private readonly ending: 'drop' | 'throw' = 'drop',
  ) {
    super();
  }
  override async readiness(r: Resource): Promise<Readiness> {
    this.polls += 1;
    return super.readiness(r);
  }
  async *watch(_r: Resource, _o?: RuntimeCallOptions): AsyncGenerator<Readiness> {
    this.watches += 1;
    for (const verdict of this.verdicts) yield verdict;
    if (this.ending === 'throw') throw new Error('connection reset');
  }
}

describe('waitUntilReady', () => {
  it('given a watching runtime, when the watch reports ready, then it returns without polling', async () => {
    const runtime = new WatchingRuntime([progressing('0/1 available'), { state: 'ready', message: 'ok' }]);
    const seen: string[] = [];
    const result = await waitUntilReady(runtime, resource, {
      stop: new AbortController().signal,
      onProgress: (m) => seen.push(m),
    });
    expect(result.state).toBe('ready');
    expect(runtime.polls).toBe(0);
    expect(seen).toEqual(['0/1 available']);
  });

  it('given a failed verdict on the watch, then it returns it', async () => {
    const runtime = new WatchingRuntime([{ state: 'failed', message: 'deadline exceeded' }]);
    const result = await waitUntilReady(runtime, resource, { stop: new AbortController().signal });
    expect(result).toEqual({ state: 'failed', message: 'deadline exceeded' });
  });

  it.each(['drop', 'throw'] as const)(
    'when the watch ends (%s) before a verdict, then it polls',
    async (ending) => {
      const runtime = new WatchingRuntime([progressing('pending')], ending);
      runtime.pollsUntilReady.set(resource.id, 1);
      const result = await waitUntilReady(runtime, resource, {
        stop: new AbortController().signal,
        initialDelayMs: 1,
      });
      expect(result.state).toBe('ready');
      expect(runtime.watches).toBe(1);
      expect(runtime.polls).toBe(2);
    },
  );

  it('given a health policy, then a ready watch verdict counts only once the policy holds', async () => {
    const object = { kind: 'Pod', status: { ok: false } };
    const runtime = new WatchingRuntime([
      { state: 'ready', message: 'ready', object },
      { state: 'ready', message: 'ready', object: { kind: 'Pod', status: { ok: true } } },
    ]);
    const result = await waitUntilReady(runtime, resource, {
      stop: new AbortController().signal,
      healthPolicy: {
        check: (o) =>
          (o['status'] as { ok: boolean }).ok ? { healthy: true } : { healthy: false, reason: 'not ok yet' },
      },
    });
    expect(result.object).toEqual({ kind: 'Pod', status: { ok: true } });
    expect(runtime.polls).toBe(0);
  });
});
