import type { JsonValue } from '../model/index.js';

/**
 * JSON to CEL values: objects become Maps and whole numbers ints, so `res.spec.replicas == 3` holds (CEL
 * has no implicit int/double equality on map values decoded from JSON). Plain loops: this runs over every
 * field of every planned resource a rule reads, and is a good part of a policy evaluation's cost.
 */
export function toCel(value: JsonValue | undefined): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const list: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) list[i] = toCel(value[i]);
    return list;
  }
  const map = new Map<string, unknown>();
  for (const key of Object.keys(value)) map.set(key, toCel(value[key]));
  return map;
}
