import { NameRules } from '@kusion/module-sdk';
import { Codes, type Diagnostic, diagnostic } from '../errors/index.js';
import type { Resource } from '../model/index.js';
import { mapAt } from './kubernetes-paths.js';

/**
 * Generated Kubernetes names must be DNS-1123 subdomains, Service names DNS-1035 labels (≤ 63), else
 * KUS3011 at the app key: long project, stack and app names are the usual cause. The key is located only
 * when a name is wrong, since locating can mean parsing main.yaml again for positions.
 */
export function checkNames(resources: readonly Resource[], appAt: () => string): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const resource of resources) {
    if (resource.type !== 'Kubernetes') continue;
    const name = mapAt(resource.attributes, ['metadata'])?.['name'];
    if (typeof name !== 'string') continue;
    const isService = resource.attributes['kind'] === 'Service';
    const valid = isService ? NameRules.isDns1035Label(name) : NameRules.isDns1123Subdomain(name);
    if (!valid) {
      const rule = isService
        ? 'a DNS-1035 label (a letter first, at most 63 characters)'
        : 'a DNS-1123 subdomain';
      problems.push(
        diagnostic(
          Codes.invalidGeneratedName,
          `generated name "${name}" of ${resource.id} is not ${rule}`,
          appAt(),
          'shorten the project, stack or app name, or use lower-case letters, digits and "-"',
        ),
      );
    }
  }
  return problems;
}
