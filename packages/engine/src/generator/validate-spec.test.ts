import { kubernetesResource, terraformResource } from '@kusion/module-sdk';
import { describe, expect, it } from 'vitest';
import type { Resource } from '../model/index.js';
import { inferDependencies } from './dependencies.js';
import { mergeDuplicates, validateResources } from './validate-spec.js';

const ns = kubernetesResource({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });

describe('validateResources', () => {
  it('fills a missing namespace from a 4-part ID and reports ID/attribute mismatches', () => {
    const unnamespaced: Resource = {
      id: 'v1:ConfigMap:shop:a',
      type: 'Kubernetes',
      attributes: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
    };
    const wrong: Resource = {
      id: 'v1:ConfigMap:shop:b',
      type: 'Kubernetes',
      attributes: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b', namespace: 'shop' } },
    };
    const { resources, diagnostics } = validateResources([unnamespaced, wrong]);
    expect((resources[0]!.attributes['metadata'] as { namespace: string }).namespace).toBe('shop');
    expect(diagnostics).toMatchObject([
      {
        code: 'KUS3005',
        location: 'v1:ConfigMap:shop:b',
        message: 'ID says kind ConfigMap, attributes say Secret',
      },
    ]);
  });

  it('reports missing dependsOn targets and dangling $kusion_path references', () => {
    const r = kubernetesResource(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'a', namespace: 'shop' },
        data: { x: '$kusion_path.v1:Secret:shop:nope.data.x' },
      },
      { dependsOn: ['v1:Service:shop:gone'] },
    );
    expect(validateResources([r]).diagnostics.map((d) => d.code)).toEqual(['KUS3006', 'KUS3009']);
  });

  it('checks Terraform IDs against the provider extensions', () => {
    const good = terraformResource({
      provider: { source: 'hashicorp/random', version: '3.6.0' },
      type: 'random_password',
      name: 'a.b',
      attributes: {},
    });
    expect(good.id).toBe('hashicorp:random:random_password:a_b');
    expect(validateResources([good]).diagnostics).toEqual([]);
    const bad = { ...good, id: 'hashicorp:null:random_password:a_b' };
    expect(validateResources([bad]).diagnostics[0]?.code).toBe('KUS3005');
  });
});

describe('mergeDuplicates', () => {
  it('merges identical resources and rejects different ones with one ID', () => {
    const other = kubernetesResource({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop', labels: { a: 'b' } },
    });
    expect(mergeDuplicates([ns, structuredClone(ns)], new Map()).resources).toHaveLength(1);
    expect(mergeDuplicates([ns, other], new Map()).diagnostics[0]?.code).toBe('KUS3004');
  });
});

describe('inferDependencies', () => {
  it('links namespaced objects, pod references, CRDs and $kusion_path targets that exist in the spec', () => {
    const crd = kubernetesResource({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.acme.io' },
      spec: { group: 'acme.io', names: { kind: 'Widget' } },
    });
    const widget = kubernetesResource({
      apiVersion: 'acme.io/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'shop' },
    });
    const config = kubernetesResource({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'shop' },
    });
    const pvc = kubernetesResource({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'shop' },
    });
    const sa = kubernetesResource({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'runner', namespace: 'shop' },
    });
    const cron = kubernetesResource({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'job', namespace: 'shop' },
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: {
                serviceAccountName: 'runner',
                volumes: [
                  { name: 'd', persistentVolumeClaim: { claimName: 'data' } },
                  { name: 'p', projected: { sources: [{ configMap: { name: 'cfg' } }] } },
                ],
                containers: [
                  {
                    name: 'c',
                    envFrom: [{ secretRef: { name: 'not-in-spec' } }],
                    env: [{ name: 'X', value: '$kusion_path.v1:ConfigMap:shop:cfg.data.x' }],
                  },
                ],
              },
            },
          },
        },
      },
    });
    const result = inferDependencies([ns, crd, widget, config, pvc, sa, cron]);
    const deps = Object.fromEntries(result.map((r) => [r.id, r.dependsOn ?? []]));
    expect(deps[widget.id]).toEqual([crd.id, ns.id]);
    expect(deps[cron.id]).toEqual([config.id, ns.id, pvc.id, sa.id]);
    expect(deps[ns.id]).toEqual([]);
  });
});
