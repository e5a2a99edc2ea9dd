/**
 * Plans of objects the latest apply applied exactly as planned (`appliedBefore`), against the real apiserver:
 * UnChanged from a read (or one list per kind and namespace) without a dry run while the object is as that
 * apply left it; the dry run again as soon as anything but status moved.
 */
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import type { Resource } from '../../../packages/engine/src/model/index.js';
import { ObjectClient } from '../../../packages/engine/src/runtimes/kubernetes/client.js';
import { KubernetesRuntime } from '../../../packages/engine/src/runtimes/kubernetes/index.js';
import { useNamespace } from '../../testbed/index.js';
import { applyAsSomeoneElse } from './someone-else.js';

const testbed = inject('testbed');
const ns = useNamespace('k8s-plan-live');
const config = new KubeConfig();
config.loadFromFile(testbed.kubernetes.kubeconfig);

const configMap = (name: string, data: Record<string, string>): Resource => ({
  id: `v1:ConfigMap:${ns.name}:${name}`,
  type: 'Kubernetes',
  attributes: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns.name }, data },
});

/** Creates the resources as an apply does and returns what state would record. */
async function applyAll(resources: readonly Resource[]): Promise<Resource[]> {
  const runtime = new KubernetesRuntime({ config });
  try {
    return await Promise.all(resources.map(async (r) => runtime.apply(r, await runtime.plan(undefined, r))));
  } finally {
    await runtime.close();
  }
}

/** Requests a fresh runtime sends while planning: dry runs, single reads, lists. */
function countRequests() {
  const applies = vi.spyOn(ObjectClient.prototype, 'serverSideApply');
  const reads = vi.spyOn(ObjectClient.prototype, 'readObject');
  const lists = vi.spyOn(ObjectClient.prototype, 'listObjects');
  return () => ({
    dryRuns: applies.mock.calls.filter(([, options]) => options.dryRun).length,
    reads: reads.mock.calls.length,
    lists: lists.mock.calls.length,
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('planning objects applied before', () => {
  it('lists a kind once per namespace and plans UnChanged without a dry run', async () => {
    const planned = Array.from({ length: 20 }, (_, i) => configMap(`listed-${i}`, { i: String(i) }));
    const recorded = await applyAll(planned);
    const requests = countRequests();
    const runtime = new KubernetesRuntime({ config });
    try {
      runtime.prefetch(planned);
      const plans = await Promise.all(
        planned.map((r, i) => runtime.plan(recorded[i], r, { appliedBefore: true })),
      );
      expect(plans.map((p) => p.action)).toEqual(planned.map(() => 'UnChanged'));
      expect(plans[3]?.liveVersion).toBe(
        (recorded[3]?.attributes['metadata'] as { resourceVersion?: string } | undefined)?.resourceVersion,
      );
      expect(requests()).toEqual({ dryRuns: 0, reads: 0, lists: 1 });
    } finally {
      await runtime.close();
    }
  });

  it('keeps an object whose status alone moved UnChanged, from one read', async () => {
    const deployment: Resource = {
      id: `apps/v1:Deployment:${ns.name}:status-moves`,
      type: 'Kubernetes',
      attributes: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'status-moves', namespace: ns.name },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'status-moves' } },
          template: {
            metadata: { labels: { app: 'status-moves' } },
            spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
          },
        },
      },
    };
    const [recorded] = (await applyAll([deployment])) as [Resource];
    const appliedVersion = (recorded.attributes['metadata'] as { resourceVersion: string }).resourceVersion;
    const runtime = new KubernetesRuntime({ config });
    try {
      // The deployment controller writes the status after the apply, which moves the resourceVersion.
      const reader = KubernetesObjectApi.makeApiClient(config);
      await vi.waitFor(
        async () => {
          const live = await reader.read(deployment.attributes as never);
          expect(live.metadata?.resourceVersion).not.toBe(appliedVersion);
        },
        { timeout: 30_000, interval: 250 },
      );
      const requests = countRequests();
      const plan = await runtime.plan(recorded, deployment, { appliedBefore: true });
      expect(plan.action).toBe('UnChanged');
      expect(plan.liveVersion).not.toBe(appliedVersion);
      expect(requests()).toEqual({ dryRuns: 0, reads: 1, lists: 0 });
    } finally {
      await runtime.close();
    }
  });

  it('dry-runs again when someone else changed the object: a label of theirs is UnChanged, our field a conflict', async () => {
    const labelled = configMap('their-label', { a: '1' });
    const overwritten = configMap('their-value', { a: '1' });
    const [labelledRecord, overwrittenRecord] = (await applyAll([labelled, overwritten])) as [
      Resource,
      Resource,
    ];
    await applyAsSomeoneElse(config, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'their-label', namespace: ns.name, labels: { team: 'theirs' } },
    });
    await applyAsSomeoneElse(config, { ...overwritten.attributes, data: { a: 'theirs' } });
    const requests = countRequests();
    const runtime = new KubernetesRuntime({ config });
    try {
      expect(await runtime.plan(labelledRecord, labelled, { appliedBefore: true })).toMatchObject({
        action: 'UnChanged',
      });
      await expect(
        runtime.plan(overwrittenRecord, overwritten, { appliedBefore: true }),
      ).rejects.toMatchObject({
        code: 'KUS5003',
        message: expect.stringContaining('someone-else'),
      });
      expect(requests().dryRuns).toBe(2);
    } finally {
      await runtime.close();
    }
  });

  it('plans Create for an object deleted since', async () => {
    const planned = configMap('deleted-since', { a: '1' });
    const [recorded] = (await applyAll([planned])) as [Resource];
    const runtime = new KubernetesRuntime({ config });
    try {
      await runtime.delete(recorded, { wait: true });
      expect(await runtime.plan(recorded, planned, { appliedBefore: true })).toMatchObject({
        action: 'Create',
      });
    } finally {
      await runtime.close();
    }
  });
});
