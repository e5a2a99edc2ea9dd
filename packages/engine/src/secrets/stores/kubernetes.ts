import type { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import { Codes, KusionError } from '../../errors/index.js';
import type { SecretRef } from '../reference.js';
import { type SecretGetOptions, type SecretStore, secretNotFound, secretStoreAuthFailed } from './port.js';

const KubernetesStoreConfigSchema = z.strictObject({ namespace: z.string().min(1) });

/**
 * The `kubernetes` provider (SPEC §14): `ref://<secret>/<key>` reads data key `<key>` of Secret `<secret>`
 * in the configured namespace, with the runtime's kubeconfig. The client loads on first use.
 */
export function kubernetesSecretStore(config: unknown, kubeconfig: () => Promise<KubeConfig>): SecretStore {
  const parsed = KubernetesStoreConfigSchema.safeParse(config ?? {});
  if (!parsed.success)
    throw new KusionError(Codes.workspaceInvalid, 'secretStore.provider.kubernetes needs a namespace', {
      hints: ['set secretStore.provider.kubernetes.namespace to the namespace holding the Secrets'],
    });
  const { namespace } = parsed.data;
  let client: Promise<{ readSecret(name: string): Promise<Record<string, string> | undefined> }> | undefined;
  const open = async () => {
    // The runtime's generic client: importing client-node's typed APIs would load all of them.
    const { ObjectClient } = await import('../../runtimes/kubernetes/client.js');
    const api = ObjectClient.forConfig(await kubeconfig());
    return {
      async readSecret(name: string) {
        try {
          const secret = await api.readObject({
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name, namespace },
          });
          return ((secret as { data?: Record<string, string> }).data ?? {}) as Record<string, string>;
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          if (code === 404) return undefined;
          if (code === 401 || code === 403)
            throw secretStoreAuthFailed(
              'kubernetes',
              `reading Secrets in namespace ${namespace} was refused (${code})`,
              `grant the kubeconfig's user get on secrets in namespace ${namespace}`,
              error,
            );
          throw secretStoreAuthFailed(
            'kubernetes',
            `the cluster could not be asked for Secret ${namespace}/${name}: ${(error as Error).message}`,
            'check that the cluster in the kubeconfig is reachable',
            error,
          );
        }
      },
    };
  };
  return {
    provider: 'kubernetes',
    async get(ref: SecretRef, _options: SecretGetOptions = {}): Promise<string> {
      if (ref.key === undefined)
        throw secretNotFound(
          ref,
          'a Kubernetes Secret holds several keys',
          `name one: ref://${ref.name}/<key>`,
        );
      if (ref.version !== undefined)
        throw secretNotFound(ref, 'Kubernetes Secrets have no versions', `drop ?version=${ref.version}`);
      client ??= open();
      const data = await (await client).readSecret(ref.name);
      if (!data) throw secretNotFound(ref, `there is no Secret ${ref.name} in namespace ${namespace}`);
      const value = data[ref.key];
      if (value === undefined)
        throw secretNotFound(ref, `Secret ${namespace}/${ref.name} has no key "${ref.key}"`);
      return Buffer.from(value, 'base64').toString('utf8');
    },
  };
}
