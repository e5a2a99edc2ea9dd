import type { GenerateRequest } from './types.js';

type Names = Pick<GenerateRequest, 'project' | 'stack' | 'app'>;

/** `<project>-<stack>-<app>`: the name of the workload and its Services (SPEC §6.1). */
export function uniqueAppName(req: Names): string {
  return `${req.project}-${req.stack}-${req.app}`;
}

/** Labels on every catalog resource and pod template. */
export function appLabels(req: Names): Record<string, string> {
  return {
    'app.kubernetes.io/part-of': req.project,
    'app.kubernetes.io/name': req.app,
    'app.kubernetes.io/instance': uniqueAppName(req),
  };
}

/** Workload selectors: `part-of` + `name`, as the original (selectors are immutable). */
export function selectorLabels(req: Names): Record<string, string> {
  return { 'app.kubernetes.io/part-of': req.project, 'app.kubernetes.io/name': req.app };
}

/**
 * Name of an accessory's instance: `<P>-<S>-<A>-<module>` when the accessory key equals the module name,
 * else `<P>-<S>-<A>-<accessoryKey>`.
 */
export function accessoryInstanceName(
  req: Names & Pick<GenerateRequest, 'accessory'>,
  moduleName: string,
): string {
  const suffix = req.accessory && req.accessory !== moduleName ? req.accessory : moduleName;
  return `${uniqueAppName(req)}-${suffix}`;
}

/** `KUSION_<KIND>_<FIELD>_<N>` with `<N>` the instance name upper-cased, `-` and `.` as `_`. */
export function envName(kind: string, field: string, instanceName: string): string {
  return `KUSION_${kind}_${field}_${instanceName.toUpperCase().replace(/[-.]/g, '_')}`;
}

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Kubernetes name rules, for modules that want to check the names they make. */
export const NameRules = {
  isDns1123Label: (name: string): boolean => name.length <= 63 && dns1123Label.test(name),
  isDns1123Subdomain: (name: string): boolean => name.length <= 253 && dns1123Subdomain.test(name),
  isDns1035Label: (name: string): boolean => name.length <= 63 && dns1035Label.test(name),
} as const;
