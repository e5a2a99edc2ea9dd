/**
 * The Kubernetes runtime against the real apiserver: server-side apply and dry-run plans, field-manager
 * conflicts, immutable fields, unknown kinds, deletion and readiness.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, inject, it } from 'vitest';
import type { Resource } from '../../../packages/engine/src/model/index.js';
import { KubernetesRuntime } from '../../../packages/engine/src/runtimes/kubernetes/index.js';
import { StaleWriteError } from '../../../packages/engine/src/runtimes/port.js';
import { useNamespace } from '../../testbed/index.js';
import { applyAsSomeoneElse } from './someone-else.js';

const testbed = inject('testbed');
const ns = useNamespace('k8s-runtime');
const config = new KubeConfig();
config.loadFromFile(testbed.kubernetes.kubeconfig);
const runtime = new KubernetesRuntime({ config, pollMs: 200 });

const configMap = (name: string, data: Record<string, string>): Resource => ({
  id: `v1:ConfigMap:${ns.name}:${name}`,
  type: 'Kubernetes',
  attributes: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns.name }, data },
});

describe('KubernetesRuntime', () => {
  it('plans Create, applies with field manager kusion, then plans UnChanged and Update', async () => {
    const planned = configMap('plan-cycle', { a: '1' });
    const create = await runtime.plan(undefined, planned);
    expect(create.action).toBe('Create');
    const applied = await runtime.apply(planned, create);
    expect((applied.attributes['metadata'] as { uid?: string }).uid).toBeDefined();
    expect(await runtime.plan(applied, planned)).toMatchObject({ action: 'UnChanged' });
    const update = await runtime.plan(applied, configMap('plan-cycle', { a: '2' }));
    expect(update.action).toBe('Update');
    expect(update.liveVersion).toBe(
      (applied.attributes['metadata'] as { resourceVersion: string }).resourceVersion,
    );
  });

  it('does not report server defaults as changes (a Deployment after apply is UnChanged)', async () => {
    const deployment: Resource = {
      id: `apps/v1:Deployment:${ns.name}:defaults`,
      type: 'Kubernetes',
      attributes: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'defaults', namespace: ns.name },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'd' } },
          template: {
            metadata: { labels: { app: 'd' } },
            spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
          },
        },
      },
    };
    const applied = await runtime.apply(deployment, await runtime.plan(undefined, deployment));
    expect(await runtime.plan(applied, deployment)).toMatchObject({ action: 'UnChanged' });
  });

  it('reports a field manager conflict with the owning manager (KUS5003), and --force-conflicts takes over', async () => {
    const planned = configMap('conflict', { key: 'ours' });
    await runtime.apply(planned, await runtime.plan(undefined, planned));
    await applyAsSomeoneElse(config, { ...planned.attributes, data: { key: 'theirs' } });
    const ours = configMap('conflict', { key: 'ours-again' });
    await expect(runtime.plan(undefined, ours)).rejects.toMatchObject({
      code: 'KUS5003',
      message: expect.stringContaining('someone-else'),
    });
    const forced = await runtime.apply(
      ours,
      { action: 'Update', predicted: null, live: null, liveVersion: null, notes: [] },
      { force: true },
    );
    expect((forced.attributes['data'] as { key: string }).key).toBe('ours-again');
  });

  it('applies only what the plan saw: an object changed since is refused with KUS8001 and left alone', async () => {
    const planned = configMap('moved', { key: 'v1' });
    const applied = await runtime.apply(planned, await runtime.plan(undefined, planned));
    const update = await runtime.plan(applied, configMap('moved', { key: 'v2' }));
    await applyAsSomeoneElse(config, { ...planned.attributes, data: { extra: 'theirs' } });
    await expect(runtime.apply(configMap('moved', { key: 'v2' }), update)).rejects.toMatchObject({
      code: 'KUS8001',
      location: planned.id,
    });
    expect((await runtime.read(planned))?.['data']).toEqual({ key: 'v1', extra: 'theirs' });
  });

  it('a planned Create that finds an object created meanwhile fails with KUS8001 and returns it for state', async () => {
    const planned = configMap('appeared', { ours: 'yes' });
    const create = await runtime.plan(undefined, planned);
    expect(create.action).toBe('Create');
    await applyAsSomeoneElse(config, { ...planned.attributes, data: { theirs: 'yes' } });
    const failure = await runtime.apply(planned, create).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StaleWriteError);
    expect((failure as StaleWriteError).code).toBe('KUS8001');
    expect((failure as StaleWriteError).applied.attributes['data']).toEqual({ ours: 'yes', theirs: 'yes' });
  });

  it('plans Replace for an immutable field and replaces on apply', async () => {
    const secret = (type: string): Resource => ({
      id: `v1:Secret:${ns.name}:immutable`,
      type: 'Kubernetes',
      attributes: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'immutable', namespace: ns.name },
        type,
        stringData: { a: 'b' },
      },
    });
    const first = await runtime.apply(secret('Opaque'), await runtime.plan(undefined, secret('Opaque')));
    const plan = await runtime.plan(first, secret('kusion.io/other'));
    expect(plan.action).toBe('Replace');
    const replaced = await runtime.apply(secret('kusion.io/other'), plan);
    expect(replaced.attributes['type']).toBe('kusion.io/other');
  });

  it('refuses a kind the cluster does not serve (KUS5002)', async () => {
    const widget: Resource = {
      id: `acme.io/v1:Widget:${ns.name}:w`,
      type: 'Kubernetes',
      attributes: { apiVersion: 'acme.io/v1', kind: 'Widget', metadata: { name: 'w', namespace: ns.name } },
    };
    await expect(runtime.plan(undefined, widget)).rejects.toMatchObject({ code: 'KUS5002' });
  });

  it('rejects invalid objects with the API server message (KUS5004)', async () => {
    const bad: Resource = {
      id: `v1:Service:${ns.name}:bad`,
      type: 'Kubernetes',
      attributes: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'bad', namespace: ns.name },
        spec: { ports: [{ port: 70000 }] },
      },
    };
    await expect(runtime.plan(undefined, bad)).rejects.toMatchObject({
      code: 'KUS5004',
      message: expect.stringContaining('port'),
    });
  });

  it('deletes and waits until the object is gone; deleting again is a no-op', async () => {
    const planned = configMap('to-delete', { a: '1' });
    const applied = await runtime.apply(planned, await runtime.plan(undefined, planned));
    await runtime.delete(applied, { wait: true });
    expect(await runtime.read(planned)).toBeUndefined();
    await runtime.delete(applied, { wait: true });
  });
});
