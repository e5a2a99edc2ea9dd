import type { JsonObject, JsonValue, Resource } from '../model/index.js';

/** Reads a nested map, or undefined when any step is missing or not a map. */
export function mapAt(value: JsonValue | undefined, path: readonly string[]): JsonObject | undefined {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = current[key];
  }
  return typeof current === 'object' && current !== null && !Array.isArray(current) ? current : undefined;
}

/** Reads or creates a nested map, for in-place edits of a resource copy. */
export function ensureMap(root: JsonObject, path: readonly string[]): JsonObject {
  let current = root;
  for (const key of path) {
    const next = current[key];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) current = next;
    else {
      const created: JsonObject = {};
      current[key] = created;
      current = created;
    }
  }
  return current;
}

const podTemplateKinds = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job']);

/** Path of the pod template inside a workload object, or undefined when it has none (SPEC §5.3). */
export function podTemplatePath(kind: string): readonly string[] | undefined {
  if (podTemplateKinds.has(kind)) return ['spec', 'template'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template'];
  if (kind === 'Pod') return [];
  return undefined;
}

/** The pod spec of a pod-bearing object (Pod, workloads, CronJob), if any. */
export function podSpecOf(resource: Resource): JsonObject | undefined {
  const path = podTemplatePath(String(resource.attributes['kind'] ?? ''));
  return path ? mapAt(resource.attributes, [...path, 'spec']) : undefined;
}

/** All containers of a pod spec: init, regular and ephemeral. */
export function containersOf(podSpec: JsonObject): JsonObject[] {
  return ['initContainers', 'containers', 'ephemeralContainers'].flatMap((key) => {
    const list = podSpec[key];
    return Array.isArray(list)
      ? list.filter((c): c is JsonObject => typeof c === 'object' && c !== null && !Array.isArray(c))
      : [];
  });
}
