/**
 * SDK failures become Kusion errors at the adapter edge: KUS4001 with a hint chosen by what went wrong
 * (endpoint down, bucket missing, credentials refused), KUS4006 for a store that does not implement
 * conditional writes. A failed precondition is not an error here: callers ask `isPreconditionFailed`.
 */
import { Codes, isKusionError, KusionError } from '../../errors/index.js';
import { networkCodes } from '../errors.js';
import { redact, type S3Settings } from './settings.js';

interface SdkErrorLike {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

function statusOf(error: unknown): number | undefined {
  return (error as SdkErrorLike | undefined)?.$metadata?.httpStatusCode;
}

/**
 * True when a conditional write lost: 412, or 409 (S3's answer when a conflicting conditional write is in
 * flight on the same key).
 */
export function isPreconditionFailed(error: unknown): boolean {
  const status = statusOf(error);
  const name = (error as SdkErrorLike | undefined)?.name;
  return (
    status === 412 || status === 409 || name === 'PreconditionFailed' || name === 'ConditionalRequestConflict'
  );
}

/** True for a 404 of a key (not of the bucket). */
export function isNoSuchKey(error: unknown): boolean {
  const name = (error as SdkErrorLike | undefined)?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || (statusOf(error) === 404 && name !== 'NoSuchBucket');
}

/** The store answered a conditional header with "not implemented". */
export function isNotImplemented(error: unknown): boolean {
  const name = (error as SdkErrorLike | undefined)?.name;
  return statusOf(error) === 501 || name === 'NotImplemented';
}

/** KUS4006 for a store that ignores or refuses `If-None-Match`/`If-Match`. */
export function lacksConditionalWrites(settings: S3Settings, what: string): KusionError {
  return new KusionError(
    Codes.backendLacksConditionalWrites,
    `S3 backend "${settings.name}" (${settings.label}) does not support conditional writes: ${what}`,
    {
      source: 'external',
      hints: [
        'Kusion needs If-None-Match and If-Match on PUT for locks and releases; use a store that honours them ' +
          '(AWS S3, MinIO, Ceph RGW, versitygw) or a postgres backend; read-only commands still work',
      ],
    },
  );
}

/** Turns anything the SDK threw into a KusionError. */
export function s3Error(error: unknown, settings: S3Settings, key?: string): KusionError {
  if (isKusionError(error)) return error;
  const e = (error ?? {}) as SdkErrorLike;
  const status = statusOf(error);
  const detail = redact((e.message ?? String(error)).split('\n')[0] ?? '', settings.secrets);
  const where = `S3 backend "${settings.name}" (${settings.label})`;
  const configure = `kusion config set backends.${settings.name}.configs.<key> <value>`;
  const at = key ? ` at ${key}` : '';

  if (
    (e.code && networkCodes.has(e.code)) ||
    e.name === 'TimeoutError' ||
    (!status && /ECONNREFUSED|ENOTFOUND|socket|timed? ?out/i.test(detail))
  ) {
    return unreachable(`${where} is unreachable: ${detail}`, error, [
      `check that the endpoint is up and right (\`${configure}\`, key endpoint)`,
    ]);
  }
  if (e.name === 'NoSuchBucket') {
    return unreachable(`${where}: bucket "${settings.bucket}" does not exist`, error, [
      'create the bucket first (e.g. `aws s3 mb s3://<bucket>`), or fix configs.bucket',
    ]);
  }
  if (
    status === 403 ||
    status === 401 ||
    e.name === 'CredentialsProviderError' ||
    e.name === 'InvalidAccessKeyId' ||
    e.name === 'SignatureDoesNotMatch' ||
    e.name === 'AccessDenied'
  ) {
    return unreachable(`${where} refused the credentials${at}: ${detail}`, error, [
      'set configs.accessKeyID and configs.accessKeySecret, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ' +
        'to a key allowed to read and write the bucket',
    ]);
  }
  if (isNotImplemented(error)) return lacksConditionalWrites(settings, detail);
  return unreachable(`${where} failed${at}: ${detail}${status ? ` (HTTP ${status})` : ''}`, error, [
    'run the command again; with --debug for details',
  ]);
}

function unreachable(message: string, cause: unknown, hints: readonly string[]): KusionError {
  return new KusionError(Codes.backendUnreachable, message, { source: 'external', cause, hints });
}
