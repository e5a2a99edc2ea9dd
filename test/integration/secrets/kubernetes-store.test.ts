/** The kubernetes secret store against the testbed's real apiserver. */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { parseSecretRef } from '../../../packages/engine/src/secrets/index.js';
import { kubernetesSecretStore } from '../../../packages/engine/src/secrets/stores/index.js';
import { useNamespace } from '../../testbed/index.js';

const testbed = inject('testbed');
const ns = useNamespace('secret-store');
const config = new KubeConfig();
config.loadFromFile(testbed.kubernetes.kubeconfig);

describe('kubernetes secret store', () => {
  beforeAll(async () => {
    await config.makeApiClient(CoreV1Api).createNamespacedSecret({
      namespace: ns.name,
      body: {
        metadata: { name: 'db', namespace: ns.name },
        stringData: { password: 'Cluster-Db-Password-9', user: 'app' },
      },
    });
  });
  const store = () => kubernetesSecretStore({ namespace: ns.name }, async () => config);
  const get = (text: string) => store().get(parseSecretRef(text));

  it('reads a data key of a Secret in the configured namespace, decoded', async () => {
    expect(await get('ref://db/password')).toBe('Cluster-Db-Password-9');
    expect(await get('ref://db/user')).toBe('app');
  });

  it('is KUS7002 for a missing Secret or key, and for a reference without a key', async () => {
    await expect(get('ref://nope/password')).rejects.toMatchObject({
      code: 'KUS7002',
      message: expect.stringContaining(`no Secret nope in namespace ${ns.name}`),
    });
    await expect(get('ref://db/pin')).rejects.toMatchObject({
      code: 'KUS7002',
      message: expect.stringContaining('no key "pin"'),
    });
    await expect(get('ref://db')).rejects.toMatchObject({ code: 'KUS7002' });
  });

  it('is KUS7003 when the user may not read Secrets', async () => {
    const anonymous = new KubeConfig();
    anonymous.loadFromOptions({
      clusters: [{ name: 'c', server: config.getCurrentCluster()?.server ?? '', skipTLSVerify: true }],
      users: [{ name: 'nobody', token: 'not-a-valid-token' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'nobody' }],
      currentContext: 'x',
    });
    const refused = kubernetesSecretStore({ namespace: ns.name }, async () => anonymous);
    await expect(refused.get(parseSecretRef('ref://db/password'))).rejects.toMatchObject({ code: 'KUS7003' });
  });
});
