import type { JsonObject, JsonValue } from '@kusion/module-sdk';

/** JSON-like data whose object fields may be `undefined` (absent), as zod outputs and optional inputs are. */
export type JsonInput =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly JsonInput[]
  | { readonly [key: string]: JsonInput };

/** An object whose fields may be absent; `compact` turns it into JSON. */
export type MaybeFields = { readonly [key: string]: JsonInput };

/**
 * Copies JSON-like data, dropping `undefined` object fields at every level, so inputs that were not given
 * leave no key behind (Kubernetes and the canonical Spec treat a missing key and `null` differently).
 */
export function toJson(value: JsonInput): JsonValue {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map((item: JsonInput) => toJson(item));
  if (typeof value === 'object' && value !== null) return compact(value as MaybeFields);
  return value as string | number | boolean | null;
}

/** `toJson` for an object: drops its `undefined` fields at every level. */
export function compact(fields: MaybeFields): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) result[key] = toJson(value);
  }
  return result;
}

/** Code-point comparison: locale-independent, so every machine sorts the same way. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The entries of a map in code-point order of their keys. */
export function sortedEntries<T>(map: Readonly<Record<string, T>> | undefined): Array<[string, T]> {
  if (!map) return [];
  return Object.entries(map).sort(([a], [b]) => compareCodePoints(a, b));
}

/** A copy of a map, or `undefined` when it is empty, so empty label and annotation maps are omitted. */
export function nonEmpty(
  map: Readonly<Record<string, string>> | undefined,
): Record<string, string> | undefined {
  return map && Object.keys(map).length > 0 ? { ...map } : undefined;
}

/** Merges string maps left to right: later maps win on equal keys. */
export function mergeMaps(
  ...maps: ReadonlyArray<Readonly<Record<string, string>> | undefined>
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const map of maps) Object.assign(result, map);
  return result;
}
