import type { JsonObject, JsonValue, Resource, Spec } from '../model/index.js';

/** The placeholder printed instead of a sensitive value. */
export const sensitivePlaceholder = '(sensitive)';

const sensitiveContextKey = /SECRET|TOKEN|PASSWORD|KEY|CONTENT/;
const isReference = (value: JsonValue) =>
  typeof value === 'string' && (value.startsWith('$kusion_') || value.startsWith('ref://'));

function maskValues(map: JsonValue | undefined): JsonValue | undefined {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return map;
  return Object.fromEntries(
    Object.entries(map).map(([k, v]) => [k, isReference(v) || v === '' ? v : sensitivePlaceholder]),
  );
}

/**
 * A copy of the spec safe to print: literal Secret values and literal sensitive context values are
 * replaced; references (`$kusion_…`, `ref://`) stay, since they hold no secret themselves.
 */
export function maskSpec(spec: Spec): Spec {
  const resources = spec.resources.map((r): Resource => {
    if (r.type !== 'Kubernetes' || r.attributes['kind'] !== 'Secret') return r;
    const attributes: JsonObject = { ...r.attributes };
    for (const key of ['data', 'stringData']) {
      const masked = maskValues(attributes[key]);
      if (masked !== undefined) attributes[key] = masked;
    }
    return { ...r, attributes };
  });
  const context = Object.fromEntries(
    Object.entries(spec.context).map(([k, v]) => [
      k,
      sensitiveContextKey.test(k) && !isReference(v) ? sensitivePlaceholder : v,
    ]),
  );
  return { ...spec, resources, context, secretStore: maskFakeStore(spec.secretStore) };
}

/** The `fake` store's inline values are the secrets themselves. */
function maskFakeStore(secretStore: Spec['secretStore']): Spec['secretStore'] {
  const provider = secretStore?.['provider'];
  const fake =
    typeof provider === 'object' && provider !== null && !Array.isArray(provider)
      ? provider['fake']
      : undefined;
  const data = typeof fake === 'object' && fake !== null && !Array.isArray(fake) ? fake['data'] : undefined;
  if (!secretStore || !Array.isArray(data)) return secretStore;
  const masked = data.map((entry) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return entry;
    const { value, valueMap, ...rest } = entry;
    return {
      ...rest,
      ...(value !== undefined ? { value: sensitivePlaceholder } : {}),
      ...(valueMap !== undefined ? { valueMap: maskValues(valueMap) ?? null } : {}),
    };
  });
  return {
    ...secretStore,
    provider: { ...(provider as JsonObject), fake: { ...(fake as JsonObject), data: masked } },
  };
}
