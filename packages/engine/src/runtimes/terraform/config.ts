import { ReferencePrefix } from '@kusion/module-sdk';
import { type ProviderRef, providerOf } from '../../engine/units.js';
import { toCanonicalJson } from '../../generator/canonical.js';
import { longestIdMatcher } from '../../generator/dependencies.js';
import type { JsonObject, JsonValue, Resource } from '../../model/index.js';

/** The OpenTofu address of a Terraform resource: `<resourceType>.<name>` (its ID's last two parts). */
export function addressOf(resource: Pick<Resource, 'id'>): string {
  const [, , type, name] = resource.id.split(':');
  return `${type}.${name}`;
}

/** Providers compiled into the binary need no installation and no provider block. */
const isBuiltin = (provider: ProviderRef) =>
  provider.host === 'terraform.io' && provider.namespace === 'builtin';

/** Hosts whose sources are written short, so the binary's default registry and mirrors apply. */
const defaultRegistries = new Set(['registry.terraform.io', 'registry.opentofu.org']);

/**
 * `main.tf.json` of a unit (SPEC §13.2): required providers, one provider block per distinct
 * (source, version, providerMeta) — aliased only when a source has several — and the resources.
 * `$kusion_path` references between members become native expressions, so OpenTofu orders them and
 * passes unknown values itself; every other string is escaped, so `${` in a value stays literal.
 */
export function unitConfig(members: readonly Resource[]): JsonObject {
  const ids = new Set(members.map((m) => m.id));
  const matchId = longestIdMatcher(ids);
  const byId = new Map(members.map((m) => [m.id, m]));
  const providers = providerBlocks(members);
  const resources: Record<string, Record<string, JsonObject>> = {};
  const imports: JsonObject[] = [];
  for (const member of members) {
    const [, , type = '', name = ''] = member.id.split(':');
    const body = rewrite(member.attributes, (reference) => {
      const id = matchId(reference);
      if (!id) return undefined;
      const path = reference.slice(id.length + 1);
      return `\${${addressOf(byId.get(id) as Resource)}${path ? pathExpression(path) : ''}}`;
    }) as JsonObject;
    const localDeps = (member.dependsOn ?? []).filter((d) => ids.has(d)).map((d) => addressOf({ id: d }));
    const reference = providers.referenceOf.get(member.id);
    const importId = importIdOf(member);
    if (importId !== undefined) imports.push({ to: addressOf(member), id: escapeTemplate(importId) });
    resources[type] = {
      ...resources[type],
      [name]: {
        ...body,
        ...(reference ? { provider: reference } : {}),
        ...(localDeps.length > 0 ? { depends_on: localDeps } : {}),
        // Observed resources are adopted and read, never changed (SPEC §4.3).
        ...(importId !== undefined ? { lifecycle: { ignore_changes: 'all' } } : {}),
      },
    };
  }
  return {
    terraform: { required_providers: providers.required },
    ...(Object.keys(providers.blocks).length > 0 ? { provider: providers.blocks } : {}),
    resource: resources,
    ...(imports.length > 0 ? { import: imports } : {}),
  };
}

/** `kusionstack.io/import-id`: the provider's ID of an existing resource to adopt. */
function importIdOf(resource: Resource): string | undefined {
  const id = resource.extensions?.['kusionstack.io/import-id'];
  return typeof id === 'string' ? id : undefined;
}

/** Provider blocks for resources the configuration no longer holds (destroy needs their providers). */
export function providersOnlyConfig(resources: readonly Resource[]): JsonObject {
  const providers = providerBlocks(resources);
  return {
    terraform: { required_providers: providers.required },
    ...(Object.keys(providers.blocks).length > 0 ? { provider: providers.blocks } : {}),
  };
}

interface ProviderBlocks {
  readonly required: JsonObject;
  readonly blocks: Record<string, JsonObject[]>;
  /** Resource ID → `local` or `local.alias`. */
  readonly referenceOf: ReadonlyMap<string, string>;
}

function providerBlocks(resources: readonly Resource[]): ProviderBlocks {
  const bySource = new Map<string, { ref: ProviderRef; metas: Map<string, JsonObject> }>();
  for (const resource of resources) {
    const ref = providerOf(resource);
    if (isBuiltin(ref)) continue;
    const meta = (resource.extensions?.['providerMeta'] ?? {}) as JsonObject;
    const entry = bySource.get(ref.source) ?? { ref, metas: new Map() };
    entry.metas.set(toCanonicalJson(meta), meta);
    bySource.set(ref.source, entry);
  }
  const names = new Map<string, number>();
  for (const { ref } of bySource.values()) names.set(ref.name, (names.get(ref.name) ?? 0) + 1);
  const required: Record<string, JsonObject> = {};
  const blocks: Record<string, JsonObject[]> = {};
  const aliasOf = new Map<string, string>();
  for (const [source, { ref, metas }] of [...bySource].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const local = (names.get(ref.name) ?? 0) > 1 ? `${ref.namespace}_${ref.name}` : ref.name;
    required[local] = {
      source: defaultRegistries.has(ref.host) ? `${ref.namespace}/${ref.name}` : source,
      version: ref.version,
    };
    const sorted = [...metas.keys()].sort();
    blocks[local] = sorted.map((key, i) => {
      const meta = metas.get(key) as JsonObject;
      const alias = sorted.length > 1 ? `p${i + 1}` : undefined;
      aliasOf.set(`${source} ${key}`, alias ? `${local}.${alias}` : local);
      return { ...(escapeTemplates(meta) as JsonObject), ...(alias ? { alias } : {}) };
    });
  }
  const referenceOf = new Map<string, string>();
  for (const resource of resources) {
    const ref = providerOf(resource);
    if (isBuiltin(ref)) continue;
    const meta = toCanonicalJson((resource.extensions?.['providerMeta'] ?? {}) as JsonObject);
    referenceOf.set(resource.id, aliasOf.get(`${ref.source} ${meta}`) as string);
  }
  return { required, blocks, referenceOf };
}

/** `a.0.b` → `.a[0].b`. */
function pathExpression(path: string): string {
  return path
    .split('.')
    .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
    .join('');
}

/** Replaces whole-string references `native` knows; escapes template sequences everywhere else. */
function rewrite(value: JsonValue, native: (reference: string) => string | undefined): JsonValue {
  if (typeof value === 'string') {
    if (value.startsWith(ReferencePrefix.path)) {
      const expression = native(value.slice(ReferencePrefix.path.length));
      if (expression) return expression;
    }
    return escapeTemplate(value);
  }
  if (Array.isArray(value)) return value.map((item) => rewrite(item, native));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, native)]));
  }
  return value;
}

/** Doubles `${` and `%{` (a function replacement: in a replacement string `$$` would mean one `$`). */
const escapeTemplate = (text: string) => text.replace(/([$%])\{/g, (_, sigil: string) => `${sigil}${sigil}{`);
const escapeTemplates = (value: JsonValue): JsonValue => rewrite(value, () => undefined);
