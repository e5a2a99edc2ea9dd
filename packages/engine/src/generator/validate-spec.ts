import { Codes, type Diagnostic, diagnostic } from '../errors/index.js';
import type { JsonObject, Resource } from '../model/index.js';
import { collectPathReferences, longestIdMatcher } from './dependencies.js';
import { mapAt } from './kubernetes-paths.js';

const terraformIdentifier = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Merges identical resources emitted by several apps (typically Namespaces) and reports other duplicate
 * IDs (KUS3004). Returns the de-duplicated list.
 */
export function mergeDuplicates(
  resources: readonly Resource[],
  origins: ReadonlyMap<Resource, string>,
): { resources: Resource[]; diagnostics: Diagnostic[] } {
  const byId = new Map<string, Resource>();
  const diagnostics: Diagnostic[] = [];
  for (const resource of resources) {
    const existing = byId.get(resource.id);
    if (!existing) byId.set(resource.id, resource);
    else if (
      JSON.stringify(existing.attributes) !== JSON.stringify(resource.attributes) ||
      existing.type !== resource.type
    ) {
      diagnostics.push(
        diagnostic(
          Codes.duplicateResourceId,
          `duplicate resource ID ${resource.id} (from ${origins.get(existing) ?? 'the core'} and ${origins.get(resource) ?? 'the core'})`,
          resource.id,
          'two modules emit different resources with one ID; rename one of them',
        ),
      );
    }
  }
  return { resources: [...byId.values()], diagnostics };
}

/** The structural checks of SPEC §7.5 that need no graph: IDs against attributes, dependsOn, references. */
export function validateResources(resources: readonly Resource[]): {
  resources: Resource[];
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const ids = new Set(resources.map((r) => r.id));
  const matchId = longestIdMatcher(ids);
  const checked = resources.map((resource) => {
    const result =
      resource.type === 'Kubernetes'
        ? checkKubernetesId(resource)
        : { resource, problems: checkTerraformId(resource) };
    diagnostics.push(
      ...result.problems.map((message) => diagnostic(Codes.idAttributeMismatch, message, resource.id)),
    );
    for (const dependency of resource.dependsOn ?? []) {
      if (!ids.has(dependency))
        diagnostics.push(
          diagnostic(
            Codes.dependsOnMissing,
            `dependsOn target ${dependency} is not in the spec`,
            resource.id,
            'remove the entry or add the resource it names',
          ),
        );
    }
    for (const reference of collectPathReferences(resource.attributes)) {
      if (!matchId(reference))
        diagnostics.push(
          diagnostic(
            Codes.badPathReference,
            `$kusion_path.${reference} names no resource of the spec`,
            resource.id,
            'a reference is $kusion_path.<resource ID>.<field path>',
          ),
        );
    }
    return result.resource;
  });
  return { resources: checked, diagnostics };
}

function checkKubernetesId(resource: Resource): { resource: Resource; problems: string[] } {
  const parts = resource.id.split(':');
  if (parts.length !== 3 && parts.length !== 4)
    return {
      resource,
      problems: [`Kubernetes ID ${resource.id} must be <apiVersion>:<Kind>[:<namespace>]:<name>`],
    };
  const [apiVersion, kind] = parts;
  const name = parts.length === 4 ? parts[3] : parts[2];
  const namespace = parts.length === 4 ? parts[2] : undefined;
  const metadata = mapAt(resource.attributes, ['metadata']) ?? {};
  const problems: string[] = [];
  const expect = (what: string, actual: unknown, wanted: string | undefined) => {
    if (actual !== wanted)
      problems.push(
        `ID says ${what} ${wanted ?? '(none)'}, attributes say ${actual === undefined ? '(none)' : String(actual)}`,
      );
  };
  expect('apiVersion', resource.attributes['apiVersion'], apiVersion);
  expect('kind', resource.attributes['kind'], kind);
  expect('name', metadata['name'], name);
  if (namespace !== undefined && metadata['namespace'] === undefined) {
    // A 4-part ID fills a missing namespace (SPEC §7.5).
    const attributes: JsonObject = { ...resource.attributes, metadata: { ...metadata, namespace } };
    return { resource: { ...resource, attributes }, problems };
  }
  expect('namespace', metadata['namespace'], namespace);
  return { resource, problems };
}

function checkTerraformId(resource: Resource): string[] {
  const parts = resource.id.split(':');
  if (parts.length !== 4)
    return [
      `Terraform ID ${resource.id} must be <providerNamespace>:<providerName>:<resourceType>:<resourceName>`,
    ];
  const [namespace, providerName, resourceType, name] = parts as [string, string, string, string];
  const problems: string[] = [];
  const provider = resource.extensions?.['provider'];
  if (typeof provider !== 'string')
    problems.push('Terraform resources need a "provider" extension (<host>/<namespace>/<name>/<version>)');
  else {
    const segments = provider.split('/');
    if (segments.length !== 4 || segments[1] !== namespace || segments[2] !== providerName) {
      problems.push(`ID says provider ${namespace}/${providerName}, extension "provider" says ${provider}`);
    }
  }
  const type = resource.extensions?.['resourceType'];
  if (type !== resourceType)
    problems.push(`ID says resource type ${resourceType}, extension "resourceType" says ${String(type)}`);
  if (!terraformIdentifier.test(name) || !terraformIdentifier.test(resourceType))
    problems.push(`"${name}" is not a valid Terraform identifier`);
  return problems;
}
