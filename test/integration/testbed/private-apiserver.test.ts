import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type PrivateApiserver, startPrivateApiserver } from '../../testbed/index.js';

const testbed = inject('testbed');

describe('testbed private apiserver', () => {
  let api: PrivateApiserver | undefined;
  beforeAll(async () => {
    api = await startPrivateApiserver(testbed, 'tb-private');
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('is a separate cluster on the same etcd that accepts Pods without a default ServiceAccount', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(api!.kubeconfig);
    expect(kc.getCurrentCluster()?.server).toBe(api!.url);
    expect(api!.url).not.toBe(testbed.kubernetes.apiserverUrl);
    const core = kc.makeApiClient(CoreV1Api);
    expect((await core.listNode()).items).toHaveLength(0);
    await core.createNamespace({ body: { metadata: { name: 'private-only' } } });
    const pod = await core.createNamespacedPod({
      namespace: 'private-only',
      body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    });
    expect(pod.metadata?.uid).toBeTruthy();
    const shared = new KubeConfig();
    shared.loadFromFile(testbed.kubernetes.kubeconfig);
    const names = (await shared.makeApiClient(CoreV1Api).listNamespace()).items.map((n) => n.metadata?.name);
    expect(names).not.toContain('private-only');
  });
});
