import type { JsonObject, JsonValue, KubernetesObject } from '@kusion/module-sdk';

/**
 * Kinds that are cluster-scoped, by `<group>/<kind>` (`''` is the core group). Generate has no cluster to ask,
 * so this lists the built-in kinds and a few widespread custom ones; custom kinds defined by a
 * CustomResourceDefinition in the same manifests are recognised from its `scope`.
 */
const clusterScoped = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy',
  'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment',
  'storage.k8s.io/VolumeAttributesClass',
  'scheduling.k8s.io/PriorityClass',
  'node.k8s.io/RuntimeClass',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/IPAddress',
  'networking.k8s.io/ServiceCIDR',
  'certificates.k8s.io/CertificateSigningRequest',
  'certificates.k8s.io/ClusterTrustBundle',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'resource.k8s.io/DeviceClass',
  'resource.k8s.io/ResourceSlice',
  'gateway.networking.k8s.io/GatewayClass',
  'snapshot.storage.k8s.io/VolumeSnapshotClass',
  'snapshot.storage.k8s.io/VolumeSnapshotContent',
  'cert-manager.io/ClusterIssuer',
  'external-secrets.io/ClusterSecretStore',
  'external-secrets.io/ClusterExternalSecret',
  'kyverno.io/ClusterPolicy',
]);

/** The API group of an `apiVersion` (`apps/v1` → `apps`, `v1` → `''`). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function field(value: JsonValue | undefined, key: string): JsonValue | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)[key]
    : undefined;
}

/** Decides whether objects are namespaced, learning custom kinds from the CRDs among them. */
export function scopeResolver(objects: readonly KubernetesObject[]): (object: KubernetesObject) => boolean {
  const cluster = new Set(clusterScoped);
  for (const object of objects) {
    if (apiGroup(object.apiVersion) !== 'apiextensions.k8s.io' || object.kind !== 'CustomResourceDefinition')
      continue;
    const spec = object['spec'];
    const group = field(spec, 'group');
    const kind = field(field(spec, 'names'), 'kind');
    if (typeof group === 'string' && typeof kind === 'string' && field(spec, 'scope') === 'Cluster') {
      cluster.add(`${group}/${kind}`);
    }
  }
  return (object) => !cluster.has(`${apiGroup(object.apiVersion)}/${object.kind}`);
}
