import { describe, expect, it } from 'vitest';
import type { Resource } from '../model/index.js';
import { partitionUnits } from './units.js';

const tf = (
  name: string,
  dependsOn: string[] = [],
  provider = 'kusion.test/kusion/kusiontest/0.1.0',
): Resource => ({
  id: `kusion:kusiontest:kusiontest_password:${name}`,
  type: 'Terraform',
  attributes: {},
  dependsOn,
  extensions: { provider, providerMeta: {}, resourceType: 'kusiontest_password' },
});
const k8s = (name: string, dependsOn: string[] = []): Resource => ({
  id: `v1:ConfigMap:ns:${name}`,
  type: 'Kubernetes',
  attributes: {},
  dependsOn,
});

describe('partitionUnits', () => {
  it('given Terraform resources depending only on each other and on Kubernetes, then one unit holds them all', () => {
    const resources = [
      k8s('cm'),
      tf('a', ['v1:ConfigMap:ns:cm']),
      tf('b', ['kusion:kusiontest:kusiontest_password:a']),
      tf('c'),
    ];
    expect(partitionUnits(resources)).toEqual([
      {
        name: 'main',
        members: [
          'kusion:kusiontest:kusiontest_password:c',
          'kusion:kusiontest:kusiontest_password:a',
          'kusion:kusiontest:kusiontest_password:b',
        ],
      },
    ]);
  });

  it('given a path Terraform → Kubernetes → Terraform, then the second Terraform resource runs in a later unit', () => {
    const a = tf('a');
    const cm = k8s('cm', [a.id]);
    const b = tf('b', [cm.id]);
    const independent = tf('z');
    expect(partitionUnits([b, cm, a, independent])).toEqual([
      { name: 'main', members: [a.id, independent.id] },
      { name: 'main-2', members: [b.id] },
    ]);
  });

  it('given one provider at two versions, then each version gets its own unit', () => {
    const old = tf('old', [], 'kusion.test/kusion/kusiontest/0.1.0');
    const current = tf('new', [], 'kusion.test/kusion/kusiontest/0.2.0');
    const units = partitionUnits([old, current]);
    expect(units.map((u) => u.members)).toEqual([[current.id], [old.id]]);
  });

  it('given no Terraform resources, then no units', () => {
    expect(partitionUnits([k8s('a')])).toEqual([]);
  });
});
