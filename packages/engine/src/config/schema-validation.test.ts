import { describe, expect, it } from 'vitest';
import { validateWithSchema } from './schema-validation.js';
import { parseYaml } from './source-document.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['image'],
  properties: {
    image: { type: 'string' },
    replicas: { type: 'integer', minimum: 0, default: 1 },
    protocol: { enum: ['TCP', 'UDP'] },
  },
};

describe('validateWithSchema', () => {
  it('applies defaults to a copy and leaves the document untouched', () => {
    const { document } = parseYaml('image: nginx\n', 'main.yaml');
    const result = validateWithSchema(document, schema, 'KUS3001', 'web.workload');
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toEqual({ image: 'nginx', replicas: 1 });
    expect(document.value).toEqual({ image: 'nginx' });
  });

  it('reports every problem of the document at once, each located', () => {
    const { document } = parseYaml('replicas: -1\nimgae: nginx\nprotocol: tcp\n', 'main.yaml');
    const { diagnostics } = validateWithSchema(document, schema, 'KUS3001', 'web.workload');
    const byMessage = Object.fromEntries(diagnostics.map((d) => [d.message, d]));
    expect(Object.keys(byMessage).sort()).toEqual([
      'web.workload.protocol: must be one of "TCP", "UDP" (got "tcp")',
      'web.workload.replicas: must be >= 0 (got -1)',
      'web.workload: missing required field "image"',
      'web.workload: unknown field "imgae"',
    ]);
    expect(byMessage['web.workload: unknown field "imgae"']).toMatchObject({
      location: 'main.yaml:2:1',
      hint: 'did you mean "image"?',
    });
    expect(byMessage['web.workload.replicas: must be >= 0 (got -1)']?.location).toBe('main.yaml:1:11');
    expect(byMessage['web.workload.protocol: must be one of "TCP", "UDP" (got "tcp")']?.hint).toBe(
      'did you mean "TCP"?',
    );
  });
});
