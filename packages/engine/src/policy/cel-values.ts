import type { JsonValue } from '../model/index.js';

/**
 * JSON to CEL values: objects become Maps and whole numbers ints, so `res.spec.replicas == 3` holds (CEL
 * has no implicit int/double equality on map values decoded from JSON).
 */
export function toCel(value: JsonValue | undefined): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === 'object' && value !== null)
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return value;
}
