import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runRelease } from '../engine/run/release-run.js';
import type { Resource, Spec } from '../model/index.js';
import { FakeRuntime } from '../runtimes/fake-runtime.js';
import { createFakeClock } from '../state/fake-clock.js';
import { MemoryReleaseBackend } from '../state/memory/memory-store.js';
import { sealedReleaseStore } from './sealed-store.js';

const identity = { project: 'shop', stack: 'prod', workspace: 'dev' };
const password = 'derived-Password-0123456789';
const secret: Resource = {
  id: 'v1:Secret:shop:db',
  type: 'Kubernetes',
  attributes: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password } },
};
const consumer: Resource = {
  id: 'apps/v1:Deployment:shop:web',
  type: 'Kubernetes',
  attributes: { kind: 'Deployment', env: '$kusion_path.v1:Secret:shop:db.stringData.password' },
  dependsOn: ['v1:Secret:shop:db'],
  extensions: { 'kusion.io/sensitive': ['env'] },
};
const spec = (...resources: Resource[]): Spec => ({
  resources,
  secretStore: null,
  context: {},
  outputs: {},
});

function setup() {
  const clock = createFakeClock();
  const backend = new MemoryReleaseBackend({ clock });
  const key = randomBytes(32);
  const raw = backend.open(identity);
  const store = sealedReleaseStore(backend.open(identity), key);
  const runtime = new FakeRuntime();
  const run = (desired: Spec, kind: 'apply' | 'destroy' = 'apply') =>
    runRelease({
      store,
      clock,
      who: { operator: 'ci@runner', host: 'runner', pid: 1, runId: 'run-1', kusionVersion: '0.1.0' },
      kind,
      desired,
      modules: {},
      runtimeFor: () => runtime,
      confirm: async () => true,
      onEvent: () => {},
    });
  return { raw, store, runtime, run, key };
}

describe('sealedReleaseStore', () => {
  it('stores state and spec encrypted while the run sees clear values', async () => {
    const { raw, store, run } = setup();
    const result = await run(spec(secret, consumer));
    expect(result.phase).toBe('succeeded');
    const stored = JSON.stringify(await raw.latest());
    expect(stored).not.toContain(password);
    expect(stored).toContain('$kusion_encrypted');
    const read = await store.latest();
    expect(read?.state.resources.find((r) => r.id === consumer.id)?.attributes['env']).toBe(password);
  });

  it('plans the next run against decrypted state: no changes', async () => {
    const { run } = setup();
    await run(spec(secret, consumer));
    expect((await run(spec(secret, consumer))).phase).toBe('none');
  });

  it('seals journal entries, which carry whole resources', async () => {
    const { raw, store, key } = setup();
    await store.create({
      project: 'shop',
      stack: 'prod',
      workspace: 'dev',
      revision: 1,
      phase: 'applying',
      spec: spec(secret) as never,
      state: { resources: [] },
      operator: 'ci',
      source: { kind: 'apply' },
      kusionVersion: '0.1.0',
      createTime: 'now',
      modifiedTime: 'now',
    });
    await store
      .journal(1)
      .append({ type: 'finished', seq: 1, id: secret.id, result: 'succeeded', resource: secret as never });
    expect(JSON.stringify(await raw.journal(1).read())).not.toContain(password);
    expect(JSON.stringify(await raw.get(1))).not.toContain(password);
    expect((await store.journal(1).read())[0]).toMatchObject({
      resource: { attributes: { stringData: { password } } },
    });
    expect(key.length).toBe(32);
  });

  it('destroys from decrypted state and records the destroy spec encrypted', async () => {
    const { raw, run, runtime } = setup();
    await run(spec(secret, consumer));
    const destroyed = await run(spec(), 'destroy');
    expect(destroyed.phase).toBe('succeeded');
    expect(runtime.objects.size).toBe(0);
    expect(JSON.stringify(await raw.get(2))).not.toContain(password);
  });
});
