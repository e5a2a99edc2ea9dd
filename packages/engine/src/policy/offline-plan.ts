import { diffObjects, maskObject, underAny } from '../engine/plan/diff.js';
import { type Plan, type PlannedChange, sensitiveRoots, summarize } from '../engine/plan/plan.js';
import type { Resource, Spec } from '../model/index.js';

/**
 * The plan of a spec without a cluster (`kusion policy test`): nothing is read from live infrastructure, so
 * every planned resource is a `Create` with its planned fields as the diff (sensitive ones masked), in spec
 * order. Guardrails judge the planned resources, which this plan holds exactly.
 */
export function offlinePlan(spec: Spec): Plan {
  const changes = spec.resources.map((resource: Resource): PlannedChange => {
    const isSensitive = underAny(sensitiveRoots(resource));
    const source = resource.extensions?.['kusion.io/source'];
    return {
      id: resource.id,
      type: resource.type,
      action: 'Create',
      ...(typeof source === 'string' ? { source } : {}),
      notes: ['not read: no cluster'],
      before: null,
      after: maskObject(resource.attributes, isSensitive),
      diff: diffObjects(null, resource.attributes, { isSensitive, isIgnored: () => false }),
      liveVersion: null,
    };
  });
  return { changes, summary: summarize(changes) };
}
