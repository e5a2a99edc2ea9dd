import pLimit from 'p-limit';
import { Codes, isKusionError } from '../../errors/index.js';
import type { JsonObject, Resource, Spec } from '../../model/index.js';
import type { Action, Runtime } from '../../runtimes/port.js';
import { buildGraph } from '../graph/index.js';
import { resolveReferences } from '../references.js';
import { type DiffEntry, diffObjects, ignoreMatchers, maskObject, underAny } from './diff.js';

/** One resource's planned change (SPEC §10.3 `changes[]`). */
export interface PlannedChange {
  readonly id: string;
  readonly type: Resource['type'];
  readonly action: Action;
  readonly source?: string;
  readonly notes: readonly string[];
  /** Masked, normalised live object (null when absent). */
  readonly before: JsonObject | null;
  /** Masked, normalised predicted object (null for Delete). */
  readonly after: JsonObject | null;
  readonly diff: readonly DiffEntry[];
  /** The live version the plan saw, or null when absent: apply refuses if it moved (KUS8001). */
  readonly liveVersion: string | null;
}

export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  readonly unchanged: number;
}

export interface Plan {
  /** In execution order: topological, ties by ID; deletions after, dependents first. */
  readonly changes: readonly PlannedChange[];
  readonly summary: PlanSummary;
}

export interface PlanInput {
  readonly spec: Spec;
  /** The state of the identity's latest release. */
  readonly prior: readonly Resource[];
  readonly runtimeFor: (type: Resource['type']) => Runtime;
  /** `--ignore-fields`: dot paths with `[*]` for any index. */
  readonly ignoreFields?: readonly string[];
  readonly parallelism?: number;
  readonly derive?: (label: string, length: number) => string;
  /** Resolves `ref://` values and marks reference paths sensitive (secrets/resolve.ts), before `$kusion_path`. */
  readonly resolveSecrets?: (resource: Resource, signal?: AbortSignal) => Promise<Resource>;
  readonly signal?: AbortSignal;
}

const retained = (r: Resource) =>
  r.extensions?.['kusion.io/retain'] === true || r.extensions?.['kusion.io/retain'] === 'true';

/** Sensitive roots of a resource: Secret data, `kusion.io/sensitive` paths, resolved references. */
export function sensitiveRoots(resource: Resource, extra: readonly string[] = []): string[] {
  const roots = [...extra];
  if (resource.type === 'Kubernetes' && resource.attributes['kind'] === 'Secret')
    roots.push('data', 'stringData');
  const declared = resource.extensions?.['kusion.io/sensitive'];
  if (Array.isArray(declared)) roots.push(...declared.filter((p): p is string => typeof p === 'string'));
  return roots;
}

/**
 * Three-way plan (SPEC §10.1): planned (spec) against prior (state) and live (runtime read and dry-run).
 * Reads run with bounded parallelism; the result is in execution order.
 */
export async function planChanges(input: PlanInput): Promise<Plan> {
  const { spec, prior } = input;
  const graph = buildGraph(spec.resources);
  const priorById = new Map(prior.map((r) => [r.id, r]));
  const specIds = new Set(spec.resources.map((r) => r.id));
  const applied = new Map(prior.map((r) => [r.id, r.attributes]));
  const ignored = ignoreMatchers(input.ignoreFields ?? []);
  const isIgnored = (path: string) => ignored.some((m) => m(path));
  const limit = pLimit(input.parallelism ?? 16);
  const byId = new Map(spec.resources.map((r) => [r.id, r]));
  const crdKinds = new Set(
    spec.resources
      .filter((r) => r.attributes['kind'] === 'CustomResourceDefinition')
      .map((r) => {
        const crdSpec = (r.attributes['spec'] ?? {}) as { group?: string; names?: { kind?: string } };
        return `${crdSpec.group}/${crdSpec.names?.kind}`;
      }),
  );
  const planOne = async (id: string): Promise<PlannedChange> => {
    const resource = byId.get(id) as Resource;
    const source =
      typeof resource.extensions?.['kusion.io/source'] === 'string'
        ? (resource.extensions['kusion.io/source'] as string)
        : undefined;
    const base = { id, type: resource.type, ...(source ? { source } : {}) };
    const priorEntry = priorById.get(id);
    if (resource.extensions?.['kusionstack.io/import-id'] !== undefined) {
      return {
        ...base,
        action: 'UnChanged',
        notes: ['imported'],
        before: null,
        after: null,
        diff: [],
        liveVersion: null,
      };
    }
    const withSecrets = input.resolveSecrets ? await input.resolveSecrets(resource, input.signal) : resource;
    const resolved = resolveReferences(withSecrets.attributes, {
      applied,
      ids: specIds,
      strict: false,
      resourceId: id,
      ...(input.derive ? { derive: input.derive } : {}),
    });
    const planned: Resource = { ...withSecrets, attributes: resolved.value };
    const isSensitive = underAny(sensitiveRoots(resource, resolved.sensitive));
    let result: Awaited<ReturnType<Runtime['plan']>>;
    try {
      result = await input
        .runtimeFor(resource.type)
        .plan(priorEntry, planned, input.signal ? { signal: input.signal } : {});
    } catch (error) {
      const group = String(resource.attributes['apiVersion'] ?? '')
        .split('/')
        .slice(0, -1)
        .join('/');
      if (
        isKusionError(error) &&
        error.code === Codes.kindNotServed &&
        crdKinds.has(`${group}/${String(resource.attributes['kind'])}`)
      ) {
        return {
          ...base,
          action: 'Create',
          notes: ['not validated: CRD not installed yet'],
          before: null,
          after: maskObject(planned.attributes, isSensitive),
          diff: diffObjects(null, planned.attributes, { isSensitive, isIgnored }),
          liveVersion: null,
        };
      }
      throw error;
    }
    const unknown = underAny(resolved.unknown);
    const diff = diffObjects(result.live, result.predicted, { isSensitive, isIgnored }).filter(
      (d) => !unknown(d.path) || d.op !== 'change',
    );
    const notes = [...result.notes];
    let action = result.action;
    if (action === 'Create' && priorEntry) notes.push('missing from cluster');
    if (action === 'UnChanged' && !priorEntry) notes.push('will be adopted');
    if (action === 'Update' && diff.length === 0) action = 'UnChanged';
    const shown =
      action === 'Create' ? diffObjects(null, planned.attributes, { isSensitive, isIgnored }) : diff;
    return {
      ...base,
      action,
      notes,
      before: maskObject(result.live, isSensitive),
      after: maskObject(result.predicted, isSensitive),
      diff: shown,
      liveVersion: result.liveVersion,
    };
  };
  const upserts = await Promise.all(graph.order.map((id) => limit(() => planOne(id))));
  const deletions = prior
    .filter((r) => !specIds.has(r.id))
    .map(
      (r): PlannedChange => ({
        id: r.id,
        type: r.type,
        action: 'Delete',
        notes: retained(r)
          ? ['retained']
          : r.extensions?.['kusionstack.io/import-id'] !== undefined
            ? ['imported: only forgotten']
            : [],
        before: maskObject(r.attributes, underAny(sensitiveRoots(r))),
        after: null,
        diff: [],
        liveVersion: null,
      }),
    );
  const changes = [...upserts, ...orderDeletions(deletions, prior)];
  return { changes, summary: summarize(changes) };
}

/** Deletions go dependents first: the reverse of the prior state's dependency order. */
function orderDeletions(deletions: PlannedChange[], prior: readonly Resource[]): PlannedChange[] {
  if (deletions.length === 0) return deletions;
  const ids = new Set(deletions.map((d) => d.id));
  const order = buildGraph(
    prior
      .filter((r) => ids.has(r.id))
      .map((r) => ({ ...r, dependsOn: (r.dependsOn ?? []).filter((d) => ids.has(d)) })),
  ).order;
  const byId = new Map(deletions.map((d) => [d.id, d]));
  return [...order].reverse().map((id) => byId.get(id) as PlannedChange);
}

export function summarize(changes: readonly PlannedChange[]): PlanSummary {
  const count = (action: Action) => changes.filter((c) => c.action === action).length;
  return {
    create: count('Create'),
    update: count('Update'),
    replace: count('Replace'),
    delete: count('Delete'),
    unchanged: count('UnChanged'),
  };
}

/** True when the plan changes anything. */
export const hasChanges = (plan: Plan): boolean => plan.changes.some((c) => c.action !== 'UnChanged');
