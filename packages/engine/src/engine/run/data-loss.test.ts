import { describe, expect, it } from 'vitest';
import type { PlannedChange } from '../plan/plan.js';
import { dataLossRisks, kindOf } from './data-loss.js';

const change = (
  id: string,
  action: PlannedChange['action'],
  type: PlannedChange['type'] = 'Kubernetes',
  notes: string[] = [],
): PlannedChange => ({ id, type, action, notes, before: null, after: null, diff: [], liveVersion: null });

describe('dataLossRisks', () => {
  it('flags Delete and Replace of volumes, claims, stateful sets and namespaces', () => {
    const risks = dataLossRisks([
      change('v1:PersistentVolumeClaim:shop:data', 'Delete'),
      change('v1:PersistentVolume:pv-1', 'Replace'),
      change('apps/v1:StatefulSet:shop:db', 'Replace'),
      change('v1:Namespace:shop', 'Delete'),
      change('apps/v1:Deployment:shop:web', 'Delete'),
      change('v1:PersistentVolumeClaim:shop:logs', 'Update'),
    ]);
    expect(risks).toEqual([
      { id: 'v1:PersistentVolumeClaim:shop:data', action: 'Delete', kind: 'PersistentVolumeClaim' },
      { id: 'v1:PersistentVolume:pv-1', action: 'Replace', kind: 'PersistentVolume' },
      { id: 'apps/v1:StatefulSet:shop:db', action: 'Replace', kind: 'StatefulSet' },
      { id: 'v1:Namespace:shop', action: 'Delete', kind: 'Namespace' },
    ]);
  });

  it('flags Terraform types ending in _db_instance, _bucket, _volume or _disk, and nothing else', () => {
    const risks = dataLossRisks([
      change('hashicorp:aws:aws_db_instance:db', 'Delete', 'Terraform'),
      change('hashicorp:aws:aws_s3_bucket:assets', 'Replace', 'Terraform'),
      change('hashicorp:aws:aws_ebs_volume:v', 'Delete', 'Terraform'),
      change('hashicorp:google:google_compute_disk:d', 'Delete', 'Terraform'),
      change('hashicorp:aws:aws_s3_bucket_policy:p', 'Delete', 'Terraform'),
      change('hashicorp:aws:aws_security_group:sg', 'Delete', 'Terraform'),
      change('hashicorp:aws:aws_db_instance:other', 'Update', 'Terraform'),
    ]);
    expect(risks.map((r) => r.kind)).toEqual([
      'aws_db_instance',
      'aws_s3_bucket',
      'aws_ebs_volume',
      'google_compute_disk',
    ]);
  });

  it('does not flag retained or imported resources, which are only forgotten', () => {
    expect(
      dataLossRisks([
        change('v1:PersistentVolumeClaim:shop:data', 'Delete', 'Kubernetes', ['retained']),
        change('hashicorp:aws:aws_s3_bucket:b', 'Delete', 'Terraform', ['imported: only forgotten']),
      ]),
    ).toEqual([]);
  });

  it('reads the kind of Kubernetes IDs with and without a namespace, and the type of Terraform IDs', () => {
    expect(kindOf({ id: 'apps/v1:StatefulSet:ns:db', type: 'Kubernetes' })).toBe('StatefulSet');
    expect(kindOf({ id: 'v1:Namespace:ns', type: 'Kubernetes' })).toBe('Namespace');
    expect(kindOf({ id: 'hashicorp:aws:aws_db_instance:db', type: 'Terraform' })).toBe('aws_db_instance');
  });
});
