import { Codes, KusionError } from '../errors/index.js';

/** The prefix of a secret-store reference (SPEC §7.4, §14). */
export const secretRefPrefix = 'ref://';

/**
 * A parsed `ref://<name>[/<sub>…]/<key>[?version=<v>]`: the last segment is the key (a JSON property,
 * a KV field or a Secret data key, depending on the provider); with a single segment there is no key and
 * the whole value is meant.
 */
export interface SecretRef {
  /** The reference as written, for messages (it holds no secret). */
  readonly text: string;
  /** The secret's name: every segment but the last, or the only one. */
  readonly name: string;
  /** The last segment when there are two or more. */
  readonly key?: string;
  /** `?version=`: a provider-specific version (AWS: a staging label or `uuid/<versionId>`). */
  readonly version?: string;
}

/** Whether a value is a `ref://` reference. */
export const isSecretRef = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(secretRefPrefix);

/** Parses a `ref://` reference; a malformed one is KUS7002, naming it. */
export function parseSecretRef(text: string): SecretRef {
  const invalid = (why: string) =>
    new KusionError(Codes.secretNotFound, `${text} is not a valid secret reference: ${why}`, {
      hints: ['write references as ref://<name>[/<sub>…]/<key>[?version=<v>]'],
    });
  if (!text.startsWith(secretRefPrefix)) throw invalid(`it does not start with ${secretRefPrefix}`);
  const body = text.slice(secretRefPrefix.length);
  const queryAt = body.indexOf('?');
  const path = queryAt < 0 ? body : body.slice(0, queryAt);
  const segments = path.split('/');
  if (segments.some((s) => s === '')) throw invalid('a path segment is empty');
  let version: string | undefined;
  if (queryAt >= 0) {
    const query = new URLSearchParams(body.slice(queryAt + 1));
    for (const name of query.keys())
      if (name !== 'version') throw invalid(`unknown parameter "${name}" (only version is allowed)`);
    version = query.get('version') ?? undefined;
    if (version === '') throw invalid('version is empty');
  }
  const key = segments.length > 1 ? segments.at(-1) : undefined;
  const name = segments.length > 1 ? segments.slice(0, -1).join('/') : (segments[0] ?? '');
  return { text, name, ...(key === undefined ? {} : { key }), ...(version === undefined ? {} : { version }) };
}
