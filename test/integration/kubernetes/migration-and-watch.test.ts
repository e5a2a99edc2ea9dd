/**
 * Against the real apiserver: objects last written by the original Kusion (field manager `kusion`,
 * client-side `Update`) are taken over by server-side apply without conflicts (SPEC §13.1), and readiness is
 * watched through a `metadata.name` field selector (SPEC §11.4).
 */
import { KubeConfig, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { describe, expect, inject, it } from 'vitest';
import { waitUntilReady } from '../../../packages/engine/src/engine/execute/readiness-wait.js';
import type { Resource } from '../../../packages/engine/src/model/index.js';
import { KubernetesRuntime } from '../../../packages/engine/src/runtimes/kubernetes/index.js';
import { useNamespace } from '../../testbed/index.js';

const testbed = inject('testbed');
const ns = useNamespace('k8s-migrate');
const config = new KubeConfig();
config.loadFromFile(testbed.kubernetes.kubeconfig);
const runtime = new KubernetesRuntime({ config, pollMs: 200 });
const raw = KubernetesObjectApi.makeApiClient(config);

interface Entry {
  manager?: string;
  operation?: string;
  fieldsV1?: { 'f:data'?: Record<string, unknown> };
}

const configMap = (name: string, data: Record<string, string>): Resource => ({
  id: `v1:ConfigMap:${ns.name}:${name}`,
  type: 'Kubernetes',
  attributes: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns.name }, data },
});

async function live(name: string) {
  const object = await raw.read({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns.name },
  });
  return {
    data: (object as { data?: Record<string, string> }).data ?? {},
    entries: (object.metadata?.managedFields ?? []) as Entry[],
  };
}

describe('migration from the original Kusion', () => {
  it("upgrades kusion's Update entry to Apply before applying: no conflict, fields owned by Apply, dropped fields pruned", async () => {
    const name = 'legacy';
    // Given: the original Kusion's client-side write, then another tool's field.
    await raw.create(configMap(name, { a: '1', b: '2' }).attributes as never, undefined, undefined, 'kusion');
    await raw.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns.name }, data: { other: 'x' } },
      undefined,
      undefined,
      'other-tool',
      undefined,
      PatchStrategy.MergePatch,
    );
    const before = await live(name);
    expect(before.entries.map((e) => `${e.manager}/${e.operation}`).sort()).toEqual([
      'kusion/Update',
      'other-tool/Update',
    ]);

    // When: Kusion changes a field the original owned and drops another.
    const desired = configMap(name, { a: 'changed' });
    const plan = await runtime.plan(undefined, desired);
    expect(plan.action).toBe('Update');
    expect(plan.notes.join(' ')).toContain('original Kusion');
    await runtime.apply(desired, plan);

    // Then: no Update entry of kusion is left, its Apply entry owns data.a, b is pruned, the other tool's
    // field and entry are untouched.
    const after = await live(name);
    const own = after.entries.filter((e) => e.manager === 'kusion');
    expect(own.map((e) => e.operation)).toEqual(['Apply']);
    expect(Object.keys(own[0]?.fieldsV1?.['f:data'] ?? {})).toEqual(['f:a']);
    expect(after.data).toEqual({ a: 'changed', other: 'x' });
    const other = after.entries.find((e) => e.manager === 'other-tool');
    expect(Object.keys(other?.fieldsV1?.['f:data'] ?? {})).toEqual(['f:other']);
    // And a second plan sees nothing to do.
    expect((await runtime.plan(undefined, desired)).action).toBe('UnChanged');
  });

  it('without the upgrade the same apply would conflict with the Update entry (what the upgrade prevents)', async () => {
    const name = 'legacy-control';
    await raw.create(configMap(name, { a: '1' }).attributes as never, undefined, undefined, 'kusion');
    await expect(
      raw.patch(
        configMap(name, { a: 'changed' }).attributes as never,
        undefined,
        undefined,
        'kusion',
        false,
        PatchStrategy.ServerSideApply,
      ),
    ).rejects.toMatchObject({ code: 409 });
  });
});

describe('readiness by watch', () => {
  it('watches a Deployment from the applied version until it is Available, and reports progress first', async () => {
    const deployment: Resource = {
      id: `apps/v1:Deployment:${ns.name}:watched`,
      type: 'Kubernetes',
      attributes: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'watched', namespace: ns.name },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'watched' } },
          template: {
            metadata: { labels: { app: 'watched' } },
            spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
          },
        },
      },
    };
    const applied = await runtime.apply(deployment, await runtime.plan(undefined, deployment));
    const verdicts: string[] = [];
    for await (const verdict of runtime.watch(applied, { signal: AbortSignal.timeout(60_000) })) {
      verdicts.push(verdict.state);
      if (verdict.state !== 'progressing') {
        expect(verdict.state).toBe('ready');
        expect(verdict.object?.['status']).toMatchObject({ availableReplicas: 1 });
        expect(verdict.object?.['metadata']).not.toHaveProperty('managedFields');
        break;
      }
    }
    expect(verdicts[0]).toBe('progressing');
    expect(verdicts.at(-1)).toBe('ready');
  });

  it('waitUntilReady settles a ConfigMap on the applied object, without a watch or a read', async () => {
    const planned = configMap('instant', { a: '1' });
    const applied = await runtime.apply(planned, await runtime.plan(undefined, planned));
    let reads = 0;
    const counting = Object.assign(Object.create(runtime) as KubernetesRuntime, {
      readiness: async () => {
        reads += 1;
        return { state: 'progressing' as const, message: 'should not be asked' };
      },
    });
    const result = await waitUntilReady(counting, applied, { stop: AbortSignal.timeout(10_000) });
    expect(result.state).toBe('ready');
    expect(reads).toBe(0);
  });
});
