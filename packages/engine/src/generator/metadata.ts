import { Codes, type Diagnostic, diagnostic } from '../errors/index.js';
import type { JsonObject, Resource } from '../model/index.js';
import { ensureMap, podTemplatePath } from './kubernetes-paths.js';

export interface MetadataLayers {
  /** App-level `labels`/`annotations`: on every Kubernetes resource of the app and the workload's pods. */
  readonly app: {
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  /** The project's or stack's `kubernetesMetadata` extension: below app-level values. */
  readonly extension: {
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
}

/**
 * Adds app and extension metadata only where a key is absent (SPEC §8.1 step 5g); a different existing
 * value wins and raises warning KUS3016.
 */
export function addMetadata(
  resources: readonly Resource[],
  workloadId: string | undefined,
  layers: MetadataLayers,
  origin: string,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const fill = (target: JsonObject, values: Readonly<Record<string, string>>, what: string, id: string) => {
    for (const [key, value] of Object.entries(values)) {
      const existing = target[key];
      if (existing === undefined) target[key] = value;
      else if (existing !== value) {
        diagnostics.push(
          diagnostic(
            Codes.labelConflict,
            `${id}: ${what} "${key}" is already "${String(existing)}"; "${value}" is not applied`,
            origin,
            undefined,
            'warning',
          ),
        );
      }
    }
  };
  for (const resource of resources) {
    if (resource.type !== 'Kubernetes') continue;
    const targets: (readonly string[])[] = [['metadata']];
    const templatePath =
      resource.id === workloadId ? podTemplatePath(String(resource.attributes['kind'] ?? '')) : undefined;
    if (templatePath) targets.push([...templatePath, 'metadata']);
    for (const path of targets) {
      for (const layer of [layers.app, layers.extension]) {
        if (Object.keys(layer.labels).length > 0)
          fill(ensureMap(resource.attributes, [...path, 'labels']), layer.labels, 'label', resource.id);
        if (Object.keys(layer.annotations).length > 0)
          fill(
            ensureMap(resource.attributes, [...path, 'annotations']),
            layer.annotations,
            'annotation',
            resource.id,
          );
      }
    }
  }
  return diagnostics;
}
