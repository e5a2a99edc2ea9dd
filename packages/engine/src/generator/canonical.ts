import { createHash } from 'node:crypto';
import type { JsonValue, Resource, Spec } from '../model/index.js';
import { emitYaml } from './yaml-emitter.js';

/** A deep copy with map keys sorted by code point at every level; list order is kept. */
export function canonicalize(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, JsonValue> = {};
  for (const key of Object.keys(value).sort(compareCodePoints)) {
    const child = value[key];
    if (child !== undefined) sorted[key] = canonicalize(child);
  }
  return sorted;
}

/** Code-point order, never locale-aware. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A spec in canonical form: resources sorted by ID, dependsOn sorted and de-duplicated (SPEC §7.5). */
export function canonicalSpec(spec: Spec): Spec {
  const resources = [...spec.resources]
    .sort((a, b) => compareCodePoints(a.id, b.id))
    .map((r): Resource => {
      const dependsOn = [...new Set(r.dependsOn ?? [])].sort(compareCodePoints);
      return {
        id: r.id,
        type: r.type,
        attributes: r.attributes,
        ...(dependsOn.length > 0 ? { dependsOn } : {}),
        ...(r.extensions ? { extensions: r.extensions } : {}),
      };
    });
  return { ...spec, resources };
}

/** Canonical JSON: sorted keys, 2-space indent, LF, final newline. */
export function toCanonicalJson(value: JsonValue | Spec): string {
  return `${JSON.stringify(canonicalize(value as JsonValue), null, 2)}\n`;
}

/** Canonical YAML 1.2: sorted keys, 2-space indent, no anchors, plain scalars unless quoting is needed. */
export function toCanonicalYaml(value: JsonValue | Spec): string {
  return emitYaml(canonicalize(value as JsonValue));
}

/** `sha256:` of the canonical JSON. */
export function digestOf(value: JsonValue | Spec): string {
  return `sha256:${createHash('sha256').update(toCanonicalJson(value)).digest('hex')}`;
}
