import { Codes, type Diagnostic, diagnostic } from '../errors/index.js';
import type { JsonObject, Resource } from '../model/index.js';
import { compileHealthPolicy } from '../policy/index.js';

/** Sets an extension on a copy of a resource. */
export function withExtension(resource: Resource, key: string, value: JsonObject[string]): Resource {
  return { ...resource, extensions: { ...resource.extensions, [key]: value } };
}

/**
 * Copies a module config's `healthPolicy` to the workload, or to every resource of the app matching its
 * `apiVersion`/`kind` (SPEC §4.3).
 */
export function attachHealthPolicy(
  resources: Resource[],
  workloadId: string | undefined,
  policy: JsonObject | undefined,
  at: string,
): Diagnostic[] {
  if (!policy) return [];
  const cel = policy['cel'];
  const isValid =
    typeof cel === 'string' ||
    (Array.isArray(cel) && cel.length > 0 && cel.every((e) => typeof e === 'string'));
  if (!isValid)
    return [
      diagnostic(
        Codes.healthPolicyInvalid,
        'healthPolicy.cel must be a CEL expression or a non-empty list of them',
        at,
      ),
    ];
  const compiled = compileHealthPolicy(cel as string | string[]);
  if ('errors' in compiled) {
    return compiled.errors.map((error) =>
      diagnostic(
        Codes.healthPolicyInvalid,
        `healthPolicy.cel does not compile: ${error}`,
        at,
        'CEL over the live object `res`, e.g. res.status.readyReplicas == res.spec.replicas',
      ),
    );
  }
  const { apiVersion, kind } = policy;
  const matches = (r: Resource) =>
    apiVersion === undefined && kind === undefined
      ? r.id === workloadId
      : r.type === 'Kubernetes' &&
        (apiVersion === undefined || r.attributes['apiVersion'] === apiVersion) &&
        (kind === undefined || r.attributes['kind'] === kind);
  for (const [index, resource] of resources.entries()) {
    if (matches(resource)) resources[index] = withExtension(resource, 'healthPolicy', { cel });
  }
  return [];
}

/** Import IDs from every module's `importedResources`; one ID mapped two ways is KUS2002. */
export function collectImportIds(
  sources: readonly {
    readonly module: string;
    readonly importedResources: Readonly<Record<string, string>>;
  }[],
  workspaceName: string,
): { importIds: Map<string, string>; diagnostics: Diagnostic[] } {
  const importIds = new Map<string, string>();
  const owner = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const { module, importedResources } of sources) {
    for (const [id, importId] of Object.entries(importedResources)) {
      const existing = importIds.get(id);
      if (existing !== undefined && existing !== importId) {
        diagnostics.push(
          diagnostic(
            Codes.workspaceInvalid,
            `importedResources maps ${id} to "${existing}" (module ${owner.get(id)}) and to "${importId}" (module ${module})`,
            `workspace ${workspaceName}`,
          ),
        );
      } else {
        importIds.set(id, importId);
        owner.set(id, module);
      }
    }
  }
  return { importIds, diagnostics };
}
