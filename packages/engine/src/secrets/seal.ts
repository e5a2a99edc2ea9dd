/**
 * Encryption at rest (SPEC §9.1, §14): the sensitive values of a resource or spec are replaced, leaf by
 * leaf, with inline `$kusion_encrypted` values before anything is stored, and restored when read back.
 * Leaves are encrypted one by one so stored records keep their shape (`release show` can still say which
 * keys a Secret has) and every value gets its own nonce.
 *
 * Sensitive means: Kubernetes Secret `data`/`stringData`, and every dot path listed in the resource's
 * `kusion.io/sensitive` extension. That list is the single mechanism: the core adds the paths of resolved
 * references to it (see `resolve.ts`), the Terraform runtime adds the attributes its providers mark
 * sensitive. In specs, literal values of sensitive context keys are encrypted too.
 */
import { createHmac } from 'node:crypto';
import { Codes, isKusionError, KusionError } from '../errors/index.js';
import { decrypt, type EncryptedValue, encrypt, isEncryptedValue } from './cipher.js';

/** The extension listing a resource's extra sensitive attribute paths (SPEC §7.3). */
export const sensitiveExtension = 'kusion.io/sensitive';

/** Context keys whose values are secrets (SPEC §4.4). */
export const sensitiveContextKey = /SECRET|TOKEN|PASSWORD|KEY|CONTENT/;

/** The resource shape sealing needs: the spec's `Resource` and the state's record both fit. */
export interface SealableResource {
  readonly type: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly extensions?: Readonly<Record<string, unknown>> | undefined;
}

/** A spec or release spec: resources plus a context map. */
export interface SealableSpec<R extends SealableResource> {
  readonly resources: readonly R[];
  readonly context?: Readonly<Record<string, unknown>> | undefined;
  readonly secretStore?: unknown;
}

/** The `fake` store holds its secrets inline: their values (not keys nor versions) are secret. */
const fakeStoreValue = /^provider\.fake\.data\[\d+\]\.(value|valueMap)(\.|\[|$)/;

/** `ref://…` and `$kusion_…` strings name a secret; they are not one, and stay readable. */
const isReference = (value: unknown) =>
  typeof value === 'string' && (value.startsWith('ref://') || value.startsWith('$kusion_'));

/** The sensitive roots of a resource: Secret data, and the `kusion.io/sensitive` paths. */
export function sensitivePathsOf(resource: SealableResource): string[] {
  const roots: string[] = [];
  if (resource.type === 'Kubernetes' && resource.attributes['kind'] === 'Secret')
    roots.push('data', 'stringData');
  const declared = resource.extensions?.[sensitiveExtension];
  if (Array.isArray(declared)) roots.push(...declared.filter((p): p is string => typeof p === 'string'));
  return roots;
}

/** Whether a dot path lies at or under one of the roots (`a.b`, `a.b.c`, `a.b[0]`). */
export function underRoots(roots: readonly string[]): (path: string) => boolean {
  return (path) =>
    roots.some((root) => path === root || path.startsWith(`${root}.`) || path.startsWith(`${root}[`));
}

const childPath = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/**
 * `value` with `change` applied to each array item or object entry; `value` itself when nothing changed.
 * Stored records are never mutated, so an unchanged subtree is shared instead of copied: most of a
 * release holds no secret at all.
 */
function mapTree(value: unknown, change: (child: unknown, key: string | number) => unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(change);
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  let changed = false;
  const entries = Object.entries(value).map(([k, v]) => {
    const next = change(v, k);
    changed ||= next !== v;
    return [k, next] as const;
  });
  return changed ? Object.fromEntries(entries) : value;
}

/** Encrypts every leaf under a sensitive path; references, nulls and sealed values stay as they are. */
function sealTree(
  value: unknown,
  path: string,
  isSensitive: (path: string) => boolean,
  key: Buffer,
): unknown {
  if (isEncryptedValue(value)) return value;
  if (typeof value === 'object' && value !== null)
    return mapTree(value, (child, k) => sealTree(child, childPath(path, k), isSensitive, key));
  if (value === null || value === undefined || isReference(value) || !isSensitive(path)) return value;
  return encrypt(Buffer.from(JSON.stringify(value)), key);
}

/** Decrypts every `$kusion_encrypted` value anywhere in a tree (KUS4004 when the key does not match). */
export function unsealValue(value: unknown, key: Buffer): unknown {
  if (isEncryptedValue(value)) {
    try {
      return JSON.parse(decrypt(value as EncryptedValue, key).toString('utf8'));
    } catch (error) {
      if (isKusionError(error)) throw error;
      throw new KusionError(
        Codes.stateRecordInvalid,
        'an encrypted value in state does not decrypt: it was altered',
        {
          source: 'system',
          cause: error,
          hints: ['restore the record from a backup; the key itself matches'],
        },
      );
    }
  }
  return mapTree(value, (child) => unsealValue(child, key));
}

/** The resource with its sensitive values encrypted (the resource itself when it has none). */
export function sealResource<R extends SealableResource>(resource: R, key: Buffer): R {
  const roots = sensitivePathsOf(resource);
  if (roots.length === 0) return resource;
  const attributes = sealTree(resource.attributes, '', underRoots(roots), key);
  return attributes === resource.attributes
    ? resource
    : { ...resource, attributes: attributes as R['attributes'] };
}

/** The resource with every encrypted value decrypted (the resource itself when it has none). */
export function unsealResource<R extends SealableResource>(resource: R, key: Buffer): R {
  const attributes = unsealValue(resource.attributes, key);
  return attributes === resource.attributes
    ? resource
    : { ...resource, attributes: attributes as R['attributes'] };
}

/** A copy of a spec with its resources sealed and literal sensitive context values encrypted. */
export function sealSpec<S extends SealableSpec<SealableResource>>(spec: S, key: Buffer): S {
  const context = spec.context
    ? Object.fromEntries(
        Object.entries(spec.context).map(([k, v]) => [
          k,
          sensitiveContextKey.test(k) ? sealTree(v, k, () => true, key) : v,
        ]),
      )
    : undefined;
  return {
    ...spec,
    resources: spec.resources.map((r) => sealResource(r, key)),
    ...(context ? { context } : {}),
    ...(spec.secretStore
      ? { secretStore: sealTree(spec.secretStore, '', (p) => fakeStoreValue.test(p), key) }
      : {}),
  };
}

/** A copy of a spec with every encrypted value decrypted. */
export function unsealSpec<S extends SealableSpec<SealableResource>>(spec: S, key: Buffer): S {
  return {
    ...spec,
    resources: spec.resources.map((r) => unsealResource(r, key)),
    ...(spec.context ? { context: unsealValue(spec.context, key) } : {}),
    ...(spec.secretStore ? { secretStore: unsealValue(spec.secretStore, key) } : {}),
  };
}

/** Replaces every encrypted value with a placeholder: for `release show`, which never reveals values. */
export function hideSealedValues(value: unknown, placeholder: string): unknown {
  if (isEncryptedValue(value)) return placeholder;
  if (Array.isArray(value)) return value.map((item) => hideSealedValues(item, placeholder));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hideSealedValues(v, placeholder)]));
  return value;
}

/**
 * The resources for hashing: every sensitive leaf becomes a keyed HMAC of its value. State
 * digests are published (preview `-o json`, saved plans); a plain hash over clear secrets would let anyone
 * holding a plan and a sealed copy of the state test guesses of a weak secret offline.
 */
export function digestView<R extends SealableResource>(resources: readonly R[], key: Buffer): R[] {
  const keyed = (value: unknown, path: string, isSensitive: (path: string) => boolean): unknown => {
    if (typeof value === 'object' && value !== null && !isEncryptedValue(value))
      return mapTree(value, (child, k) => keyed(child, childPath(path, k), isSensitive));
    if (value === null || value === undefined || !isSensitive(path)) return value;
    return `hmac-sha256:${createHmac('sha256', key).update(JSON.stringify(value)).digest('hex')}`;
  };
  return resources.map((resource) => {
    const roots = sensitivePathsOf(resource);
    if (roots.length === 0) return resource;
    return { ...resource, attributes: keyed(resource.attributes, '', underRoots(roots)) as R['attributes'] };
  });
}
