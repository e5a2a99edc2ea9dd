import type { JsonObject, KubernetesObject } from '@kusion/module-sdk';
import { ModuleInputError } from '@kusion/module-sdk';
import { sha256Hex } from '../shared/hash.js';
import { compact, sortedEntries } from '../shared/object.js';
import { containerEnv } from './env.js';
import { containerVolumes } from './files.js';
import { lifecycle, probe } from './probes.js';
import { resourceRequirements } from './resources.js';
import type { ContainerInputs } from './schema.js';

/** Pod annotation whose value changes with the content of inline files, so pods roll when it changes. */
export const filesChecksumAnnotation = 'kusion.io/files-checksum';

/** What the pod template needs from a workload's containers. */
export interface PodContainers {
  readonly containers: JsonObject[];
  readonly volumes: JsonObject[];
  /** ConfigMap objects for inline files, in container then path order. */
  readonly configMaps: KubernetesObject[];
  /** SHA-256 over the inline files; `undefined` when there are none. */
  readonly filesChecksum: string | undefined;
}

/** Naming context of a workload's containers. */
export interface ContainerContext {
  /** `<P>-<S>-<A>`. */
  readonly appName: string;
  readonly namespace: string;
  /** Labels the ConfigMaps carry. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Maps the developer's containers (in name order) to Kubernetes containers, with the volumes and ConfigMaps
 * their files and dirs need (SPEC §6.2).
 */
export function podContainers(
  ctx: ContainerContext,
  inputs: Readonly<Record<string, ContainerInputs>>,
): PodContainers {
  const entries = sortedEntries(inputs);
  if (entries.length === 0) throw new ModuleInputError('containers: declare at least one container');
  const containers: JsonObject[] = [];
  const volumes: JsonObject[] = [];
  const configMaps: KubernetesObject[] = [];
  const checksumParts: string[] = [];
  for (const [name, input] of entries) {
    const where = `container ${name}`;
    const mounted = containerVolumes({ ...ctx, containerName: name }, input.files, input.dirs);
    const env = containerEnv(name, input.env);
    containers.push(
      compact({
        name,
        image: input.image,
        command: input.command ? [...input.command] : undefined,
        args: input.args ? [...input.args] : undefined,
        workingDir: input.workingDir,
        env: env.length > 0 ? env : undefined,
        resources: resourceRequirements(input.resources),
        volumeMounts: mounted.mounts.length > 0 ? mounted.mounts : undefined,
        livenessProbe: input.livenessProbe
          ? probe(input.livenessProbe, `${where}: livenessProbe`)
          : undefined,
        readinessProbe: input.readinessProbe
          ? probe(input.readinessProbe, `${where}: readinessProbe`)
          : undefined,
        startupProbe: input.startupProbe ? probe(input.startupProbe, `${where}: startupProbe`) : undefined,
        lifecycle: lifecycle(input.lifecycle, `${where}: lifecycle`),
      }),
    );
    volumes.push(...mounted.volumes);
    configMaps.push(...mounted.configMaps);
    for (const [path, content] of mounted.inlineFiles) {
      // Length-prefixed so no two different sets of files can produce the same byte stream.
      checksumParts.push(`${name.length}:${name}${path.length}:${path}${content.length}:${content}`);
    }
  }
  return {
    containers,
    volumes,
    configMaps,
    filesChecksum: checksumParts.length > 0 ? sha256Hex(checksumParts.join('')) : undefined,
  };
}
