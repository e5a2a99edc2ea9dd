import { type EnvVar, type Patcher, removeSentinel } from '@kusion/module-sdk';
import jsonPatch from 'fast-json-patch';
import { Codes, type Diagnostic, diagnostic } from '../errors/index.js';
import type { JsonObject, JsonValue, Resource } from '../model/index.js';
import { containersOf, ensureMap, podTemplatePath } from './kubernetes-paths.js';

/** A patcher with the module invocation it came from, for messages. */
export interface PatcherUse {
  readonly patcher: Patcher;
  readonly origin: string;
}

/**
 * Applies the patchers of one app, in invocation order (workload module, then accessories by key), each
 * field in the order of SPEC §5.3. Works on copies; returns the patched resources of the app.
 */
export function applyPatchers(
  resources: readonly Resource[],
  workloadId: string | undefined,
  uses: readonly PatcherUse[],
  appOrigin: string,
): { resources: Resource[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const byId = new Map(resources.map((r) => [r.id, structuredClone(r) as Resource]));
  const workload = workloadId ? byId.get(workloadId) : undefined;
  const injected: EnvVar[] = [];
  for (const { patcher, origin } of uses) {
    const touchesWorkload =
      patcher.environments ||
      patcher.labels ||
      patcher.annotations ||
      patcher.podLabels ||
      patcher.podAnnotations;
    if (touchesWorkload && !workload) {
      diagnostics.push(
        diagnostic(
          Codes.workloadNotIdentifiable,
          'a patcher targets the workload, but the app has no identifiable workload',
          origin,
        ),
      );
      continue;
    }
    const kind = String(workload?.attributes['kind'] ?? '');
    const templatePath = podTemplatePath(kind);
    if (
      workload &&
      (patcher.environments || patcher.podLabels || patcher.podAnnotations) &&
      templatePath === undefined
    ) {
      diagnostics.push(
        diagnostic(
          Codes.workloadNotIdentifiable,
          `the workload ${workload.id} has no pod template to patch`,
          origin,
        ),
      );
      continue;
    }
    for (const env of patcher.environments ?? []) mergeInjected(injected, env);
    if (workload) {
      patchMap(ensureMap(workload.attributes, ['metadata', 'labels']), patcher.labels);
      patchMap(ensureMap(workload.attributes, ['metadata', 'annotations']), patcher.annotations);
      if (templatePath) {
        patchMap(ensureMap(workload.attributes, [...templatePath, 'metadata', 'labels']), patcher.podLabels);
        patchMap(
          ensureMap(workload.attributes, [...templatePath, 'metadata', 'annotations']),
          patcher.podAnnotations,
        );
      }
    }
    for (const id of Object.keys(patcher.jsonPatcher ?? {}).sort()) {
      const target = byId.get(id);
      const patch = patcher.jsonPatcher?.[id];
      if (!target || !patch) {
        diagnostics.push(
          diagnostic(
            Codes.patchFailed,
            `jsonPatcher targets ${id}, which is not a resource of this app`,
            origin,
            'a module may only patch resources of its own app',
          ),
        );
        continue;
      }
      try {
        const patched =
          patch.type === 'MergePatch'
            ? mergePatch(target.attributes, patch.payload)
            : applyJsonPatch(target.attributes, patch.payload);
        byId.set(id, { ...target, attributes: patched });
      } catch (error) {
        diagnostics.push(
          diagnostic(Codes.patchFailed, `jsonPatcher of ${id} failed: ${(error as Error).message}`, origin),
        );
      }
    }
  }
  if (workload) {
    const current = byId.get(workload.id) ?? workload;
    diagnostics.push(...injectEnvironment(current, injected, appOrigin));
    pruneEmptyMetadata(current.attributes);
  }
  return { resources: [...byId.values()], diagnostics };
}

/** A later injected var replaces an earlier one of the same name in place; the sentinel removes it. */
function mergeInjected(injected: EnvVar[], env: EnvVar): void {
  const index = injected.findIndex((e) => e.name === env.name);
  if (index >= 0) injected[index] = env;
  else injected.push(env);
}

function patchMap(target: JsonObject, values: Readonly<Record<string, string>> | undefined): void {
  for (const [key, value] of Object.entries(values ?? {})) {
    if (value === removeSentinel) delete target[key];
    else target[key] = value;
  }
}

/** Injected env vars go first in every container, so developer env can use `$(NAME)`; developer vars win. */
function injectEnvironment(workload: Resource, injected: readonly EnvVar[], origin: string): Diagnostic[] {
  const templatePath = podTemplatePath(String(workload.attributes['kind'] ?? ''));
  if (!templatePath || injected.length === 0) return [];
  const removed = new Set(injected.filter((e) => e.value === removeSentinel).map((e) => e.name));
  const additions = injected.filter((e) => !removed.has(e.name));
  const diagnostics: Diagnostic[] = [];
  for (const container of containersOf(ensureMap(workload.attributes, [...templatePath, 'spec']))) {
    const own = (Array.isArray(container['env']) ? container['env'] : []).filter(
      (e): e is JsonObject =>
        typeof e === 'object' && e !== null && !Array.isArray(e) && !removed.has(String(e['name'])),
    );
    const ownNames = new Set(own.map((e) => String(e['name'])));
    for (const env of additions.filter((e) => ownNames.has(e.name))) {
      diagnostics.push(
        diagnostic(
          Codes.injectedEnvOverridden,
          `container "${String(container['name'])}" sets ${env.name} itself; the injected value is dropped`,
          origin,
          undefined,
          'warning',
        ),
      );
    }
    const merged = [
      ...additions.filter((e) => !ownNames.has(e.name)).map((e) => ({ ...e }) as JsonObject),
      ...own,
    ];
    if (merged.length > 0) container['env'] = merged;
    else delete container['env'];
  }
  return diagnostics;
}

/** RFC 7396 JSON merge patch. */
export function mergePatch(target: JsonValue, patch: JsonValue): JsonObject {
  const apply = (base: JsonValue | undefined, change: JsonValue): JsonValue => {
    if (typeof change !== 'object' || change === null || Array.isArray(change))
      return structuredClone(change);
    const result: JsonObject =
      typeof base === 'object' && base !== null && !Array.isArray(base) ? { ...base } : {};
    for (const [key, value] of Object.entries(change)) {
      if (value === null) delete result[key];
      else result[key] = apply(result[key], value);
    }
    return result;
  };
  const result = apply(target, patch);
  if (typeof result !== 'object' || result === null || Array.isArray(result))
    throw new TypeError('a merge patch must leave an object');
  return result;
}

function applyJsonPatch(target: JsonObject, payload: JsonValue): JsonObject {
  if (!Array.isArray(payload)) throw new TypeError('a JSONPatch payload must be a list of operations');
  const operations = payload as unknown as jsonPatch.Operation[];
  const error = jsonPatch.validate(operations, target);
  if (error) throw error;
  return jsonPatch.applyPatch(structuredClone(target), operations, false, false).newDocument as JsonObject;
}

/** Patchers may leave `labels: {}` behind; empty metadata maps are dropped for a tidy, stable spec. */
function pruneEmptyMetadata(attributes: JsonObject): void {
  const templatePath = podTemplatePath(String(attributes['kind'] ?? ''));
  for (const path of [['metadata'], ...(templatePath ? [[...templatePath, 'metadata']] : [])]) {
    const metadata = ensureMap(attributes, path);
    for (const key of ['labels', 'annotations']) {
      const map = metadata[key];
      if (typeof map === 'object' && map !== null && !Array.isArray(map) && Object.keys(map).length === 0)
        delete metadata[key];
    }
  }
}
