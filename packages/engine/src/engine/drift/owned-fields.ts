/**
 * Which fields of a Kubernetes object a field manager owns, read from `metadata.managedFields` (FieldsV1,
 * https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management). A FieldsV1 set is a
 * tree whose keys are `f:<field>` (a map field), `k:<json>` (a list item by its key fields), `v:<json>` (a
 * set item by value), `i:<n>` (a list item by index) and `.` (the item itself). Resolved against an object,
 * it gives concrete dot paths in the diff's notation (`spec.template.spec.containers[0].image`).
 */
import { isDeepStrictEqual } from 'node:util';
import type { JsonObject, JsonValue } from '../../model/index.js';

const isMap = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const join = (path: string, field: string) => (path ? `${path}.${field}` : field);

/** The leaf paths a FieldsV1 tree names in `object` (list items located by key, value or index). */
export function fieldPaths(fields: JsonValue | undefined, object: JsonValue | undefined): string[] {
  const out: string[] = [];
  const visit = (tree: JsonObject, value: JsonValue | undefined, path: string) => {
    const keys = Object.keys(tree).filter((k) => k !== '.');
    if (keys.length === 0) {
      if (path) out.push(path);
      return;
    }
    for (const key of keys) {
      const sub = isMap(tree[key]) ? tree[key] : {};
      const kind = key.slice(0, 2);
      const rest = key.slice(2);
      if (kind === 'f:') visit(sub, isMap(value) ? value[rest] : undefined, join(path, rest));
      else if (kind === 'i:') {
        const index = Number(rest);
        visit(sub, Array.isArray(value) ? value[index] : undefined, `${path}[${index}]`);
      } else if ((kind === 'k:' || kind === 'v:') && Array.isArray(value)) {
        const wanted = parseJson(rest);
        const index = value.findIndex((item) =>
          kind === 'v:' ? isDeepStrictEqual(item, wanted) : matchesKey(item, wanted),
        );
        if (index >= 0) visit(sub, value[index], `${path}[${index}]`);
      }
    }
  };
  if (isMap(fields)) visit(fields, object, '');
  return out;
}

function parseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/** A `k:` key names every key field of the item, e.g. `{"containerPort":80,"protocol":"TCP"}`. */
function matchesKey(item: JsonValue, key: JsonValue | undefined): boolean {
  if (!isMap(item) || !isMap(key)) return false;
  return Object.entries(key).every(([k, v]) => isDeepStrictEqual(item[k], v));
}

/** One entry of `metadata.managedFields`. */
export interface ManagedEntry {
  readonly manager: string;
  readonly operation: string;
  readonly time: string;
  readonly subresource?: string;
  readonly fields: JsonValue | undefined;
}

/** The managed-fields entries of an object, in the order the server lists them. */
export function managedEntries(object: JsonObject): ManagedEntry[] {
  const metadata = isMap(object['metadata']) ? object['metadata'] : {};
  const entries = Array.isArray(metadata['managedFields']) ? metadata['managedFields'] : [];
  return entries.filter(isMap).map((e) => ({
    manager: String(e['manager'] ?? ''),
    operation: String(e['operation'] ?? ''),
    time: typeof e['time'] === 'string' ? e['time'] : '',
    ...(typeof e['subresource'] === 'string' && e['subresource'] ? { subresource: e['subresource'] } : {}),
    fields: e['fieldsV1'],
  }));
}

/** Leaf dot paths of a value as written: what a manifest declares (arrays by index). */
export function declaredPaths(value: JsonValue, path = ''): string[] {
  if (Array.isArray(value) && value.length > 0)
    return value.flatMap((item, i) => declaredPaths(item, `${path}[${i}]`));
  if (isMap(value) && Object.keys(value).length > 0)
    return Object.entries(value).flatMap(([k, v]) => declaredPaths(v, join(path, k)));
  return path ? [path] : [];
}

/** True when `path` is `root` or lies below it (`a.b.c` and `a.b[0]` below `a.b`). */
export const isUnder = (path: string, root: string): boolean =>
  path === root || path.startsWith(`${root}.`) || path.startsWith(`${root}[`);

/** True when one path is the other or lies below it. */
export const overlaps = (a: string, b: string): boolean => isUnder(a, b) || isUnder(b, a);
