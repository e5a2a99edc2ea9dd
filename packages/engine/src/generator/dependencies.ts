import { ReferencePrefix } from '@kusion/module-sdk';
import type { JsonObject, JsonValue, Resource } from '../model/index.js';
import { containersOf, mapAt, podSpecOf } from './kubernetes-paths.js';

/**
 * Adds inferred dependencies (SPEC §8.2) to `dependsOn`. Edges are added only when both ends are in the
 * spec; there is no kind-order list, so unrelated resources stay parallel. O(resources + references).
 */
export function inferDependencies(resources: readonly Resource[]): Resource[] {
  const ids = new Set(resources.map((r) => r.id));
  const crdByGroupKind = new Map<string, string>();
  for (const r of resources) {
    if (r.type === 'Kubernetes' && r.attributes['kind'] === 'CustomResourceDefinition') {
      const spec = mapAt(r.attributes, ['spec']);
      const kind = mapAt(r.attributes, ['spec', 'names'])?.['kind'];
      if (spec && typeof spec['group'] === 'string' && typeof kind === 'string')
        crdByGroupKind.set(`${spec['group']}/${kind}`, r.id);
    }
  }
  const pathIds = longestIdMatcher(ids);
  return resources.map((resource) => {
    const found = new Set(resource.dependsOn ?? []);
    const add = (id: string | undefined) => {
      if (id && id !== resource.id && ids.has(id)) found.add(id);
    };
    if (resource.type === 'Kubernetes') {
      const namespace = mapAt(resource.attributes, ['metadata'])?.['namespace'];
      if (typeof namespace === 'string') add(`v1:Namespace:${namespace}`);
      const apiVersion = String(resource.attributes['apiVersion'] ?? '');
      const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
      add(crdByGroupKind.get(`${group}/${String(resource.attributes['kind'])}`));
      if (typeof namespace === 'string') for (const id of podSpecDependencies(resource, namespace)) add(id);
    }
    for (const reference of collectPathReferences(resource.attributes)) add(pathIds(reference));
    return found.size === (resource.dependsOn?.length ?? 0) && resource.dependsOn
      ? resource
      : { ...resource, dependsOn: [...found].sort() };
  });
}

/** The ServiceAccount, ConfigMaps, Secrets and PVCs a pod-bearing workload uses. */
function podSpecDependencies(resource: Resource, namespace: string): string[] {
  const podSpec = podSpecOf(resource);
  if (!podSpec) return [];
  const ids: string[] = [];
  const configMap = (name: JsonValue | undefined) =>
    typeof name === 'string' && ids.push(`v1:ConfigMap:${namespace}:${name}`);
  const secret = (name: JsonValue | undefined) =>
    typeof name === 'string' && ids.push(`v1:Secret:${namespace}:${name}`);
  const serviceAccount = podSpec['serviceAccountName'];
  if (typeof serviceAccount === 'string') ids.push(`v1:ServiceAccount:${namespace}:${serviceAccount}`);
  for (const pullSecret of asMaps(podSpec['imagePullSecrets'])) secret(pullSecret['name']);
  for (const volume of asMaps(podSpec['volumes'])) {
    configMap(mapAt(volume, ['configMap'])?.['name']);
    secret(mapAt(volume, ['secret'])?.['secretName']);
    const claim = mapAt(volume, ['persistentVolumeClaim'])?.['claimName'];
    if (typeof claim === 'string') ids.push(`v1:PersistentVolumeClaim:${namespace}:${claim}`);
    for (const source of asMaps(mapAt(volume, ['projected'])?.['sources'])) {
      configMap(mapAt(source, ['configMap'])?.['name']);
      secret(mapAt(source, ['secret'])?.['name']);
    }
  }
  for (const container of containersOf(podSpec)) {
    for (const env of asMaps(container['env'])) {
      configMap(mapAt(env, ['valueFrom', 'configMapKeyRef'])?.['name']);
      secret(mapAt(env, ['valueFrom', 'secretKeyRef'])?.['name']);
    }
    for (const from of asMaps(container['envFrom'])) {
      configMap(mapAt(from, ['configMapRef'])?.['name']);
      secret(mapAt(from, ['secretRef'])?.['name']);
    }
  }
  return ids;
}

function asMaps(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value)
    ? value.filter((v): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v))
    : [];
}

/** Every whole-string `$kusion_path.` value in an attribute tree, without the prefix. */
export function collectPathReferences(value: JsonValue): string[] {
  const found: string[] = [];
  const visit = (v: JsonValue) => {
    if (typeof v === 'string') {
      if (v.startsWith(ReferencePrefix.path)) found.push(v.slice(ReferencePrefix.path.length));
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(visit);
  };
  visit(value);
  return found;
}

/**
 * IDs may contain dots, so `<id>.<path>` is split by trying the longest spec ID that prefixes it
 * (SPEC §7.4). Candidates are found by cutting at each dot, so the cost is the number of dots.
 */
export function longestIdMatcher(ids: ReadonlySet<string>): (reference: string) => string | undefined {
  return (reference) => {
    for (let cut = reference.lastIndexOf('.'); cut > 0; cut = reference.lastIndexOf('.', cut - 1)) {
      const candidate = reference.slice(0, cut);
      if (ids.has(candidate)) return candidate;
    }
    return undefined;
  };
}
