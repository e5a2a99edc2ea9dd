import { kubernetesResource, removeSentinel } from '@kusion/module-sdk';
import { describe, expect, it } from 'vitest';
import { applyPatchers, mergePatch } from './patchers.js';

const deployment = kubernetesResource(
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { keep: 'yes', drop: 'me' } },
    spec: {
      template: {
        metadata: { labels: { a: '1' } },
        spec: { containers: [{ name: 'main', image: 'x', env: [{ name: 'DEV', value: '$(INJ)' }] }] },
      },
    },
  },
  { workload: true },
);
const service = kubernetesResource({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { ports: [{ port: 80 }] },
});

type Env = { name: string; value?: string }[];
const envOf = (r: { attributes: object } | undefined) =>
  (r!.attributes as { spec: { template: { spec: { containers: { env?: Env }[] } } } }).spec.template.spec
    .containers[0]?.env;

describe('applyPatchers', () => {
  it('prepends injected env in invocation order; a later var replaces an earlier one in place', () => {
    const { resources, diagnostics } = applyPatchers(
      [deployment],
      deployment.id,
      [
        {
          patcher: {
            environments: [
              { name: 'INJ', value: '1' },
              { name: 'OTHER', value: 'o' },
            ],
          },
          origin: 'a',
        },
        { patcher: { environments: [{ name: 'INJ', value: '2' }] }, origin: 'b' },
      ],
      'web',
    );
    expect(diagnostics).toEqual([]);
    expect(envOf(resources[0])).toEqual([
      { name: 'INJ', value: '2' },
      { name: 'OTHER', value: 'o' },
      { name: 'DEV', value: '$(INJ)' },
    ]);
  });

  it('removes labels and env vars set to the sentinel', () => {
    const { resources } = applyPatchers(
      [deployment],
      deployment.id,
      [
        {
          patcher: {
            labels: { drop: removeSentinel, added: 'x' },
            environments: [{ name: 'DEV', value: removeSentinel }],
          },
          origin: 'a',
        },
      ],
      'web',
    );
    const patched = resources[0]!.attributes as { metadata: { labels: object } };
    expect(patched.metadata.labels).toEqual({ keep: 'yes', added: 'x' });
    expect(envOf(resources[0])).toBeUndefined();
  });

  it('applies merge and JSON patches to resources of the app, sorted by ID, and refuses others', () => {
    const { resources, diagnostics } = applyPatchers(
      [deployment, service],
      deployment.id,
      [
        {
          patcher: {
            jsonPatcher: {
              [service.id]: {
                type: 'JSONPatch',
                payload: [{ op: 'replace', path: '/spec/ports/0/port', value: 8080 }],
              },
              [deployment.id]: { type: 'MergePatch', payload: { spec: { replicas: 3 } } },
              'v1:ConfigMap:other:x': { type: 'MergePatch', payload: {} },
            },
          },
          origin: 'web/net/network@1.0.0',
        },
      ],
      'web',
    );
    expect((resources[1]!.attributes as { spec: { ports: { port: number }[] } }).spec.ports[0]?.port).toBe(
      8080,
    );
    expect((resources[0]!.attributes as { spec: { replicas: number } }).spec.replicas).toBe(3);
    expect(diagnostics).toMatchObject([{ code: 'KUS3010', location: 'web/net/network@1.0.0' }]);
  });

  it('reports KUS3008 when a patcher needs a workload the app lacks', () => {
    const { diagnostics } = applyPatchers(
      [service],
      undefined,
      [{ patcher: { podLabels: { a: 'b' } }, origin: 'x' }],
      'web',
    );
    expect(diagnostics[0]?.code).toBe('KUS3008');
  });
});

describe('mergePatch (RFC 7396)', () => {
  it('merges maps, replaces lists and deletes nulls', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({
      a: { c: 2, d: 3 },
      l: [3],
    });
  });
});
