import type { JsonObject, KubernetesObject } from '@kusion/module-sdk';
import { nonEmpty } from './object.js';

/** Metadata of an object a catalog module emits. */
export interface ObjectMeta {
  readonly name: string;
  /** Omitted for cluster-scoped objects. */
  readonly namespace?: string | undefined;
  readonly labels?: Readonly<Record<string, string>> | undefined;
  /** Left out when empty. */
  readonly annotations?: Readonly<Record<string, string>> | undefined;
}

/** Builds a Kubernetes object: `apiVersion`, `kind`, `metadata`, then the body's fields. */
export function kubernetesObject(
  apiVersion: string,
  kind: string,
  meta: ObjectMeta,
  body: JsonObject = {},
): KubernetesObject {
  const metadata: KubernetesObject['metadata'] = { name: meta.name };
  if (meta.namespace !== undefined) metadata.namespace = meta.namespace;
  const labels = nonEmpty(meta.labels);
  if (labels) metadata['labels'] = labels;
  const annotations = nonEmpty(meta.annotations);
  if (annotations) metadata['annotations'] = annotations;
  const object: KubernetesObject = { apiVersion, kind, metadata };
  for (const [key, value] of Object.entries(body)) object[key] = value;
  return object;
}
