/**
 * Migration from the original Kusion (SPEC §13.1). It wrote objects with client-side requests under field
 * manager `kusion`, which the API server records as an `Update` entry in `metadata.managedFields`. Server-side
 * apply under the same name is a *different* manager (`kusion`/`Apply`), so without an upgrade the first
 * apply would conflict with our own former self on every changed field, and fields later dropped from the
 * spec would never be pruned (the `Update` entry keeps owning them).
 *
 * The upgrade moves the field set of the `Update` entry into the `Apply` entry (a union when both exist) and
 * removes the `Update` entry: the same idea as kubectl's `csaupgrade` package, sent as a JSON patch guarded by
 * the object's `resourceVersion`. Field sets are unioned as they are; the original wrote the same group
 * versions we apply, so no conversion between versions is attempted.
 */
import type { JsonObject, JsonValue } from '../../model/index.js';
import type { JsonPatchOperation } from './client.js';

type Entry = JsonObject;

const isMap = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** client-node turns `time` into a Date; the API wants RFC 3339 at second precision. */
function timeString(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return typeof value === 'string' ? value : undefined;
}

/** A managed-fields entry as JSON the API server accepts back. */
function plainEntry(entry: Entry): Entry {
  const time = timeString(entry['time'] as unknown);
  const { time: _, ...rest } = entry;
  return time ? { ...rest, time } : rest;
}

/** Union of two FieldsV1 sets (nested maps whose leaves are `{}`). */
export function unionFields(a: JsonValue | undefined, b: JsonValue | undefined): JsonObject {
  const left = isMap(a) ? a : {};
  const right = isMap(b) ? b : {};
  const out: JsonObject = { ...left };
  for (const [key, value] of Object.entries(right)) out[key] = unionFields(left[key], value);
  return out;
}

const isOwn = (entry: Entry, manager: string, operation: string) =>
  entry['manager'] === manager && entry['operation'] === operation && !entry['subresource'];

/**
 * The managed fields after upgrading `manager`'s `Update` entries to its `Apply` entry, or undefined when the
 * object has none (nothing to do). Other managers' entries and subresource entries are kept as they are.
 */
export function upgradedManagedFields(object: JsonObject, manager: string): Entry[] | undefined {
  const metadata = isMap(object['metadata']) ? object['metadata'] : {};
  const entries = (Array.isArray(metadata['managedFields']) ? metadata['managedFields'] : []).filter(isMap);
  const legacy = entries.filter((e) => isOwn(e, manager, 'Update'));
  if (legacy.length === 0) return undefined;
  const applied = entries.find((e) => isOwn(e, manager, 'Apply'));
  let fields: JsonObject = isMap(applied?.['fieldsV1']) ? applied['fieldsV1'] : {};
  for (const entry of legacy) fields = unionFields(fields, entry['fieldsV1']);
  const times = [applied, ...legacy]
    .map((e) => timeString(e?.['time'] as unknown))
    .filter((t): t is string => t !== undefined)
    .sort();
  const upgraded: Entry = {
    manager,
    operation: 'Apply',
    apiVersion: String(applied?.['apiVersion'] ?? legacy[0]?.['apiVersion'] ?? object['apiVersion']),
    ...(times.length > 0 ? { time: times[times.length - 1] as string } : {}),
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
  };
  const kept = entries.filter((e) => e !== applied && !legacy.includes(e)).map(plainEntry);
  return [...kept, upgraded];
}

/**
 * The JSON patch that performs the upgrade, or undefined when none is needed. Replacing `resourceVersion`
 * with its current value makes the server refuse (409) if the object changed since it was read.
 */
export function managedFieldsUpgradePatch(
  object: JsonObject,
  manager: string,
): JsonPatchOperation[] | undefined {
  const upgraded = upgradedManagedFields(object, manager);
  if (!upgraded) return undefined;
  const resourceVersion = isMap(object['metadata']) ? object['metadata']['resourceVersion'] : undefined;
  return [
    { op: 'replace', path: '/metadata/managedFields', value: upgraded },
    ...(typeof resourceVersion === 'string'
      ? [{ op: 'replace' as const, path: '/metadata/resourceVersion', value: resourceVersion }]
      : []),
  ];
}

/** True when the object carries an `Update` entry of `manager` (written by the original Kusion). */
export const needsManagedFieldsUpgrade = (object: JsonObject, manager: string): boolean =>
  upgradedManagedFields(object, manager) !== undefined;
