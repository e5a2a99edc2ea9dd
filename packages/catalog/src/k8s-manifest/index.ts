import { posix } from 'node:path';
import { defineModule, kubernetesResource, ModuleInputError, type Resource } from '@kusion/module-sdk';
import { errorMessage } from '../shared/errors.js';
import { parseInputs } from '../shared/inputs.js';
import { compareCodePoints } from '../shared/object.js';
import { catalogVersion } from '../version.js';
import { type ManifestObject, parseManifest } from './parse.js';
import { K8sManifestInput, K8sManifestPlatform } from './schema.js';
import { scopeResolver } from './scope.js';

const manifestExtension = /\.(ya?ml|json)$/i;

/** The platform's and the developer's files, normalised, de-duplicated and sorted. */
function manifestPaths(platformPaths: readonly string[], developerPaths: readonly string[]): string[] {
  const paths = new Set<string>();
  for (const path of [...platformPaths, ...developerPaths]) {
    if (path.endsWith('/') || !manifestExtension.test(path)) {
      throw new ModuleInputError(
        `k8s-manifest: "${path}" is not a .yaml, .yml or .json file; paths name files, so list the files ` +
          'of a directory one by one',
      );
    }
    paths.add(posix.normalize(path));
  }
  return [...paths].sort(compareCodePoints);
}

function read(readFile: (path: string) => string, path: string): string {
  try {
    return readFile(path);
  } catch (error) {
    throw new ModuleInputError(`k8s-manifest: cannot read ${path}: ${errorMessage(error)}`);
  }
}

/**
 * `k8s-manifest`: applies raw Kubernetes manifests (SPEC §6.6). Every document of the listed files becomes a
 * resource, unchanged except that namespaced objects without a namespace get the target namespace. Files are
 * read only through `req.readFile`, relative to the stack directory.
 */
export default defineModule<K8sManifestInput, K8sManifestPlatform>({
  name: 'k8s-manifest',
  version: catalogVersion,
  developerSchema: K8sManifestInput,
  platformSchema: K8sManifestPlatform,
  generate(req) {
    const inputs = parseInputs(K8sManifestInput, req.inputs, 'k8s-manifest inputs');
    const platform = parseInputs(K8sManifestPlatform, req.platform, 'k8s-manifest platform inputs');
    const manifests: ManifestObject[] = [];
    for (const path of manifestPaths(platform.paths, inputs.paths)) {
      manifests.push(...parseManifest(path, read(req.readFile, path)));
    }
    const isNamespaced = scopeResolver(manifests.map((manifest) => manifest.object));
    const seen = new Map<string, string>();
    const resources: Resource[] = [];
    for (const { object, source } of manifests) {
      if (isNamespaced(object) && object.metadata.namespace === undefined) {
        object.metadata.namespace = req.namespace;
      }
      const resource = kubernetesResource(object);
      const earlier = seen.get(resource.id);
      if (earlier !== undefined) {
        throw new ModuleInputError(
          `k8s-manifest: ${resource.id} is defined twice, in ${earlier} and in ${source}`,
        );
      }
      seen.set(resource.id, source);
      resources.push(resource);
    }
    return { resources };
  },
});
