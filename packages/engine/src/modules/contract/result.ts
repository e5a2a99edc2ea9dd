import type { GenerateResult, Patcher } from '@kusion/module-sdk';
import { parse as parseYaml } from 'yaml';
import { Codes, type Diagnostic, diagnostic } from '../../errors/index.js';
import type { JsonObject, Resource } from '../../model/index.js';

export interface CheckedResult {
  readonly result: GenerateResult;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ResultContext {
  /** `<app>/<accessory or workload>/<module>@<version>`, used as the location of problems. */
  readonly origin: string;
  readonly role: 'workload' | 'accessory';
  readonly isExec: boolean;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the shape of a generate result and normalises what ported modules may send (YAML resource
 * strings, JSON patch payloads as strings). Workload marking rules are SPEC §5.4.
 */
export function checkGenerateResult(raw: unknown, ctx: ResultContext): CheckedResult {
  const problems: Diagnostic[] = [];
  const fail = (message: string, code = Codes.moduleGenerateThrew) =>
    problems.push(diagnostic(code, `module result: ${message}`, ctx.origin));
  if (!isObject(raw)) {
    fail('generate must return an object {resources, patcher?, outputs?}');
    return { result: { resources: [] }, diagnostics: problems };
  }
  const resources: Resource[] = [];
  const list = Array.isArray(raw['resources']) ? raw['resources'] : [];
  if (!Array.isArray(raw['resources'])) fail('"resources" must be a list');
  for (const [index, entry] of list.entries()) {
    const value = typeof entry === 'string' ? (parseYaml(entry) as unknown) : entry;
    if (
      !isObject(value) ||
      typeof value['id'] !== 'string' ||
      value['id'] === '' ||
      !isObject(value['attributes'])
    ) {
      fail(`resources[${index}] needs a non-empty "id" and an "attributes" map`);
      continue;
    }
    if (value['type'] !== 'Kubernetes' && value['type'] !== 'Terraform') {
      fail(
        `resource ${value['id']}: "type" must be Kubernetes or Terraform (got ${JSON.stringify(value['type'])})`,
      );
      continue;
    }
    const dependsOn = value['dependsOn'];
    if (
      dependsOn !== undefined &&
      dependsOn !== null &&
      !(Array.isArray(dependsOn) && dependsOn.every((d) => typeof d === 'string'))
    ) {
      fail(`resource ${value['id']}: "dependsOn" must be a list of resource IDs`);
      continue;
    }
    resources.push({
      id: value['id'],
      type: value['type'],
      attributes: value['attributes'],
      ...(Array.isArray(dependsOn) && dependsOn.length > 0 ? { dependsOn: dependsOn as string[] } : {}),
      ...(isObject(value['extensions']) ? { extensions: value['extensions'] } : {}),
    });
  }
  const patcher = raw['patcher'];
  if (patcher !== undefined && patcher !== null && !isObject(patcher)) fail('"patcher" must be a map');
  const outputs = raw['outputs'];
  if (outputs !== undefined && outputs !== null) {
    if (
      !isObject(outputs) ||
      !Object.values(outputs).every((v) => ['string', 'number', 'boolean'].includes(typeof v))
    ) {
      fail('"outputs" must map names to strings, numbers or booleans');
    }
  }
  problems.push(...checkWorkloadMark(resources, ctx));
  return {
    result: {
      resources: markSingleExecWorkload(resources, ctx),
      ...(isObject(patcher) ? { patcher: normalisePatcher(patcher as Patcher) } : {}),
      ...(isObject(outputs) ? { outputs: outputs as Record<string, string> } : {}),
    },
    diagnostics: problems,
  };
}

export function isWorkloadMarked(resource: Resource): boolean {
  const mark = resource.extensions?.['kusion.io/is-workload'];
  return mark === true || mark === 'true';
}

function checkWorkloadMark(resources: readonly Resource[], ctx: ResultContext): Diagnostic[] {
  const marked = resources.filter(isWorkloadMarked);
  if (ctx.role === 'accessory') {
    return marked.map((r) =>
      diagnostic(
        Codes.workloadNotIdentifiable,
        `accessory modules must not mark a workload (${r.id} is marked kusion.io/is-workload)`,
        ctx.origin,
      ),
    );
  }
  if (marked.length === 1) return [];
  if (marked.length === 0 && ctx.isExec && resources.length === 1) return [];
  const detail =
    marked.length === 0
      ? 'marks no resource'
      : `marks ${marked.length} resources (${marked.map((r) => r.id).join(', ')})`;
  return [
    diagnostic(
      Codes.workloadNotIdentifiable,
      `the workload module ${detail} as the workload`,
      ctx.origin,
      'mark exactly one resource with extension kusion.io/is-workload: true',
    ),
  ];
}

/** For exec modules only, a single unmarked resource is taken as the workload, as the original did. */
function markSingleExecWorkload(resources: Resource[], ctx: ResultContext): Resource[] {
  const only = resources[0];
  if (ctx.role !== 'workload' || !ctx.isExec || resources.length !== 1 || !only || isWorkloadMarked(only))
    return resources;
  return [{ ...only, extensions: { ...only.extensions, 'kusion.io/is-workload': true } }];
}

function normalisePatcher(patcher: Patcher): Patcher {
  if (!patcher.jsonPatcher) return patcher;
  const jsonPatcher = Object.fromEntries(
    Object.entries(patcher.jsonPatcher).map(([id, patch]) => [
      id,
      {
        ...patch,
        payload:
          typeof patch.payload === 'string' ? (JSON.parse(patch.payload) as JsonObject) : patch.payload,
      },
    ]),
  );
  return { ...patcher, jsonPatcher };
}
