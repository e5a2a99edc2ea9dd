import { z } from 'zod';

/** Manifest files: `.yaml`, `.yml` or `.json`, relative to the stack directory. */
const Paths = z
  .array(z.string().min(1))
  .default([])
  .describe(
    'Manifest files (`.yaml`, `.yml`, `.json`), relative to the stack directory. In 1.0 every entry is a ' +
      'file; list the files of a directory one by one.',
  );

/** Developer inputs of the `k8s-manifest` module (SPEC §6.6). */
export const K8sManifestInput = z.strictObject({ paths: Paths });
/** Developer inputs of the `k8s-manifest` module, as written in an AppConfiguration. */
export type K8sManifestInput = z.input<typeof K8sManifestInput>;

/** Platform inputs of the `k8s-manifest` module: more files, applied together with the developer's. */
export const K8sManifestPlatform = z.strictObject({ paths: Paths });
/** Platform inputs of the `k8s-manifest` module, as written in a workspace. */
export type K8sManifestPlatform = z.input<typeof K8sManifestPlatform>;
