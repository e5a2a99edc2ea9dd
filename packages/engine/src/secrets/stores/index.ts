import type { KubeConfig } from '@kubernetes/client-node';
import { Codes, KusionError } from '../../errors/index.js';
import { awsSecretStore } from './aws.js';
import { fakeSecretStore } from './fake.js';
import { kubernetesSecretStore } from './kubernetes.js';
import type { SecretStore } from './port.js';
import { vaultSecretStore } from './vault.js';

export { type AwsStoreOverrides, awsSecretStore } from './aws.js';
export { type FakeStoreConfig, fakeSecretStore } from './fake.js';
export { kubernetesSecretStore } from './kubernetes.js';
export {
  pickProperty,
  type SecretGetOptions,
  type SecretStore,
  secretNotFound,
  secretStoreAuthFailed,
} from './port.js';
export { type VaultStoreConfig, vaultSecretStore } from './vault.js';

/** What providers need from the run: the environment (credentials) and the runtime's kubeconfig. */
export interface SecretStoreDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The Kubernetes runtime's kubeconfig, loaded when the `kubernetes` provider first needs it. */
  readonly kubeconfig: () => Promise<KubeConfig>;
}

/**
 * The store a spec's `secretStore` configures, or undefined when there is none. Exactly one provider is
 * guaranteed by workspace validation; nothing is contacted until the first lookup.
 */
export function openSecretStore(
  secretStore: Readonly<Record<string, unknown>> | null | undefined,
  deps: SecretStoreDeps,
): SecretStore | undefined {
  const provider = secretStore?.['provider'] as Readonly<Record<string, unknown>> | undefined;
  const [kind, config] = Object.entries(provider ?? {})[0] ?? [];
  switch (kind) {
    case undefined:
      return undefined;
    case 'fake':
      return fakeSecretStore(config);
    case 'kubernetes':
      return kubernetesSecretStore(config, deps.kubeconfig);
    case 'vault':
      return vaultSecretStore(config, deps.env);
    case 'aws':
      return awsSecretStore(config);
    case 'azure':
      throw new KusionError(Codes.workspaceInvalid, 'secret store provider "azure" is not supported yet', {
        hints: ['use vault, aws, kubernetes or fake for now; Azure Key Vault support is planned'],
      });
    default:
      throw new KusionError(Codes.workspaceInvalid, `unknown secret store provider "${kind}"`, {
        hints: ['use one of vault, aws, kubernetes, fake'],
      });
  }
}
