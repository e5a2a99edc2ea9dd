import microdiff from 'microdiff';
import type { JsonObject, JsonValue } from '../../model/index.js';

/** Whether a dot path lies at or below one of the roots (one definition, shared with sealing). */
export { underRoots as underAny } from '../../secrets/seal.js';

/** One field-level difference (SPEC §10.3 `diff`). */
export interface DiffEntry {
  readonly path: string;
  readonly op: 'add' | 'remove' | 'change';
  readonly before?: JsonValue;
  readonly after?: JsonValue;
  readonly sensitive: boolean;
}

export const sensitiveValue = '(sensitive)';
export const sensitiveChanged = '(sensitive value changed)';

/** `spec.template.spec.containers[0].image` from microdiff's path array. */
export function dotPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (text, s) => (typeof s === 'number' ? `${text}[${s}]` : text ? `${text}.${s}` : s),
    '',
  );
}

/** Turns `a.b,c[*].d` into matchers over dot paths (`[*]` matches any index). */
export function ignoreMatchers(fields: readonly string[]): ((path: string) => boolean)[] {
  return fields.map((field) => {
    const pattern = new RegExp(
      `^${field
        .replace(/[.+?^${}()|\\]/g, '\\$&')
        .replace(/\[\*\]/g, '\\[\\d+\\]')
        .replace(/\\\.\\\[/g, '\\[')}(\\.|\\[|$)`,
    );
    return (path: string) => pattern.test(path);
  });
}

/**
 * A field-level diff of two normalised objects. Sensitive paths (and their descendants) print as
 * `(sensitive)`; ignored paths are left out.
 */
export function diffObjects(
  before: JsonObject | null,
  after: JsonObject | null,
  options: { readonly isSensitive: (path: string) => boolean; readonly isIgnored: (path: string) => boolean },
): DiffEntry[] {
  const entries: DiffEntry[] = [];
  const push = (path: string, op: DiffEntry['op'], oldValue: unknown, value: unknown) => {
    if (options.isIgnored(path)) return;
    const sensitive = options.isSensitive(path);
    const show = (v: unknown, changed = false): JsonValue =>
      sensitive ? (changed ? sensitiveChanged : sensitiveValue) : (v as JsonValue);
    if (op === 'add') entries.push({ path, op, after: show(value), sensitive });
    else if (op === 'remove') entries.push({ path, op, before: show(oldValue), sensitive });
    else entries.push({ path, op, before: show(oldValue), after: show(value, true), sensitive });
  };
  for (const change of microdiff(before ?? {}, after ?? {})) {
    const path = dotPath(change.path);
    // A whole map or list added or removed is shown field by field: every line is a path and a value.
    if (change.type === 'CREATE')
      forEachLeaf(change.value as JsonValue, path, (p, v) => push(p, 'add', undefined, v));
    else if (change.type === 'REMOVE')
      forEachLeaf(change.oldValue as JsonValue, path, (p, v) => push(p, 'remove', v, undefined));
    else push(path, 'change', change.oldValue, change.value);
  }
  return entries;
}

function forEachLeaf(value: JsonValue, path: string, visit: (path: string, value: JsonValue) => void): void {
  if (Array.isArray(value) && value.length > 0) {
    for (const [i, item] of value.entries()) forEachLeaf(item, `${path}[${i}]`, visit);
  } else if (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0
  ) {
    for (const [key, child] of Object.entries(value))
      forEachLeaf(child, path ? `${path}.${key}` : key, visit);
  } else visit(path, value);
}

/** A copy of an object with the values under sensitive roots replaced, for before/after in output. */
export function maskObject(
  object: JsonObject | null,
  isSensitive: (path: string) => boolean,
): JsonObject | null {
  if (!object) return null;
  const visit = (value: JsonValue, path: string): JsonValue => {
    if (path && isSensitive(path) && (typeof value !== 'object' || value === null)) return sensitiveValue;
    if (Array.isArray(value)) return value.map((v, i) => visit(v, `${path}[${i}]`));
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, visit(v, path ? `${path}.${k}` : k)]),
      );
    return value;
  };
  return visit(object, '') as JsonObject;
}
