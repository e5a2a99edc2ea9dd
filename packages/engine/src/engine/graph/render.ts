import { inferDependencies } from '../../generator/dependencies.js';
import type { Resource } from '../../model/index.js';

/** How an edge came to be (SPEC §15 resource graph). */
export type EdgeOrigin = 'explicit' | 'inferred' | 'reference';

export interface GraphNode {
  readonly id: string;
  readonly type: Resource['type'];
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | null;
  readonly app: string | null;
  readonly module: string | null;
  readonly workload: boolean;
  readonly status: string;
  readonly cloudId: string | null;
}

export interface GraphEdge {
  readonly dependent: string;
  readonly dependency: string;
  readonly origin: EdgeOrigin;
}

export interface ResourceGraphView {
  readonly formatVersion: 1;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

function nodeOf(resource: Resource, status: string): GraphNode {
  const parts = resource.id.split(':');
  const metadata = (resource.attributes['metadata'] ?? {}) as { name?: string; namespace?: string };
  const source = String(resource.extensions?.['kusion.io/source'] ?? '');
  const [app, , moduleRef] = source.split('/');
  const cloudId = resource.attributes['arn'] ?? resource.attributes['id'];
  return {
    id: resource.id,
    type: resource.type,
    kind:
      resource.type === 'Kubernetes'
        ? String(resource.attributes['kind'] ?? parts[1])
        : String(resource.extensions?.['resourceType'] ?? parts[2]),
    name: resource.type === 'Kubernetes' ? String(metadata.name ?? parts.at(-1)) : String(parts[3] ?? ''),
    namespace: metadata.namespace ?? null,
    app: app || null,
    module: moduleRef ? (moduleRef.split('@')[0] ?? null) : null,
    workload:
      resource.extensions?.['kusion.io/is-workload'] === true ||
      resource.extensions?.['kusion.io/is-workload'] === 'true',
    status,
    cloudId: typeof cloudId === 'string' ? cloudId : null,
  };
}

/** Nodes sorted by ID and edges with their origin: explicit `dependsOn` from modules, references, inference. */
export function graphView(resources: readonly Resource[], status: (id: string) => string): ResourceGraphView {
  const sorted = [...resources].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const inferred = new Map(
    inferDependencies(sorted.map((r) => ({ ...r, dependsOn: [] }))).map((r) => [r.id, new Set(r.dependsOn)]),
  );
  const ids = new Set(sorted.map((r) => r.id));
  const edges: GraphEdge[] = [];
  for (const resource of sorted) {
    const text = JSON.stringify(resource.attributes);
    for (const dependency of (resource.dependsOn ?? []).filter((d) => ids.has(d))) {
      const origin: EdgeOrigin = text.includes(`$kusion_path.${dependency}.`)
        ? 'reference'
        : inferred.get(resource.id)?.has(dependency)
          ? 'inferred'
          : 'explicit';
      edges.push({ dependent: resource.id, dependency, origin });
    }
  }
  return { formatVersion: 1, nodes: sorted.map((r) => nodeOf(r, status(r.id))), edges };
}

const mermaidId = (index: number) => `n${index}`;

/** Mermaid `flowchart LR`, arrows from dependency to dependent. */
export function toMermaid(view: ResourceGraphView): string {
  const index = new Map(view.nodes.map((n, i) => [n.id, i]));
  const lines = [
    'flowchart LR',
    ...view.nodes.map((n, i) => `  ${mermaidId(i)}["${n.id.replace(/"/g, '#quot;')}"]`),
  ];
  for (const e of view.edges)
    lines.push(`  ${mermaidId(index.get(e.dependency) ?? 0)} --> ${mermaidId(index.get(e.dependent) ?? 0)}`);
  return `${lines.join('\n')}\n`;
}

/** Graphviz DOT, arrows from dependency to dependent. */
export function toDot(view: ResourceGraphView): string {
  const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = ['digraph kusion {', '  rankdir=LR;', ...view.nodes.map((n) => `  ${quote(n.id)};`)];
  for (const e of view.edges)
    lines.push(`  ${quote(e.dependency)} -> ${quote(e.dependent)} [label=${quote(e.origin)}];`);
  return `${lines.join('\n')}\n}\n`;
}
