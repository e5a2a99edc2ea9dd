import { describe, expect, it } from 'vitest';
import { compileHealthPolicy } from './health-policy.js';

describe('health policies', () => {
  const compiled = compileHealthPolicy([
    'res.status.readyReplicas == res.spec.replicas',
    'res.metadata.name.startsWith("web")',
  ]);
  const policy = 'policy' in compiled ? compiled.policy : undefined;

  it('holds when every expression is true', () => {
    expect(
      policy?.check({ metadata: { name: 'web-1' }, spec: { replicas: 3 }, status: { readyReplicas: 3 } }),
    ).toEqual({ healthy: true });
  });

  it('is not healthy while an expression is false, or when evaluation fails (never silently healthy)', () => {
    expect(
      policy?.check({ metadata: { name: 'web-1' }, spec: { replicas: 3 }, status: { readyReplicas: 2 } }),
    ).toMatchObject({ healthy: false, reason: expect.stringContaining('is not true yet') });
    expect(policy?.check({ metadata: { name: 'web-1' }, spec: { replicas: 3 }, status: {} })).toMatchObject({
      healthy: false,
      reason: expect.stringContaining('failed'),
    });
  });

  it('reports expressions that do not compile', () => {
    expect(compileHealthPolicy('res.status.readyReplicas >')).toMatchObject({
      errors: [expect.stringContaining('res.status.readyReplicas >')],
    });
  });
});
