/**
 * Rollback's guard (SPEC §15): deleting or replacing a resource that holds data cannot be undone by
 * another rollback. Such steps are flagged and need `--allow-destructive` on top of confirmation.
 */
import type { PlannedChange } from '../plan/plan.js';

/** Kubernetes kinds whose deletion loses data (volumes, their claims, stateful workloads, namespaces). */
const dataKinds = new Set(['PersistentVolumeClaim', 'PersistentVolume', 'StatefulSet', 'Namespace']);
/** Terraform types that store data. */
const dataTypes = /_(db_instance|bucket|volume|disk)$/;

/** A planned step that loses data. */
export interface DataLossRisk {
  readonly id: string;
  readonly action: 'Delete' | 'Replace';
  /** `StatefulSet`, `aws_db_instance`, …: what makes it a risk. */
  readonly kind: string;
}

/**
 * The kind (Kubernetes) or resource type (Terraform) an ID names: `apps/v1:StatefulSet:ns:db` →
 * `StatefulSet`, `hashicorp:aws:aws_db_instance:db` → `aws_db_instance`.
 */
export function kindOf(change: Pick<PlannedChange, 'id' | 'type'>): string {
  const parts = change.id.split(':');
  return (change.type === 'Kubernetes' ? parts[1] : parts[2]) ?? '';
}

/** The Delete and Replace steps of a plan that lose data; retained and imported ones are only forgotten. */
export function dataLossRisks(changes: readonly PlannedChange[]): DataLossRisk[] {
  return changes.flatMap((change): DataLossRisk[] => {
    if (change.action !== 'Delete' && change.action !== 'Replace') return [];
    if (change.action === 'Delete' && change.notes.some((n) => n === 'retained' || n.startsWith('imported')))
      return [];
    const kind = kindOf(change);
    const risky = change.type === 'Kubernetes' ? dataKinds.has(kind) : dataTypes.test(kind);
    return risky ? [{ id: change.id, action: change.action, kind }] : [];
  });
}
