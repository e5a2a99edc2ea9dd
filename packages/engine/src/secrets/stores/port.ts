/**
 * The secret-store port (SPEC §14): one call, `get`, that turns a parsed `ref://` reference into its value.
 * Providers never return an empty string for something missing: absence is KUS7002, a refused or missing
 * credential is KUS7003. Messages name references and providers, never values.
 */
import { Codes, KusionError } from '../../errors/index.js';
import type { SecretRef } from '../reference.js';

/** Options of one lookup. */
export interface SecretGetOptions {
  readonly signal?: AbortSignal;
}

/** A configured secret store. */
export interface SecretStore {
  /** The provider name as configured (`fake`, `kubernetes`, `vault`, `aws`). */
  readonly provider: string;
  /** The value the reference names. Throws KUS7002 when the secret or key is missing, KUS7003 on auth. */
  get(ref: SecretRef, options?: SecretGetOptions): Promise<string>;
}

/** KUS7002 for a reference: the secret, its version or its key does not exist. */
export function secretNotFound(ref: SecretRef, why: string, hint?: string): KusionError {
  return new KusionError(Codes.secretNotFound, `${ref.text}: ${why}`, {
    source: 'user',
    hints: [hint ?? 'check the reference against the secret store, or create the secret there'],
  });
}

/** KUS7003: the store refused the credentials, or there are none. */
export function secretStoreAuthFailed(
  provider: string,
  why: string,
  hint: string,
  cause?: unknown,
): KusionError {
  return new KusionError(Codes.secretStoreAuthFailed, `secret store ${provider}: ${why}`, {
    source: 'external',
    hints: [hint],
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * The value a reference names inside a secret's text: the whole text without a key, otherwise the key as
 * a property of the JSON object the text holds (AWS, fake). Non-string properties come back as JSON text.
 */
export function pickProperty(ref: SecretRef, text: string): string {
  if (ref.key === undefined) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw secretNotFound(
      ref,
      `the secret ${ref.name} is not a JSON object, so it has no key "${ref.key}"`,
      `refer to the whole value with ref://${ref.name}`,
    );
  }
  const value =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)[ref.key]
      : undefined;
  if (value === undefined || value === null)
    throw secretNotFound(ref, `the secret ${ref.name} has no key "${ref.key}"`);
  return typeof value === 'string' ? value : JSON.stringify(value);
}
