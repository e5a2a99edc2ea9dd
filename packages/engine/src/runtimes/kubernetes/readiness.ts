import type { JsonObject, JsonValue } from '../../model/index.js';
import type { Readiness } from '../port.js';

type Condition = { type?: string; status?: string; reason?: string; message?: string };

const num = (value: JsonValue | undefined): number => (typeof value === 'number' ? value : 0);
const map = (value: JsonValue | undefined): JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};

function conditions(status: JsonObject): Condition[] {
  const list = status['conditions'];
  return Array.isArray(list) ? (list as Condition[]) : [];
}

const ready = (message = 'ready'): Readiness => ({ state: 'ready', message });
const progressing = (message: string): Readiness => ({ state: 'progressing', message });
const failed = (message: string): Readiness => ({ state: 'failed', message });

/**
 * Readiness of a live object by kstatus rules (SPEC §11.4). Pure: the runtime reads, this decides.
 */
export function readinessOf(object: JsonObject): Readiness {
  const kind = String(object['kind'] ?? '');
  const spec = map(object['spec']);
  const status = map(object['status']);
  const metadata = map(object['metadata']);
  const observed = status['observedGeneration'];
  if (typeof observed === 'number' && observed < num(metadata['generation']))
    return progressing('waiting for the controller to observe the latest generation');
  const conds = conditions(status);
  const condition = (type: string) => conds.find((c) => c.type === type);
  switch (kind) {
    case 'Deployment': {
      const progressingCondition = condition('Progressing');
      if (progressingCondition?.reason === 'ProgressDeadlineExceeded')
        return failed(`progress deadline exceeded: ${progressingCondition.message ?? ''}`.trim());
      const want = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
      const updated = num(status['updatedReplicas']);
      const available = num(status['availableReplicas']);
      const readyReplicas = num(status['readyReplicas']);
      const total = num(status['replicas']);
      if (updated < want) return progressing(`${updated}/${want} updated`);
      if (total > updated) return progressing(`${total - updated} old replicas pending termination`);
      if (available < want || readyReplicas < want) return progressing(`${available}/${want} available`);
      return ready(`${available}/${want} available`);
    }
    case 'StatefulSet': {
      const want = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
      const readyReplicas = num(status['readyReplicas']);
      if (readyReplicas < want || num(status['updatedReplicas']) < want)
        return progressing(`${readyReplicas}/${want} ready`);
      if (status['currentRevision'] !== status['updateRevision'])
        return progressing('rolling update in progress');
      return ready(`${readyReplicas}/${want} ready`);
    }
    case 'DaemonSet': {
      const desired = num(status['desiredNumberScheduled']);
      const available = num(status['numberAvailable']);
      if (num(status['updatedNumberScheduled']) < desired || available < desired)
        return progressing(`${available}/${desired} available`);
      return ready(`${available}/${desired} available`);
    }
    case 'ReplicaSet': {
      const want = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
      const available = num(status['availableReplicas']);
      return available < want
        ? progressing(`${available}/${want} available`)
        : ready(`${available}/${want} available`);
    }
    case 'Job': {
      if (condition('Failed')?.status === 'True') return failed(condition('Failed')?.message ?? 'job failed');
      return condition('Complete')?.status === 'True'
        ? ready('complete')
        : progressing(`${num(status['succeeded'])} succeeded`);
    }
    case 'Pod': {
      if (status['phase'] === 'Failed') return failed(String(status['message'] ?? 'pod failed'));
      if (status['phase'] === 'Succeeded' || condition('Ready')?.status === 'True') return ready();
      return progressing(`phase ${String(status['phase'] ?? 'Pending')}`);
    }
    case 'PersistentVolumeClaim': {
      if (status['phase'] === 'Lost') return failed('claim lost');
      return status['phase'] === 'Bound'
        ? ready('bound')
        : progressing(`phase ${String(status['phase'] ?? 'Pending')}`);
    }
    case 'Service': {
      if (spec['type'] !== 'LoadBalancer') return ready();
      const ingress = map(status['loadBalancer'])['ingress'];
      return Array.isArray(ingress) && ingress.length > 0
        ? ready()
        : progressing('waiting for a load balancer address');
    }
    case 'Namespace':
      return status['phase'] === 'Active' || status['phase'] === undefined
        ? ready()
        : progressing(`phase ${String(status['phase'])}`);
    case 'CustomResourceDefinition': {
      if (condition('NamesAccepted')?.status === 'False')
        return failed(condition('NamesAccepted')?.message ?? 'names not accepted');
      return condition('Established')?.status === 'True'
        ? ready('established')
        : progressing('waiting to be established');
    }
    case 'CronJob':
    case 'ConfigMap':
    case 'Secret':
    case 'ServiceAccount':
    case 'Role':
    case 'RoleBinding':
    case 'ClusterRole':
    case 'ClusterRoleBinding':
    case 'Ingress':
      return ready();
    default:
      return genericReadiness(conds);
  }
}

/** Custom resources: `Ready` if present, `Reconciling` means in progress, `Stalled` fails; none: ready. */
function genericReadiness(conds: Condition[]): Readiness {
  const stalled = conds.find((c) => c.type === 'Stalled' && c.status === 'True');
  if (stalled) return failed(stalled.message ?? stalled.reason ?? 'stalled');
  if (conds.some((c) => c.type === 'Reconciling' && c.status === 'True')) return progressing('reconciling');
  const readyCondition = conds.find((c) => c.type === 'Ready');
  if (!readyCondition) return ready();
  if (readyCondition.status === 'True') return ready();
  return progressing(readyCondition.message ?? readyCondition.reason ?? 'not ready');
}
