import { describe, expect, it } from 'vitest';
import { formatPath, parseYaml } from './source-document.js';

describe('parseYaml', () => {
  it('locates values and keys by path', () => {
    // given
    const text = 'web:\n  workload:\n    module: service\n    replicas: 2\n';
    // when
    const { document, diagnostics } = parseYaml(text, 'main.yaml');
    // then
    expect(diagnostics).toEqual([]);
    expect(document.value).toEqual({ web: { workload: { module: 'service', replicas: 2 } } });
    expect(document.locate(['web', 'workload', 'replicas'])).toBe('main.yaml:4:15');
    expect(document.locate(['web', 'workload', 'replicas'], 'key')).toBe('main.yaml:4:5');
  });

  it('falls back to the nearest located ancestor for a missing path', () => {
    const { document } = parseYaml('a:\n  b: 1\n', 'f.yaml');
    expect(document.locate(['a', 'missing', 'deeper'])).toBe('f.yaml:2:3');
  });

  it('locates list items', () => {
    const { document } = parseYaml('ports:\n  - port: 80\n  - port: 443\n', 'f.yaml');
    expect(document.locate(['ports', 1, 'port'])).toBe('f.yaml:3:11');
  });

  it('reports syntax errors with positions and duplicate keys as errors', () => {
    const { diagnostics } = parseYaml('a: 1\na: 2\n', 'dup.yaml');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'KUS1004', location: 'dup.yaml:2:1' });
  });
});

describe('formatPath', () => {
  it('renders keys with dots and indices with brackets', () => {
    expect(formatPath(['spec', 'containers', 0, 'image'])).toBe('spec.containers[0].image');
  });
});
