import { z } from 'zod';
import { Codes, KusionError } from '../../errors/index.js';
import type { SecretRef } from '../reference.js';
import { type SecretGetOptions, type SecretStore, secretNotFound, secretStoreAuthFailed } from './port.js';

const VaultConfigSchema = z.strictObject({
  server: z.url(),
  path: z.string().optional(),
  version: z.enum(['v1', 'v2']).default('v2'),
  namespace: z.string().optional(),
});

/** `secretStore.provider.vault`. */
export type VaultStoreConfig = z.input<typeof VaultConfigSchema>;

const trimSlashes = (text: string) => text.replace(/^\/+|\/+$/g, '');

/**
 * The `vault` provider (SPEC §14) for Vault and OpenBao KV engines, over their HTTP API with `VAULT_TOKEN`.
 * `ref://<path>/<field>` reads field `<field>` of the secret at `<path>`; the KV mount is `path` from the
 * config, else the first segment of `<path>`. KV v2 honours `?version=`.
 * See https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v2#read-secret-version.
 */
export function vaultSecretStore(
  config: unknown,
  env: Readonly<Record<string, string | undefined>>,
  fetchFn: typeof fetch = fetch,
): SecretStore {
  const parsed = VaultConfigSchema.safeParse(config ?? {});
  if (!parsed.success)
    throw new KusionError(
      Codes.workspaceInvalid,
      `secretStore.provider.vault: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim(),
      { hints: ['vault takes server (URL), path (KV mount), version (v1 or v2) and namespace'] },
    );
  const settings = parsed.data;
  const server = settings.server.replace(/\/+$/, '');
  return {
    provider: 'vault',
    async get(ref: SecretRef, options: SecretGetOptions = {}): Promise<string> {
      const token = env['VAULT_TOKEN'];
      if (!token)
        throw secretStoreAuthFailed(
          'vault',
          'VAULT_TOKEN is not set',
          'export VAULT_TOKEN with a token that can read the secret',
        );
      if (ref.key === undefined)
        throw secretNotFound(
          ref,
          'a KV secret is a map of fields',
          `name a field: ref://${ref.name}/<field>`,
        );
      const segments = ref.name.split('/');
      const mount = settings.path ? trimSlashes(settings.path) : (segments[0] ?? '');
      const secretPath = settings.path ? ref.name : segments.slice(1).join('/');
      if (!secretPath)
        throw secretNotFound(
          ref,
          `it names the KV mount ${mount} but no secret in it`,
          `write ref://${mount}/<path>/<field>`,
        );
      if (settings.version === 'v1' && ref.version !== undefined)
        throw secretNotFound(ref, 'KV version 1 keeps no versions', `drop ?version=${ref.version}`);
      const encoded = secretPath.split('/').map(encodeURIComponent).join('/');
      const url =
        settings.version === 'v2'
          ? `${server}/v1/${mount}/data/${encoded}${ref.version === undefined ? '' : `?version=${encodeURIComponent(ref.version)}`}`
          : `${server}/v1/${mount}/${encoded}`;
      let response: Response;
      try {
        response = await fetchFn(url, {
          headers: {
            'X-Vault-Token': token,
            ...(settings.namespace ? { 'X-Vault-Namespace': settings.namespace } : {}),
          },
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (error) {
        throw secretStoreAuthFailed(
          'vault',
          `${server} cannot be reached: ${(error as Error).message}`,
          'check secretStore.provider.vault.server and the network',
          error,
        );
      }
      if (response.status === 404)
        throw secretNotFound(
          ref,
          `vault has no secret ${secretPath} in mount ${mount}${ref.version ? ` at version ${ref.version}` : ''}`,
        );
      if (response.status === 401 || response.status === 403)
        throw secretStoreAuthFailed(
          'vault',
          `reading ${mount}/${secretPath} was refused (${response.status})`,
          'give VAULT_TOKEN a policy that can read this path, or renew it',
        );
      if (!response.ok)
        throw secretStoreAuthFailed(
          'vault',
          `reading ${mount}/${secretPath} failed with HTTP ${response.status}`,
          'check the vault server',
        );
      const body = (await response.json()) as { data?: { data?: unknown } & Record<string, unknown> };
      const fields = settings.version === 'v2' ? body.data?.data : body.data;
      const value =
        typeof fields === 'object' && fields !== null
          ? (fields as Record<string, unknown>)[ref.key]
          : undefined;
      if (value === undefined || value === null)
        throw secretNotFound(ref, `the secret ${mount}/${secretPath} has no field "${ref.key}"`);
      return typeof value === 'string' ? value : JSON.stringify(value);
    },
  };
}
