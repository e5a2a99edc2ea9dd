import type { GenerateRequest } from './types.js';

/** Prefixes of the value references of SPEC §7.4. */
export const ReferencePrefix = {
  path: '$kusion_path.',
  derived: '$kusion_derived.',
  secretRef: 'ref://',
  secretKey: 'secret://',
} as const;

/** Sentinel that removes a label, annotation or env var when a patcher sets it (SPEC §5.3). */
export const removeSentinel = 'ops://kusionstack.io/remove';

/** A reference to a field of another resource's applied result, resolved at apply time. */
export function kusionPath(resourceId: string, path: string): string {
  return `${ReferencePrefix.path}${resourceId}.${path}`;
}

/**
 * A stable secret-like value derived at execution from the workspace seed and a label unique to this
 * module invocation. Never random at generate time, never re-rolled.
 */
export function derivedSecret(
  req: Pick<GenerateRequest, 'project' | 'stack' | 'app' | 'accessory'>,
  label: string,
  length: number,
): string {
  if (!Number.isInteger(length) || length < 8 || length > 43) {
    throw new RangeError(`derivedSecret length must be an integer from 8 to 43 (got ${length})`);
  }
  const owner = req.accessory ?? 'workload';
  return `${ReferencePrefix.derived}${length}.${req.project}/${req.stack}/${req.app}/${owner}/${label}`;
}
