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
    for (const dependency of new Set(resource.dependsOn ?? [])) {
      if (!graph.hasNode(dependency)) continue;
      graph.addDependency(resource.id, dependency);
      const list = dependents.get(dependency) ?? [];
      list.push(resource.id);
      dependents.set(dependency, list);
    }
  }
  try {
    graph.overallOrder();
  } catch (error) {
    if (error instanceof DepGraphCycleError) {
      throw new KusionError(Codes.dependencyCycle, `dependency cycle: ${error.cyclePath.join(' → ')}`, {
        location: error.cyclePath[0],
      });
    }
    throw error;
  }
  const byId = new Map(sorted.map((r) => [r.id, r]));
  return {
    order: topologicalOrder(sorted, dependents),
    dependenciesOf: (id) => byId.get(id)?.dependsOn ?? [],
    dependentsOf: (id) => dependents.get(id) ?? [],
  };
}

/** Kahn's algorithm with a min-heap on ID, so independent resources come in ID order: O((V+E) log V). */
function topologicalOrder(
  sorted: readonly Resource[],
  dependents: ReadonlyMap<string, readonly string[]>,
): string[] {
  const ids = new Set(sorted.map((r) => r.id));
  const pending = new Map(
    sorted.map((r) => [r.id, new Set((r.dependsOn ?? []).filter((d) => ids.has(d))).size]),
  );
  const ready = new MinHeap();
  for (const [id, count] of pending) if (count === 0) ready.push(id);
  const order: string[] = [];
  for (let id = ready.pop(); id !== undefined; id = ready.pop()) {
    order.push(id);
    for (const dependent of dependents.get(id) ?? []) {
      const left = (pending.get(dependent) ?? 0) - 1;
      pending.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  return order;
}

/** A binary min-heap of strings in code-point order. */
class MinHeap {
  private readonly items: string[] = [];

  push(item: string): void {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if ((items[parent] ?? '') <= item) break;
      items[i] = items[parent] ?? '';
      items[parent] = item;
      i = parent;
    }
  }

  pop(): string | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < items.length && (items[left] ?? '') < (items[smallest] ?? '')) smallest = left;
      if (right < items.length && (items[right] ?? '') < (items[smallest] ?? '')) smallest = right;
      if (smallest === i) break;
      [items[i], items[smallest]] = [items[smallest] ?? '', items[i] ?? ''];
      i = smallest;
    }
    return top;
  }
}
