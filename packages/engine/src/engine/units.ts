import { Codes, KusionError } from '../errors/index.js';
import type { Resource } from '../model/index.js';
import { buildGraph } from './graph/index.js';

/** A Terraform root module: resources planned and applied by one OpenTofu run (SPEC §13.2). */
export interface TerraformUnit {
  /** Stable name: `main`, then `main-2`, … in order of first member; also the state key. */
  readonly name: string;
  /** Member IDs in execution order. */
  readonly members: readonly string[];
}

/**
 * Groups the Terraform resources of a spec into as few units as correctness allows: one, unless a
 * dependency path leaves Terraform and comes back (a unit cannot wait for a Kubernetes object in the
 * middle of one OpenTofu run), or one provider is pinned at two versions (one unit holds one version of a
 * provider). Rank = the most Terraform → other → Terraform crossings on any path into a resource; edges
 * never go to a lower rank and crossings always go to a higher one, so grouping by rank cannot create a
 * cycle between units. O(V+E).
 */
export function partitionUnits(resources: readonly Resource[]): TerraformUnit[] {
  const terraform = resources.filter((r) => r.type === 'Terraform');
  if (terraform.length === 0) return [];
  const byId = new Map(resources.map((r) => [r.id, r]));
  const order = buildGraph(resources).order;
  /** Per resource: the rank a Terraform resource depending on it would need at least. */
  const floor = new Map<string, number>();
  const rank = new Map<string, number>();
  for (const id of order) {
    const resource = byId.get(id) as Resource;
    const deps = (resource.dependsOn ?? []).filter((d) => byId.has(d));
    if (resource.type === 'Terraform') {
      const r = Math.max(0, ...deps.map((d) => floor.get(d) ?? 0));
      rank.set(id, r);
      floor.set(id, r);
    } else {
      // Leaving Terraform: whatever Terraform depends on this object must run in a later unit.
      const r = Math.max(
        0,
        ...deps.map((d) =>
          byId.get(d)?.type === 'Terraform' ? (rank.get(d) ?? 0) + 1 : (floor.get(d) ?? 0),
        ),
      );
      floor.set(id, r);
    }
  }
  const versions = providerVersionsBySource(terraform);
  const groups = new Map<string, string[]>();
  for (const id of order) {
    const resource = byId.get(id) as Resource;
    if (resource.type !== 'Terraform') continue;
    const provider = providerOf(resource);
    const split = (versions.get(provider.source)?.size ?? 0) > 1 ? `@${provider.version}` : '';
    const key = `${rank.get(id)}${split}`;
    groups.set(key, [...(groups.get(key) ?? []), id]);
  }
  const units = [...groups.values()].map((members, i) => ({
    name: i === 0 ? 'main' : `main-${i + 1}`,
    members,
  }));
  checkAcyclic(units, byId);
  return units;
}

/** `<host>/<namespace>/<name>/<version>` of a Terraform resource's `provider` extension. */
export interface ProviderRef {
  readonly host: string;
  readonly namespace: string;
  readonly name: string;
  readonly version: string;
  /** `<host>/<namespace>/<name>`. */
  readonly source: string;
}

export function providerOf(resource: Resource): ProviderRef {
  const text = String(resource.extensions?.['provider'] ?? '');
  const [host = '', namespace = '', name = '', version = ''] = text.split('/');
  return { host, namespace, name, version, source: `${host}/${namespace}/${name}` };
}

function providerVersionsBySource(resources: readonly Resource[]): Map<string, Set<string>> {
  const versions = new Map<string, Set<string>>();
  for (const resource of resources) {
    const { source, version } = providerOf(resource);
    versions.set(source, (versions.get(source) ?? new Set()).add(version));
  }
  return versions;
}

/** Two versions of one provider can still form a cycle between units of one rank: refuse it by name. */
function checkAcyclic(units: readonly TerraformUnit[], byId: ReadonlyMap<string, Resource>): void {
  if (units.length < 2) return;
  const unitOf = new Map(units.flatMap((u) => u.members.map((m) => [m, u.name] as const)));
  const nodes: Resource[] = [...byId.values()].map((r) => ({
    ...r,
    id: unitOf.get(r.id) ?? r.id,
    dependsOn: (r.dependsOn ?? [])
      .map((d) => unitOf.get(d) ?? d)
      .filter((d) => d !== (unitOf.get(r.id) ?? r.id)),
  }));
  const merged = new Map<string, Resource>();
  for (const node of nodes) {
    const seen = merged.get(node.id);
    merged.set(
      node.id,
      seen ? { ...seen, dependsOn: [...(seen.dependsOn ?? []), ...(node.dependsOn ?? [])] } : node,
    );
  }
  try {
    buildGraph([...merged.values()]);
  } catch (error) {
    throw new KusionError(
      Codes.dependencyCycle,
      `Terraform resources need two versions of one provider and depend on each other across them: ${error instanceof Error ? error.message : String(error)}`,
      { hints: ['pin one version of the provider for the whole stack (workspace providerVersions)'] },
    );
  }
}
