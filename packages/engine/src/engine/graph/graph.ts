import { DepGraph, DepGraphCycleError } from 'dependency-graph';
import { Codes, KusionError } from '../../errors/index.js';
import type { Resource } from '../../model/index.js';

/** The resource dependency graph: edges point from a dependent to its dependencies. */
export interface ResourceGraph {
  /** IDs in execution order: dependencies first, ties broken by ID. */
  readonly order: readonly string[];
  dependenciesOf(id: string): readonly string[];
  dependentsOf(id: string): readonly string[];
}

/**
 * Builds the graph in O(V+E) and rejects a cycle with its path (KUS3007). `dependsOn` targets must
 * exist (checked before, KUS3006).
 */
export function buildGraph(resources: readonly Resource[]): ResourceGraph {
  const graph = new DepGraph<Resource>({ circular: false });
  const sorted = [...resources].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const resource of sorted) graph.addNode(resource.id, resource);
  const dependents = new Map<string, string[]>();
  for (const resource of sorted) {
    for (const dependency of resource.dependsOn ?? []) {
      if (!graph.hasNode(dependency)) continue;
      graph.addDependency(resource.id, dependency);
      const list = dependents.get(dependency) ?? [];
      list.push(resource.id);
      dependents.set(dependency, list);
    }
  }
  let order: string[];
  try {
    order = graph.overallOrder();
  } catch (error) {
    if (error instanceof DepGraphCycleError) {
      throw new KusionError(Codes.dependencyCycle, `dependency cycle: ${error.cyclePath.join(' → ')}`, { location: error.cyclePath[0] });
    }
    throw error;
  }
  const byId = new Map(sorted.map((r) => [r.id, r]));
  return {
    order,
    dependenciesOf: (id) => byId.get(id)?.dependsOn ?? [],
    dependentsOf: (id) => dependents.get(id) ?? [],
  };
}
