import { isDeepStrictEqual } from 'node:util';
import pLimit from 'p-limit';
import { Codes, isKusionError, KusionError } from '../../errors/index.js';
import type { JsonObject, Release, Resource, Spec } from '../../model/index.js';
import { type Action, isUnitRuntime, type ResourcePlan, type Runtime } from '../../runtimes/port.js';
import { buildGraph } from '../graph/index.js';
import { type Resolved, resolveReferences } from '../references.js';
import { partitionUnits, type TerraformUnit } from '../units.js';
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
  /** The resources that release applied, when it was a succeeded apply (`appliedResourcesOf`). */
  readonly applied?: readonly Resource[];
  readonly runtimeFor: (type: Resource['type']) => Runtime;
  /** `--ignore-fields`: dot paths with `[*]` for any index. */
  readonly ignoreFields?: readonly string[];
  readonly parallelism?: number;
  readonly derive?: (label: string, length: number) => string;
  /** Resolves `ref://` values and marks reference paths sensitive (secrets/resolve.ts), before `$kusion_path`. */
  readonly resolveSecrets?: (resource: Resource, signal?: AbortSignal) => Promise<Resource>;
  readonly signal?: AbortSignal;
  /** `--force-conflicts`: dry-runs take over fields other managers own, as the apply will. */
  readonly forceConflicts?: boolean;
}

const retained = (r: Resource) =>
  r.extensions?.['kusion.io/retain'] === true || r.extensions?.['kusion.io/retain'] === 'true';

/**
 * The spec resources a release applied, when its state records the outcome of applying exactly them: a
 * succeeded apply or rollback (a destroy applies nothing, an import records objects as found, and a failed
 * or interrupted run may not have applied everything it holds).
 */
export function appliedResourcesOf(release: Release | undefined): readonly Resource[] | undefined {
  if (release?.phase !== 'succeeded') return undefined;
  if (release.source.kind !== 'apply' && release.source.kind !== 'rollback') return undefined;
  return release.spec.resources as unknown as readonly Resource[];
}

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
  const appliedById = new Map((input.applied ?? []).map((r) => [r.id, r.attributes]));
  /** Whether the latest apply applied exactly these attributes and state holds what it left. */
  const appliedBefore = (id: string, attributes: JsonObject) =>
    priorById.has(id) && appliedById.has(id) && isDeepStrictEqual(appliedById.get(id), attributes);
  const crdKinds = new Set(
    spec.resources
      .filter((r) => r.attributes['kind'] === 'CustomResourceDefinition')
      .map((r) => {
        const crdSpec = (r.attributes['spec'] ?? {}) as { group?: string; names?: { kind?: string } };
        return `${crdSpec.group}/${crdSpec.names?.kind}`;
      }),
  );
  const sourceOf = (resource: Resource) =>
    typeof resource.extensions?.['kusion.io/source'] === 'string'
      ? { source: resource.extensions['kusion.io/source'] as string }
      : {};
  const isImported = (resource: Resource) => resource.extensions?.['kusionstack.io/import-id'] !== undefined;
  const resolve = async (resource: Resource, keep?: ReadonlySet<string>) => {
    const withSecrets = input.resolveSecrets ? await input.resolveSecrets(resource, input.signal) : resource;
    const resolved = resolveReferences(withSecrets.attributes, {
      applied,
      ids: specIds,
      strict: false,
      resourceId: resource.id,
      ...(keep ? { keep } : {}),
      ...(input.derive ? { derive: input.derive } : {}),
    });
    return { planned: { ...withSecrets, attributes: resolved.value } as Resource, resolved };
  };
  /** A runtime's verdict as a planned change: diff with sensitive values masked and ignored fields dropped. */
  const changeOf = (
    resource: Resource,
    planned: Resource,
    resolved: Resolved,
    result: ResourcePlan,
  ): PlannedChange => {
    const { id } = resource;
    const isSensitive = underAny(
      sensitiveRoots(resource, [...resolved.sensitive, ...(result.sensitivePaths ?? [])]),
    );
    const unknown = underAny(resolved.unknown);
    const diff = diffObjects(result.live, result.predicted, { isSensitive, isIgnored }).filter(
      (d) => !unknown(d.path) || d.op !== 'change',
    );
    const notes = [...result.notes];
    let action = result.action;
    if (action === 'Create' && priorById.has(id)) notes.push('missing from cluster');
    if (action === 'UnChanged' && !priorById.has(id)) notes.push('will be adopted');
    if (action === 'Update' && diff.length === 0) action = 'UnChanged';
    // A Terraform resource's planned attributes still hold references between unit members: show the
    // runtime's prediction, with computed values known after apply, instead.
    const created = resource.type === 'Terraform' ? result.predicted : planned.attributes;
    const shown = action === 'Create' ? diffObjects(null, created, { isSensitive, isIgnored }) : diff;
    return {
      id,
      type: resource.type,
      ...sourceOf(resource),
      action,
      notes,
      before: maskObject(result.live, isSensitive),
      after: maskObject(result.predicted, isSensitive),
      diff: shown,
      liveVersion: result.liveVersion,
    };
  };
  const importedChange = (resource: Resource): PlannedChange => ({
    id: resource.id,
    type: resource.type,
    ...sourceOf(resource),
    action: 'UnChanged',
    notes: ['imported'],
    before: null,
    after: null,
    diff: [],
    liveVersion: null,
  });
  const planOne = async (id: string): Promise<PlannedChange> => {
    const resource = byId.get(id) as Resource;
    if (isImported(resource)) return importedChange(resource);
    const { planned, resolved } = await resolve(resource);
    let result: ResourcePlan;
    try {
      result = await input.runtimeFor(resource.type).plan(priorById.get(id), planned, {
        ...(input.signal ? { signal: input.signal } : {}),
        ...(input.forceConflicts ? { force: true } : {}),
        // Compared after resolution: a resolved secret or reference may differ from what was applied.
        ...(appliedBefore(id, planned.attributes) ? { appliedBefore: true } : {}),
      });
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
        const isSensitive = underAny(sensitiveRoots(resource, resolved.sensitive));
        return {
          id,
          type: resource.type,
          ...sourceOf(resource),
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
    return changeOf(resource, planned, resolved, result);
  };
  /** One runtime call for a whole unit: references between its members stay native. */
  const planUnit = async (unit: TerraformUnit): Promise<PlannedChange[]> => {
    const members = unit.members.map((id) => byId.get(id) as Resource).filter((r) => !isImported(r));
    const keep = new Set(members.map((m) => m.id));
    const resolvedMembers = await Promise.all(members.map((m) => resolve(m, keep)));
    const runtime = input.runtimeFor('Terraform');
    const plans = isUnitRuntime(runtime)
      ? await runtime.planUnit(
          resolvedMembers.map((r) => r.planned),
          input.signal ? { signal: input.signal } : {},
        )
      : undefined;
    return members.map((member, i) => {
      const { planned, resolved } = resolvedMembers[i] as Awaited<ReturnType<typeof resolve>>;
      const result = plans?.get(member.id);
      if (!result)
        throw new KusionError(Codes.internal, `${member.id}: the Terraform runtime returned no plan`);
      return changeOf(member, planned, resolved, result);
    });
  };
  const units = partitionUnits(spec.resources);
  const inUnit = new Set(units.flatMap((u) => u.members));
  announceReads(
    spec.resources.filter((r) => !inUnit.has(r.id) && appliedBefore(r.id, r.attributes)),
    input,
  );
  const planned = new Map<string, PlannedChange>();
  await Promise.all([
    ...units.map((unit) =>
      limit(async () => {
        for (const change of await planUnit(unit)) planned.set(change.id, change);
      }),
    ),
    ...graph.order
      .filter((id) => !inUnit.has(id) || isImported(byId.get(id) as Resource))
      .map((id) => limit(async () => planned.set(id, await planOne(id)))),
  ]);
  const upserts = graph.order.map((id) => planned.get(id) as PlannedChange);
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

/** Tells each runtime which resources it will plan as applied before, so it may read them in bulk. */
function announceReads(resources: readonly Resource[], input: PlanInput): void {
  const options = input.signal ? { signal: input.signal } : {};
  for (const type of new Set(resources.map((r) => r.type)))
    input.runtimeFor(type).prefetch?.(
      resources.filter((r) => r.type === type),
      options,
    );
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
