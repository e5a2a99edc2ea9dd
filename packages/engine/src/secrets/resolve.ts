/**
 * Resolution of `ref://` values (SPEC §7.4, §14): only when Kusion contacts infrastructure (preview, apply,
 * destroy), never at generate, and only in memory. Every resolved value is registered with the masker
 * before it is returned, and every path holding a reference is added to the resource's
 * `kusion.io/sensitive` list, so the value is masked in diffs and encrypted in state and journal.
 */
import { Codes, KusionError } from '../errors/index.js';
import type { JsonObject, JsonValue, Resource } from '../model/index.js';
import type { Masker } from './masker.js';
import { isSecretRef, parseSecretRef } from './reference.js';
import { sensitiveContextKey, sensitiveExtension } from './seal.js';
import type { SecretStore } from './stores/port.js';

/** What resolution returns: the attributes with references replaced, and the paths that held them. */
export interface ResolvedSecrets<T> {
  readonly value: T;
  readonly sensitivePaths: readonly string[];
}

/** Where a resolver looks up and registers values. */
export interface SecretResolveContext {
  /** The workspace's store, or undefined when it has none (a reference is then KUS7001). */
  readonly store: SecretStore | undefined;
  readonly masker: Masker;
  readonly signal?: AbortSignal;
  /** Decides which paths may hold `ref://` values; others are left alone. @default every path */
  readonly allowed?: (path: string) => boolean;
  /** Kubernetes Secret `data` holds base64: values resolved there are encoded. @default never */
  readonly base64?: (path: string) => boolean;
}

const noStore = (ref: string) =>
  new KusionError(Codes.noSecretStore, `${ref} needs a secret store, and the workspace configures none`, {
    hints: ['configure secretStore.provider in the workspace (vault, aws, kubernetes or fake)'],
  });

/** Resolves every allowed `ref://` string in a JSON tree through the store (each reference once). */
export async function resolveSecretReferences<T extends JsonValue>(
  tree: T,
  ctx: SecretResolveContext,
): Promise<ResolvedSecrets<T>> {
  const cache = new Map<string, Promise<string>>();
  const sensitivePaths: string[] = [];
  const lookup = (text: string): Promise<string> => {
    let pending = cache.get(text);
    if (!pending) {
      const store = ctx.store;
      if (!store) throw noStore(text);
      pending = store.get(parseSecretRef(text), ctx.signal ? { signal: ctx.signal } : {}).then((value) => {
        ctx.masker.register(value);
        return value;
      });
      cache.set(text, pending);
    }
    return pending;
  };
  const visit = async (value: JsonValue, path: string): Promise<JsonValue> => {
    if (isSecretRef(value) && (ctx.allowed?.(path) ?? true)) {
      sensitivePaths.push(path);
      const resolved = await lookup(value);
      return ctx.base64?.(path) ? Buffer.from(resolved).toString('base64') : resolved;
    }
    if (Array.isArray(value)) {
      const items: JsonValue[] = [];
      for (const [i, item] of value.entries()) items.push(await visit(item, `${path}[${i}]`));
      return items;
    }
    if (typeof value === 'object' && value !== null) {
      const entries: [string, JsonValue][] = [];
      for (const [k, v] of Object.entries(value))
        entries.push([k, await visit(v, path ? `${path}.${k}` : k)]);
      return Object.fromEntries(entries);
    }
    return value;
  };
  return { value: (await visit(tree, '')) as T, sensitivePaths };
}

/** Dot paths of every reference value (`ref://`, `$kusion_path.`, `$kusion_derived.`) in a tree. */
export function referencePaths(tree: JsonValue, path = ''): string[] {
  if (typeof tree === 'string')
    return tree.startsWith('ref://') ||
      tree.startsWith('$kusion_path.') ||
      tree.startsWith('$kusion_derived.')
      ? [path]
      : [];
  if (Array.isArray(tree)) return tree.flatMap((item, i) => referencePaths(item, `${path}[${i}]`));
  if (typeof tree === 'object' && tree !== null)
    return Object.entries(tree).flatMap(([k, v]) => referencePaths(v, path ? `${path}.${k}` : k));
  return [];
}

const isKubernetesSecret = (resource: Resource) =>
  resource.type === 'Kubernetes' && resource.attributes['kind'] === 'Secret';

/**
 * The hook the planner and executor call before `$kusion_path` resolution: `ref://` values in Secret
 * `data` (base64-encoded there) and `stringData` are resolved, and every reference path of the resource
 * joins its `kusion.io/sensitive` list.
 */
export type ResolveResourceSecrets = (resource: Resource, signal?: AbortSignal) => Promise<Resource>;

/** Makes the hook for one run; the store is opened on the first reference that needs it. */
export function resourceSecretResolver(options: {
  readonly store: () => SecretStore | undefined;
  readonly masker: Masker;
}): ResolveResourceSecrets {
  return async (resource, signal) => {
    const paths = referencePaths(resource.attributes);
    if (paths.length === 0) return resource;
    const inSecret = (root: string) => (path: string) =>
      isKubernetesSecret(resource) && (path === root || path.startsWith(`${root}.`));
    const hasRef = paths.some((p) => inSecret('data')(p) || inSecret('stringData')(p));
    const resolved = hasRef
      ? await resolveSecretReferences(resource.attributes, {
          store: options.store(),
          masker: options.masker,
          allowed: (p) => inSecret('data')(p) || inSecret('stringData')(p),
          base64: inSecret('data'),
          ...(signal ? { signal } : {}),
        })
      : { value: resource.attributes };
    const declared = resource.extensions?.[sensitiveExtension];
    const listed = Array.isArray(declared) ? declared.filter((p): p is string => typeof p === 'string') : [];
    const sensitive = [...new Set([...listed, ...paths])].sort();
    return {
      ...resource,
      attributes: resolved.value as JsonObject,
      extensions: { ...resource.extensions, [sensitiveExtension]: sensitive },
    };
  };
}

/**
 * Resolves a workspace `context` when a runtime is initialised (SPEC §4.4): `ref://` values through the
 * store; values of sensitive keys (literal or resolved) are registered with the masker. Exported for the
 * runtimes: Terraform exports context as environment, the Kubernetes runtime reads its kubeconfig there.
 */
export async function resolveContext(
  context: Readonly<Record<string, unknown>>,
  ctx: Omit<SecretResolveContext, 'allowed' | 'base64'>,
): Promise<Record<string, unknown>> {
  const resolved = await resolveSecretReferences(context as JsonObject, ctx);
  for (const [key, value] of Object.entries(resolved.value))
    if (sensitiveContextKey.test(key) && typeof value === 'string') ctx.masker.register(value);
  return resolved.value;
}
