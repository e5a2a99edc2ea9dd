import { derivedSecret, kubernetesResource } from '@kusion/module-sdk';
import type { SourceDocument } from '../config/index.js';
import { Codes, type Diagnostic, diagnostic } from '../errors/index.js';
import type { JsonObject, Resource } from '../model/index.js';

interface SecretInput {
  readonly type?: string;
  readonly data?: Readonly<Record<string, string>>;
  readonly immutable?: boolean;
}

const secretTypes: Record<
  string,
  { kubernetesType: string; keys?: readonly string[]; derivedLength?: number }
> = {
  basic: { kubernetesType: 'kubernetes.io/basic-auth', keys: ['username', 'password'], derivedLength: 32 },
  token: { kubernetesType: 'Opaque', keys: ['token'], derivedLength: 43 },
  opaque: { kubernetesType: 'Opaque' },
  certificate: { kubernetesType: 'kubernetes.io/tls', keys: ['tls.crt', 'tls.key'] },
  external: { kubernetesType: 'Opaque' },
};

export interface WorkloadSecretsInput {
  readonly project: string;
  readonly stack: string;
  readonly app: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly secrets: unknown;
  readonly hasSecretStore: boolean;
  /** Positions of the workload's inputs. */
  readonly document: SourceDocument;
}

/**
 * The core emits the workload's `secrets` as v1 Secrets (SPEC §6.4); workload modules never do. Empty
 * values of generated kinds become stable derived values, never random ones.
 */
export function workloadSecrets(input: WorkloadSecretsInput): {
  resources: Resource[];
  diagnostics: Diagnostic[];
} {
  const resources: Resource[] = [];
  const diagnostics: Diagnostic[] = [];
  const entries = Object.entries((input.secrets ?? {}) as Record<string, SecretInput>).sort(([a], [b]) =>
    a < b ? -1 : 1,
  );
  for (const [name, secret] of entries) {
    const at = (...path: string[]) => input.document.locate(['secrets', name, ...path]);
    const kind = secretTypes[secret.type ?? 'opaque'];
    if (!kind) {
      diagnostics.push(
        diagnostic(
          Codes.developerInputInvalid,
          `secrets.${name}.type: unknown secret type "${secret.type}"`,
          at('type'),
          `use one of ${Object.keys(secretTypes).join(', ')}`,
        ),
      );
      continue;
    }
    const stringData: Record<string, string> = {};
    const keys = [...new Set([...(kind.keys ?? []), ...Object.keys(secret.data ?? {})])].sort();
    for (const key of keys) {
      const value = secret.data?.[key] ?? '';
      if (value !== '') stringData[key] = value;
      else if (kind.derivedLength)
        stringData[key] = derivedSecret(
          { ...input, accessory: null },
          `secrets/${name}/${key}`,
          kind.derivedLength,
        );
      else if (secret.type === 'certificate')
        diagnostics.push(
          diagnostic(
            Codes.developerInputInvalid,
            `secrets.${name}.data.${key}: certificate secrets need a value`,
            at('data'),
            'set it to the PEM text or a ref:// reference',
          ),
        );
      else stringData[key] = '';
    }
    if (secret.type === 'external') {
      if (!input.hasSecretStore)
        diagnostics.push(
          diagnostic(
            Codes.noSecretStore,
            `secrets.${name}: external secrets need a secret store in the workspace`,
            at('type'),
            'configure `secretStore.provider` in the workspace',
          ),
        );
      for (const [key, value] of Object.entries(stringData)) {
        if (!value.startsWith('ref://'))
          diagnostics.push(
            diagnostic(
              Codes.developerInputInvalid,
              `secrets.${name}.data.${key}: external secret values must be ref:// references`,
              at('data', key),
            ),
          );
      }
    }
    const object: JsonObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: input.namespace, labels: { ...input.labels } },
      type: kind.kubernetesType,
      stringData,
      ...(secret.immutable ? { immutable: true } : {}),
    };
    resources.push(kubernetesResource(object as Parameters<typeof kubernetesResource>[0]));
  }
  return { resources, diagnostics };
}
