import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type V1Deployment,
} from '@kubernetes/client-node';
import { describe, expect, inject, it } from 'vitest';
import { createNamespace, randomSuffix, useNamespace } from '../../testbed/index.js';

const testbed = inject('testbed');

function kubeConfig(context?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(testbed.kubernetes.kubeconfig);
  if (context) kc.setCurrentContext(context);
  return kc;
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

describe('testbed Kubernetes', () => {
  const ns = useNamespace('tb-kube');

  it('serves the pinned version to both the token and the certificate user', async () => {
    for (const context of ['kusion-testbed', 'kusion-testbed-cert']) {
      const core = kubeConfig(context).makeApiClient(CoreV1Api);
      const nodes = await core.listNode();
      expect(nodes.items.map((n) => n.metadata?.name).sort()).toEqual(
        [...testbed.kubernetes.nodeNames].sort(),
      );
    }
  });

  it('rolls out a Deployment applied server-side until it is Available with Pods Running on kwok Nodes', async () => {
    const kc = kubeConfig();
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const deployment: V1Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns.name, labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
        },
      },
    };
    const applied = await objects.patch(
      deployment,
      undefined,
      undefined,
      'kusion-testbed',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(
      applied.metadata?.managedFields?.some((f) => f.manager === 'kusion-testbed' && f.operation === 'Apply'),
    ).toBe(true);

    const apps = kc.makeApiClient(AppsV1Api);
    await eventually('Deployment web Available', async () => {
      const d = await apps.readNamespacedDeployment({ name: 'web', namespace: ns.name });
      const available = d.status?.conditions?.find((c) => c.type === 'Available');
      return available?.status === 'True' && d.status?.availableReplicas === 2 ? d : undefined;
    });
    const pods = await kc
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: ns.name, labelSelector: 'app=web' });
    expect(pods.items).toHaveLength(2);
    for (const pod of pods.items) {
      expect(pod.status?.phase).toBe('Running');
      expect(testbed.kubernetes.nodeNames).toContain(pod.spec?.nodeName);
    }
  });

  it('finishes deleting a namespace with objects in it', async () => {
    const kc = kubeConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const name = `kt-tb-delete-${randomSuffix()}`;
    await createNamespace(testbed, name, AbortSignal.timeout(30_000));
    await core.createNamespacedConfigMap({
      namespace: name,
      body: { metadata: { name: 'c' }, data: { a: 'b' } },
    });
    await core.deleteNamespace({ name });
    await eventually('namespace deleted', async () => {
      try {
        await core.readNamespace({ name });
        return undefined;
      } catch (e) {
        return (e as { code?: number }).code === 404 ? true : undefined;
      }
    });
  });
});
