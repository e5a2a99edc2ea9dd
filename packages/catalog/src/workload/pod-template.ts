import { appLabels, type GenerateRequest, type JsonObject } from '@kusion/module-sdk';
import { compact, mergeMaps, nonEmpty } from '../shared/object.js';
import { filesChecksumAnnotation, type PodContainers } from './containers.js';

type StringMap = Readonly<Record<string, string>>;

/** Labels and annotations of a workload object and its pod template. */
export interface WorkloadMetadata {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** Labels and annotations from one source (workspace or AppConfiguration). */
export interface MetadataInputs {
  readonly labels?: StringMap | undefined;
  readonly annotations?: StringMap | undefined;
}

/**
 * Merges workload metadata: platform values, then the developer's (developer keys win), then the catalog
 * labels, which win over both because the selectors depend on them.
 */
export function workloadMetadata(
  req: Pick<GenerateRequest, 'project' | 'stack' | 'app'>,
  platform: MetadataInputs,
  developer: MetadataInputs,
): WorkloadMetadata {
  return {
    labels: mergeMaps(platform.labels, developer.labels, appLabels(req)),
    annotations: mergeMaps(platform.annotations, developer.annotations),
  };
}

/** A pod template carrying the workload metadata, the files checksum and the containers. */
export function podTemplate(meta: WorkloadMetadata, pod: PodContainers, spec: JsonObject = {}): JsonObject {
  const annotations: Record<string, string> = { ...meta.annotations };
  if (pod.filesChecksum !== undefined) annotations[filesChecksumAnnotation] = pod.filesChecksum;
  return {
    metadata: compact({ labels: { ...meta.labels }, annotations: nonEmpty(annotations) }),
    spec: compact({
      ...spec,
      containers: pod.containers,
      volumes: pod.volumes.length > 0 ? pod.volumes : undefined,
    }),
  };
}
