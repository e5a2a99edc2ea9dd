import type { JsonObject, KubernetesObject } from '@kusion/module-sdk';
import { ModuleInputError } from '@kusion/module-sdk';
import { sha256Hex } from '../shared/hash.js';
import { kubernetesObject } from '../shared/kubernetes.js';
import { sortedEntries } from '../shared/object.js';
import { parseSecretKeyRef, parseSecretRef } from '../shared/secret-ref.js';
import type { FileInputs } from './schema.js';

/** Volumes, mounts and ConfigMaps one container's `files` and `dirs` need. */
export interface ContainerVolumes {
  readonly volumes: JsonObject[];
  readonly mounts: JsonObject[];
  /** ConfigMap objects (not yet wrapped as resources), one per inline file. */
  readonly configMaps: KubernetesObject[];
  /** `path`, then content, of every inline file, for the pod's files checksum. */
  readonly inlineFiles: Array<readonly [string, string]>;
}

/** Context the volumes are named in. */
export interface VolumeContext {
  /** `<P>-<S>-<A>`, the prefix of ConfigMap names. */
  readonly appName: string;
  readonly namespace: string;
  readonly containerName: string;
  /** Labels every emitted ConfigMap carries. */
  readonly labels: Readonly<Record<string, string>>;
}

const maxVolumeName = 63;

/**
 * A pod-unique volume name. Volume names are DNS-1123 labels of at most 63 characters; a long container name
 * falls back to a stable hash so the name stays valid and unique.
 */
export function volumeName(containerName: string, kind: 'file' | 'dir', index: number): string {
  const readable = `${containerName}-${kind}-${index}`;
  if (readable.length <= maxVolumeName) return readable;
  return `${kind}-${sha256Hex(`${containerName}/${kind}/${index}`).slice(0, 16)}`;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Files: an inline file becomes ConfigMap `<P>-<S>-<A>-<container>-<index>` (index = position of the path in
 * sorted order); a `contentFrom` file reads one key of a Secret. Each is mounted at its exact path through
 * `subPath`, so the rest of the directory stays visible. Dirs mount a whole Secret.
 */
export function containerVolumes(
  ctx: VolumeContext,
  files: Readonly<Record<string, FileInputs>> | undefined,
  dirs: Readonly<Record<string, string>> | undefined,
): ContainerVolumes {
  const result: ContainerVolumes = { volumes: [], mounts: [], configMaps: [], inlineFiles: [] };
  for (const [index, [path, file]] of sortedEntries(files).entries()) addFile(ctx, result, path, file, index);
  for (const [index, [mountPath, ref]] of sortedEntries(dirs).entries()) {
    const secretName = parseSecretRef(ref);
    if (secretName === undefined) {
      throw new ModuleInputError(
        `container ${ctx.containerName}: dirs ${mountPath} must be secret://<secret> (got "${ref}")`,
      );
    }
    const name = volumeName(ctx.containerName, 'dir', index);
    result.volumes.push({ name, secret: { secretName } });
    result.mounts.push({ name, mountPath, readOnly: true });
  }
  return result;
}

function addFile(
  ctx: VolumeContext,
  into: ContainerVolumes,
  path: string,
  file: FileInputs,
  index: number,
): void {
  const where = `container ${ctx.containerName}: file ${path}`;
  const hasContent = file.content !== undefined;
  const hasContentFrom = file.contentFrom !== undefined;
  if (hasContent === hasContentFrom) {
    throw new ModuleInputError(`${where}: set exactly one of content or contentFrom`);
  }
  const name = volumeName(ctx.containerName, 'file', index);
  const defaultMode = Number.parseInt(file.mode, 8);
  if (file.content !== undefined) {
    const configMapName = `${ctx.appName}-${ctx.containerName}-${index}`;
    const key = baseName(path);
    into.configMaps.push(
      kubernetesObject(
        'v1',
        'ConfigMap',
        { name: configMapName, namespace: ctx.namespace, labels: ctx.labels },
        { data: { [key]: file.content } },
      ),
    );
    into.volumes.push({ name, configMap: { name: configMapName, defaultMode } });
    into.mounts.push({ name, mountPath: path, subPath: key, readOnly: true });
    into.inlineFiles.push([path, file.content]);
    return;
  }
  const ref = parseSecretKeyRef(file.contentFrom ?? '');
  if (!ref) {
    throw new ModuleInputError(
      `${where}: contentFrom must be secret://<secret>/<key> (got "${file.contentFrom}")`,
    );
  }
  into.volumes.push({ name, secret: { secretName: ref.name, defaultMode } });
  into.mounts.push({ name, mountPath: path, subPath: ref.key, readOnly: true });
}
