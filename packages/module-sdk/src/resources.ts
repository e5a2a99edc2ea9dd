import type { JsonObject, JsonValue, Resource } from './types.js';

/** Extension keys of SPEC §7.3. */
export const Extensions = {
  gvk: 'GVK',
  isWorkload: 'kusion.io/is-workload',
  healthPolicy: 'healthPolicy',
  provider: 'provider',
  providerMeta: 'providerMeta',
  resourceType: 'resourceType',
  importId: 'kusionstack.io/import-id',
  retain: 'kusion.io/retain',
  sensitive: 'kusion.io/sensitive',
  source: 'kusion.io/source',
} as const;

/** A deep copy of a JSON value, so a resource never shares an object with its caller or another resource. */
function copyJson(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(copyJson);
  if (value !== null && typeof value === 'object') return copyJsonObject(value);
  return value;
}

function copyJsonObject(object: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, copyJson(value)]));
}

/** The minimal shape of a Kubernetes object. */
export interface KubernetesObject extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: JsonObject & { name: string; namespace?: string };
}

/** ID of a Kubernetes object: `<apiVersion>:<Kind>[:<namespace>]:<name>`. */
export function kubernetesId(apiVersion: string, kind: string, name: string, namespace?: string): string {
  return namespace ? `${apiVersion}:${kind}:${namespace}:${name}` : `${apiVersion}:${kind}:${name}`;
}

export interface KubernetesResourceOptions {
  /** Marks this resource as the app's workload (exactly one per workload module). */
  readonly workload?: boolean;
  readonly dependsOn?: readonly string[];
  readonly extensions?: JsonObject;
}

/**
 * Wraps a Kubernetes object as a Resource with its ID and `GVK` extension. The extensions are copied; the object
 * becomes the resource's attributes as it is.
 */
export function kubernetesResource(
  object: KubernetesObject,
  options: KubernetesResourceOptions = {},
): Resource {
  const { apiVersion, kind, metadata } = object;
  const extensions: JsonObject = {
    ...copyJsonObject(options.extensions ?? {}),
    [Extensions.gvk]: `${apiVersion}, Kind=${kind}`,
  };
  if (options.workload) extensions[Extensions.isWorkload] = true;
  return {
    id: kubernetesId(apiVersion, kind, metadata.name, metadata.namespace),
    type: 'Kubernetes',
    attributes: object,
    ...(options.dependsOn ? { dependsOn: [...options.dependsOn] } : {}),
    extensions,
  };
}

export interface TerraformProvider {
  /** `<namespace>/<name>` or `<host>/<namespace>/<name>`, e.g. `hashicorp/random`. */
  readonly source: string;
  readonly version: string;
  /** Provider block arguments (never credentials), e.g. `{region: 'eu-west-1'}`. */
  readonly meta?: JsonObject;
}

export interface TerraformResourceOptions {
  readonly provider: TerraformProvider;
  readonly type: string;
  readonly name: string;
  readonly attributes: JsonObject;
  readonly dependsOn?: readonly string[];
  readonly extensions?: JsonObject;
}

const defaultRegistry = 'registry.terraform.io';

/** Terraform resource names allow only `[A-Za-z0-9_-]`; anything else becomes `_` (SPEC §6.1). */
export function terraformName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * Wraps a Terraform resource with its ID (`<ns>:<provider>:<type>:<name>`) and provider extensions. The provider
 * meta and the extensions are copied, so one meta object may serve many resources; the attributes are kept as
 * they are.
 */
export function terraformResource(options: TerraformResourceOptions): Resource {
  const parts = options.provider.source.split('/');
  const [host, namespace, providerName] = parts.length === 3 ? parts : [defaultRegistry, ...parts];
  const name = terraformName(options.name);
  return {
    id: `${namespace}:${providerName}:${options.type}:${name}`,
    type: 'Terraform',
    attributes: options.attributes,
    ...(options.dependsOn ? { dependsOn: [...options.dependsOn] } : {}),
    extensions: {
      ...copyJsonObject(options.extensions ?? {}),
      [Extensions.provider]: `${host}/${namespace}/${providerName}/${options.provider.version}`,
      [Extensions.providerMeta]: copyJsonObject(options.provider.meta ?? {}),
      [Extensions.resourceType]: options.type,
    },
  };
}
