import { z } from 'zod';
import { Codes, KusionError } from '../../errors/index.js';
import type { SecretRef } from '../reference.js';
import {
  pickProperty,
  type SecretGetOptions,
  type SecretStore,
  secretNotFound,
  secretStoreAuthFailed,
} from './port.js';

const AwsConfigSchema = z.strictObject({
  region: z.string().optional(),
  profile: z.string().optional(),
});

/** Connection overrides that are not workspace settings: a recorded-exchange server in tests. */
export interface AwsStoreOverrides {
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

const authErrors = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'CredentialsProviderError',
  'DecryptionFailure',
]);

/**
 * The `aws` provider (SPEC §14): Secrets Manager `GetSecretValue`. `ref://<name>/<key>` reads JSON
 * property `<key>` of the secret's string; a single segment is the whole string. `?version=` is a staging
 * label (default `AWSCURRENT`) or `uuid/<versionId>`. Credentials come from the SDK's default chain; the
 * SDK itself loads on first use, so workspaces without AWS never pay for it.
 * See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html.
 */
export function awsSecretStore(config: unknown, overrides: AwsStoreOverrides = {}): SecretStore {
  const parsed = AwsConfigSchema.safeParse(config ?? {});
  if (!parsed.success)
    throw new KusionError(
      Codes.workspaceInvalid,
      `secretStore.provider.aws: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim(),
      { hints: ['aws takes region and profile'] },
    );
  const settings = parsed.data;
  let client:
    | Promise<
        (input: { SecretId: string; VersionId?: string; VersionStage?: string }) => Promise<{
          SecretString?: string | undefined;
          SecretBinary?: Uint8Array | undefined;
        }>
      >
    | undefined;
  const open = async () => {
    // As for the S3 backend: no SDK notice about its future Node 22 requirement in Kusion's output.
    process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
    const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    const sdk = new SecretsManagerClient({
      ...(settings.region ? { region: settings.region } : {}),
      ...(settings.profile ? { profile: settings.profile } : {}),
      ...(overrides.endpoint ? { endpoint: overrides.endpoint } : {}),
      ...(overrides.credentials ? { credentials: { ...overrides.credentials } } : {}),
      maxAttempts: 2,
    });
    return (input: { SecretId: string; VersionId?: string; VersionStage?: string }) =>
      sdk.send(new GetSecretValueCommand(input));
  };
  return {
    provider: 'aws',
    async get(ref: SecretRef, _options: SecretGetOptions = {}): Promise<string> {
      client ??= open();
      const version = ref.version ?? 'AWSCURRENT';
      const input = version.startsWith('uuid/')
        ? { SecretId: ref.name, VersionId: version.slice('uuid/'.length) }
        : { SecretId: ref.name, VersionStage: version };
      let output: Awaited<ReturnType<Awaited<NonNullable<typeof client>>>>;
      try {
        output = await (await client)(input);
      } catch (error) {
        const name = (error as { name?: string }).name ?? '';
        if (name === 'ResourceNotFoundException')
          throw secretNotFound(
            ref,
            `Secrets Manager has no secret ${ref.name}${ref.version ? ` with version ${ref.version}` : ''}`,
          );
        if (authErrors.has(name))
          throw secretStoreAuthFailed(
            'aws',
            `reading ${ref.name} was refused (${name})`,
            'check the AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID, …) and their permission secretsmanager:GetSecretValue',
            error,
          );
        throw secretStoreAuthFailed(
          'aws',
          `reading ${ref.name} failed: ${name || (error as Error).message}`,
          'check secretStore.provider.aws.region and the network',
          error,
        );
      }
      const text =
        output.SecretString ??
        (output.SecretBinary ? Buffer.from(output.SecretBinary).toString('utf8') : undefined);
      if (text === undefined) throw secretNotFound(ref, `the secret ${ref.name} holds no value`);
      return pickProperty(ref, text);
    },
  };
}
