import { describe, expect, it } from 'vitest';
import type { Resource } from '../../model/index.js';
import { buildGraph } from './graph.js';

const node = (id: string, dependsOn: string[] = []): Resource => ({
  id,
  type: 'Kubernetes',
  attributes: {},
  dependsOn,
});

describe('buildGraph', () => {
  it('orders dependencies first, ties by ID', () => {
    const graph = buildGraph([node('c', ['a']), node('b'), node('a')]);
    expect(graph.order).toEqual(['a', 'b', 'c']);
    expect(graph.dependentsOf('a')).toEqual(['c']);
  });

  it('rejects a cycle with its path (KUS3007)', () => {
    expect(() => buildGraph([node('a', ['b']), node('b', ['c']), node('c', ['a'])])).toThrow(
      expect.objectContaining({ code: 'KUS3007', message: 'dependency cycle: a → b → c → a' }),
    );
  });

  it('orders a 10,000-resource graph', () => {
    const resources = Array.from({ length: 10_000 }, (_, i) =>
      node(`r${String(i).padStart(5, '0')}`, i > 0 ? [`r${String(Math.floor(i / 2)).padStart(5, '0')}`] : []),
    );
    const graph = buildGraph(resources);
    expect(graph.order).toHaveLength(10_000);
    expect(graph.order[0]).toBe('r00000');
  });
});
