/**
 * The `configs` of an `s3` backend (SPEC §9.2) turned into S3 client options, the key prefix and a label
 * for messages (never a secret). Pure: no SDK import. Anything not configured is left to the SDK's default
 * chain (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, profiles, instance roles …).
 */
import { z } from 'zod';
import { Codes, KusionError } from '../../errors/index.js';

/** A parsed `s3` backend. */
export interface S3Settings {
  readonly name: string;
  readonly bucket: string;
  /** Key prefix without leading or trailing slash; '' for the bucket root. */
  readonly prefix: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly forcePathStyle: boolean;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** `s3://bucket/prefix` plus the endpoint when not AWS. */
  readonly label: string;
  /** Values that must never appear in a message. */
  readonly secrets: readonly string[];
}

const ConfigsSchema = z.strictObject({
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
  prefix: z.string().optional(),
  region: z.string().min(1).optional(),
  endpoint: z.url().optional(),
  forcePathStyle: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
  accessKeyID: z.string().min(1).optional(),
  accessKeySecret: z.string().min(1).optional(),
});

/** Parses an `s3` backend's configs; KUS4001 naming the bad key otherwise. */
export function parseS3Settings(
  name: string,
  configs: Readonly<Record<string, unknown>>,
  env: NodeJS.ProcessEnv = process.env,
): S3Settings {
  const parsed = ConfigsSchema.safeParse(configs);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join('.') || 'bucket';
    throw new KusionError(
      Codes.backendUnreachable,
      `backend "${name}": configs.${key} is invalid: ${issue?.message ?? 'unknown problem'}`,
      {
        hints: [
          `fix it with \`kusion config set backends.${name}.configs.${key} <value>\`; keys: bucket, prefix, ` +
            'region, endpoint, forcePathStyle, accessKeyID, accessKeySecret',
        ],
      },
    );
  }
  const c = parsed.data;
  if ((c.accessKeyID === undefined) !== (c.accessKeySecret === undefined)) {
    throw new KusionError(
      Codes.backendUnreachable,
      `backend "${name}": configs.accessKeyID and configs.accessKeySecret go together`,
      { hints: ['set both, or neither to use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'] },
    );
  }
  const prefix = (c.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const region = c.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  const secrets = [c.accessKeySecret, env['AWS_SECRET_ACCESS_KEY'], env['AWS_SESSION_TOKEN']].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  return {
    name,
    bucket: c.bucket,
    prefix,
    region,
    ...(c.endpoint ? { endpoint: c.endpoint } : {}),
    // Path-style by default with a custom endpoint: self-hosted stores rarely resolve bucket subdomains.
    forcePathStyle: c.forcePathStyle ?? c.endpoint !== undefined,
    ...(c.accessKeyID && c.accessKeySecret
      ? { credentials: { accessKeyId: c.accessKeyID, secretAccessKey: c.accessKeySecret } }
      : {}),
    label: `s3://${c.bucket}${prefix ? `/${prefix}` : ''}${c.endpoint ? ` at ${c.endpoint}` : ''}`,
    secrets,
  };
}

/** Replaces every secret in `text` with `******`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('******');
  return out;
}
