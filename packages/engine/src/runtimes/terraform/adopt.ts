/**
 * `kusion import` of a Terraform resource (SPEC §15): `tofu import <address> <id>` adopts the existing
 * object into the stack's OpenTofu state and changes nothing in the infrastructure. An `import` block
 * applied instead would also apply any difference between the object and the spec in the same run; here a
 * difference shows at the next preview, as it does for an adopted Kubernetes object.
 */
import type { Resource } from '../../model/index.js';
import { addressOf } from './config.js';

/** Arguments of the import command for one resource. */
export function importArgs(resource: Resource, importId: string): string[] {
  return ['import', '-input=false', '-lock=false', '-no-color', addressOf(resource), importId];
}
