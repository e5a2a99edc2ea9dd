import type { JsonObject, JsonValue, ModuleBlock } from '../model/index.js';
import type { PathSegment, SourceDocument } from './source-document.js';

/** Keys the core reads out of module configs before the module sees them (SPEC §4.3). */
export const coreConfigKeys = ['importedResources', 'healthPolicy'] as const;

export interface PlatformInputs {
  /** Inputs for the module's platform schema, without core keys. */
  readonly inputs: JsonObject;
  /** `importedResources`: resource ID → provider import ID. */
  readonly importedResources: Readonly<Record<string, string>>;
  readonly healthPolicy?: JsonObject;
  /** Positions of `inputs` in the workspace: the patcher block's where it set a value, else `default`'s. */
  readonly document: SourceDocument;
}

/**
 * Resolves a module's platform inputs for a project (SPEC §4.2): `configs.default` with the project's
 * patcher block deep-merged over it (maps merge, lists and scalars replace, `null` deletes).
 */
export function resolvePlatformInputs(
  moduleName: string,
  block: ModuleBlock | undefined,
  project: string,
  workspace: SourceDocument,
): PlatformInputs {
  const configs = block?.configs ?? {};
  const base = structuredClone((configs['default'] ?? {}) as JsonObject);
  const patcherName = Object.keys(configs)
    .sort()
    .find(
      (name) =>
        name !== 'default' &&
        (configs[name]?.['projectSelector'] as unknown[] | undefined)?.includes(project),
    );
  const { projectSelector: _, ...patch } = (patcherName ? configs[patcherName] : {}) as JsonObject;
  const merged = deepMerge(base, patch);
  const { importedResources, healthPolicy, ...inputs } = merged;
  const configPath = (name: string): PathSegment[] => ['modules', moduleName, 'configs', name];
  const document: SourceDocument = {
    file: workspace.file,
    value: inputs,
    locate(path, target) {
      const inPatch = patcherName !== undefined && valueAt(patch, path) !== undefined;
      return workspace.locate(
        [...configPath(inPatch && patcherName ? patcherName : 'default'), ...path],
        target,
      );
    },
  };
  return {
    inputs,
    importedResources: (importedResources ?? {}) as Record<string, string>,
    ...(healthPolicy && typeof healthPolicy === 'object' && !Array.isArray(healthPolicy)
      ? { healthPolicy }
      : {}),
    document,
  };
}

function isMap(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Maps merge recursively; lists and scalars replace; an explicit null deletes the key. */
export function deepMerge(base: JsonObject, patch: JsonObject): JsonObject {
  const result: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else {
      const current = result[key];
      result[key] = isMap(current) && isMap(value) ? deepMerge(current, value) : structuredClone(value);
    }
  }
  return result;
}

function valueAt(value: JsonValue, path: readonly PathSegment[]): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isMap(current)) current = current[String(segment)];
    else return undefined;
  }
  return current;
}
