import type { JsonObject } from '@kusion/module-sdk';
import { sortedEntries } from '../shared/object.js';

/**
 * Maps `resources` to Kubernetes requirements: `"<request>-<limit>"` sets both, a single value only the limit
 * (Kubernetes then uses the limit as the request too). Returns `undefined` when nothing is set.
 */
export function resourceRequirements(
  resources: Readonly<Record<string, string | number>> | undefined,
): JsonObject | undefined {
  const requests: JsonObject = {};
  const limits: JsonObject = {};
  for (const [name, raw] of sortedEntries(resources)) {
    const value = String(raw);
    // The schema's pattern allows at most one `-`, and quantities never contain one.
    const [first, second] = value.split('-');
    if (first === undefined) continue;
    if (second === undefined) {
      limits[name] = first;
    } else {
      requests[name] = first;
      limits[name] = second;
    }
  }
  const result: JsonObject = {};
  if (Object.keys(requests).length > 0) result['requests'] = requests;
  if (Object.keys(limits).length > 0) result['limits'] = limits;
  return Object.keys(result).length > 0 ? result : undefined;
}
