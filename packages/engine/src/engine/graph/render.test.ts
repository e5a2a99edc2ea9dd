import { describe, expect, it } from 'vitest';
import type { Resource } from '../../model/index.js';
import { graphView, toDot, toMermaid } from './render.js';

const ns: Resource = {
  id: 'v1:Namespace:shop',
  type: 'Kubernetes',
  attributes: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
};
const db: Resource = {
  id: 'hashicorp:random:random_password:pw',
  type: 'Terraform',
  attributes: { length: 16, id: 'none' },
  extensions: { resourceType: 'random_password' },
};
const extra: Resource = {
  id: 'v1:ConfigMap:shop:extra',
  type: 'Kubernetes',
  attributes: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra', namespace: 'shop' } },
};
const secret: Resource = {
  id: 'v1:Secret:shop:s',
  type: 'Kubernetes',
  attributes: {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'shop' },
    stringData: { p: '$kusion_path.hashicorp:random:random_password:pw.result' },
  },
  dependsOn: ['hashicorp:random:random_password:pw', 'v1:Namespace:shop', 'v1:ConfigMap:shop:extra'],
  extensions: { 'kusion.io/source': 'web/db/postgres@1.0.0' },
};

describe('graphView', () => {
  it('classifies edges as reference, inferred or explicit, nodes sorted by ID', () => {
    const view = graphView([secret, ns, db, extra], () => 'applied');
    expect(view.nodes.map((n) => n.id)).toEqual([db.id, extra.id, ns.id, secret.id]);
    expect(view.edges).toEqual([
      { dependent: secret.id, dependency: db.id, origin: 'reference' },
      { dependent: secret.id, dependency: ns.id, origin: 'inferred' },
      { dependent: secret.id, dependency: 'v1:ConfigMap:shop:extra', origin: 'explicit' },
    ]);
    expect(view.nodes[3]).toMatchObject({
      app: 'web',
      module: 'postgres',
      kind: 'Secret',
      namespace: 'shop',
    });
    expect(view.nodes[0]).toMatchObject({ kind: 'random_password', name: 'pw', cloudId: 'none' });
  });

  it('draws arrows from dependency to dependent in DOT and Mermaid', () => {
    const view = graphView([secret, ns], () => 'planned');
    expect(toDot(view)).toContain('"v1:Namespace:shop" -> "v1:Secret:shop:s" [label="inferred"];');
    expect(toMermaid(view)).toBe(
      'flowchart LR\n  n0["v1:Namespace:shop"]\n  n1["v1:Secret:shop:s"]\n  n0 --> n1\n',
    );
  });
});
