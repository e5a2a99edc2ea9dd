import type { JsonObject, JsonValue, PackPolicy, PolicySeverity } from '../model/index.js';
import type { PolicySubject } from './subjects.js';
import type { PolicyViolation } from './types.js';

/**
 * The built-in `baseline` pack (SPEC §15): the base model every production workload should meet. Each rule
 * looks at one planned resource and returns what is wrong with it; deletions are never judged (removing a
 * non-compliant resource must stay possible).
 */

/** A finding of one baseline rule on one resource. */
type Check = (subject: PolicySubject) => string[];

interface Container {
  readonly name: string;
  readonly body: JsonObject;
}

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const objectAt = (value: JsonValue | undefined, key: string): JsonObject | undefined =>
  isObject(value) && isObject(value[key]) ? value[key] : undefined;

/** The pod spec of a workload object, whatever its kind. */
function podSpecOf(subject: PolicySubject): JsonObject | undefined {
  const { resource } = subject;
  if (resource.type !== 'Kubernetes') return undefined;
  const attributes = resource.attributes;
  switch (attributes['kind']) {
    case 'Pod':
      return objectAt(attributes, 'spec');
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return objectAt(objectAt(objectAt(attributes, 'spec'), 'template'), 'spec');
    case 'CronJob':
      return objectAt(
        objectAt(objectAt(objectAt(objectAt(attributes, 'spec'), 'jobTemplate'), 'spec'), 'template'),
        'spec',
      );
    default:
      return undefined;
  }
}

function containersOf(pod: JsonObject): Container[] {
  const all: Container[] = [];
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    const list = pod[key];
    if (!Array.isArray(list)) continue;
    for (const item of list)
      if (isObject(item))
        all.push({ name: typeof item['name'] === 'string' ? item['name'] : '?', body: item });
  }
  return all;
}

/** Pinned: a digest, or a tag other than `latest` (a registry port is not a tag). */
export function isPinnedImage(image: string): boolean {
  if (image.includes('@')) return true;
  const name = image.slice(image.lastIndexOf('/') + 1);
  const colon = name.lastIndexOf(':');
  if (colon < 0) return false;
  const tag = name.slice(colon + 1);
  return tag !== '' && tag !== 'latest';
}

const forContainers =
  (check: (container: Container, pod: JsonObject) => string | undefined): Check =>
  (subject) => {
    const pod = podSpecOf(subject);
    if (!pod) return [];
    return containersOf(pod)
      .map((c) => check(c, pod))
      .filter((m): m is string => m !== undefined);
  };

const pinnedImages = forContainers(({ name, body }) => {
  const image = body['image'];
  if (typeof image !== 'string') return `container "${name}" has no image`;
  if (isPinnedImage(image)) return undefined;
  return `container "${name}" uses image "${image}": pin a version tag other than latest, or a digest`;
});

const resourceLimits = forContainers(({ name, body }) => {
  const limits = objectAt(objectAt(body, 'resources'), 'limits');
  const missing = ['cpu', 'memory'].filter((r) => limits?.[r] === undefined || limits[r] === null);
  return missing.length === 0 ? undefined : `container "${name}" sets no ${missing.join(' or ')} limit`;
});

const runAsNonRoot = forContainers(({ name, body }, pod) => {
  const own = objectAt(body, 'securityContext')?.['runAsNonRoot'];
  const inherited = objectAt(pod, 'securityContext')?.['runAsNonRoot'];
  return (own ?? inherited) === true
    ? undefined
    : `container "${name}" may run as root: set securityContext.runAsNonRoot: true`;
});

const noPrivilegeEscalation = forContainers(({ name, body }) => {
  const context = objectAt(body, 'securityContext');
  if (context?.['privileged'] === true) return `container "${name}" is privileged`;
  return context?.['allowPrivilegeEscalation'] === false
    ? undefined
    : `container "${name}" may escalate privileges: set securityContext.allowPrivilegeEscalation: false`;
});

const noHostPath: Check = (subject) => {
  const volumes = podSpecOf(subject)?.['volumes'];
  if (!Array.isArray(volumes)) return [];
  return volumes
    .filter((v): v is JsonObject => isObject(v) && v['hostPath'] !== undefined)
    .map((v) => `volume "${String(v['name'])}" mounts a hostPath`);
};

const noHostNetwork: Check = (subject) =>
  podSpecOf(subject)?.['hostNetwork'] === true ? ['the pod uses the host network (hostNetwork: true)'] : [];

const loadBalancerViaNetwork: Check = ({ resource, module }) => {
  const attributes = resource.attributes;
  if (resource.type !== 'Kubernetes' || attributes['kind'] !== 'Service') return [];
  if (objectAt(attributes, 'spec')?.['type'] !== 'LoadBalancer' || module === 'network') return [];
  return [
    `a LoadBalancer Service ${module ? `from module "${module}"` : 'outside any module'}: expose public ports through the network module`,
  ];
};

/** Terraform database types and the attribute that makes each reachable from the internet. */
const publicDatabaseChecks: readonly {
  readonly type: RegExp;
  readonly isPublic: (a: JsonObject) => boolean;
}[] = [
  { type: /_db_instance$|_rds_cluster(_instance)?$/, isPublic: (a) => a['publicly_accessible'] === true },
  {
    type: /^azurerm_(postgresql|mysql|mariadb)_(flexible_)?server$/,
    isPublic: (a) => a['public_network_access_enabled'] === true,
  },
];

const noPublicDatabase: Check = ({ resource }) => {
  if (resource.type !== 'Terraform') return [];
  const type = String(resource.extensions?.['resourceType'] ?? resource.id.split(':')[2] ?? '');
  const check = publicDatabaseChecks.find((c) => c.type.test(type));
  return check?.isPublic(resource.attributes)
    ? [`${type} is publicly accessible: restrict its allowed networks, or except this resource`]
    : [];
};

/** The rules of the pack, by name. */
export const baselineRules: Readonly<Record<string, Check>> = {
  'pinned-images': pinnedImages,
  'resource-limits': resourceLimits,
  'run-as-non-root': runAsNonRoot,
  'no-privilege-escalation': noPrivilegeEscalation,
  'no-host-path': noHostPath,
  'no-host-network': noHostNetwork,
  'load-balancer-via-network': loadBalancerViaNetwork,
  'no-public-database': noPublicDatabase,
};

/** Names of the baseline rules, for `except` validation and "did you mean". */
export const baselineRuleNames: readonly string[] = Object.keys(baselineRules).sort();

/** The rule an `except` entry names: `<rule>` or `<rule>:<resource ID>`. */
export function exceptedRule(entry: string): string {
  const colon = entry.indexOf(':');
  return colon < 0 ? entry : entry.slice(0, colon);
}

/** Evaluates the pack over the planned resources, honouring `except` and the pack's severity. */
export function evaluateBaseline(pack: PackPolicy, subjects: readonly PolicySubject[]): PolicyViolation[] {
  const severity: PolicySeverity = pack.severity ?? 'deny';
  const except = new Set(pack.except ?? []);
  const violations: PolicyViolation[] = [];
  for (const rule of baselineRuleNames) {
    if (except.has(rule)) continue;
    const check = baselineRules[rule];
    if (!check) continue;
    for (const subject of subjects) {
      if (except.has(`${rule}:${subject.resource.id}`)) continue;
      for (const message of check(subject))
        violations.push({ name: `baseline/${rule}`, severity, id: subject.resource.id, message });
    }
  }
  return violations;
}
