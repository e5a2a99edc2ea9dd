import { describe, expect, it } from 'vitest';
import type { Release, Resource, Spec } from '../../model/index.js';
import { FakeRuntime } from '../../runtimes/fake-runtime.js';
import type { PlanCallOptions, ResourcePlan } from '../../runtimes/port.js';
import { appliedResourcesOf, planChanges } from './plan.js';

const r = (id: string, attributes: Record<string, string> = {}): Resource => ({
  id,
  type: 'Kubernetes',
  attributes: { name: id, ...attributes },
});
const spec = (...resources: Resource[]): Spec => ({ resources, secretStore: null, context: {}, outputs: {} });

/** A fake runtime that records the options of each plan call and what was announced to it. */
class RecordingRuntime extends FakeRuntime {
  readonly appliedBefore = new Map<string, boolean>();
  readonly announced: string[] = [];

  override async plan(prior: Resource | undefined, planned: Resource, options: PlanCallOptions = {}) {
    this.appliedBefore.set(planned.id, options.appliedBefore === true);
    return super.plan(prior, planned) as Promise<ResourcePlan>;
  }

  prefetch(resources: readonly Resource[]): void {
    this.announced.push(...resources.map((resource) => resource.id));
  }
}

const release = (
  phase: Release['phase'],
  kind: Release['source']['kind'],
  resources: readonly Resource[],
): Release =>
  ({
    project: 'p',
    stack: 's',
    workspace: 'w',
    revision: 1,
    phase,
    spec: spec(...resources),
    state: { resources },
    operator: 'me',
    source: { kind },
    kusionVersion: '0.1.0',
    createTime: '2026-12-03T00:00:00.000Z',
    modifiedTime: '2026-12-03T00:00:00.000Z',
  }) as unknown as Release;

describe('appliedResourcesOf', () => {
  const resources = [r('a')];
  it('gives the spec of a succeeded apply or rollback: its state records the outcome of applying it', () => {
    expect(appliedResourcesOf(release('succeeded', 'apply', resources))).toEqual(resources);
    expect(appliedResourcesOf(release('succeeded', 'rollback', resources))).toEqual(resources);
  });

  it('gives nothing for a failed or unfinished run, a destroy, an import, or no release', () => {
    expect(appliedResourcesOf(release('failed', 'apply', resources))).toBeUndefined();
    expect(appliedResourcesOf(release('applying', 'apply', resources))).toBeUndefined();
    expect(appliedResourcesOf(release('succeeded', 'destroy', resources))).toBeUndefined();
    expect(appliedResourcesOf(release('succeeded', 'import', resources))).toBeUndefined();
    expect(appliedResourcesOf(undefined)).toBeUndefined();
  });
});

describe('planChanges with the resources the latest apply applied', () => {
  const same = r('same', { v: '1' });
  const changed = r('changed', { v: '2' });
  const added = r('added');
  const secret = r('secret', { password: 'ref://store/db' });
  const prior = [
    r('same', { v: '1' }),
    r('changed', { v: '1' }),
    r('secret', { password: 'ref://store/db' }),
  ];

  async function planWithApplied(applied: readonly Resource[] | undefined) {
    const runtime = new RecordingRuntime();
    for (const resource of prior) runtime.objects.set(resource.id, resource.attributes);
    await planChanges({
      spec: spec(same, changed, added, secret),
      prior,
      ...(applied ? { applied } : {}),
      runtimeFor: () => runtime,
      // The reference resolves to a value the latest apply may not have applied (a rotated secret).
      resolveSecrets: async (resource) =>
        resource.id === 'secret'
          ? { ...resource, attributes: { ...resource.attributes, password: 'rotated' } }
          : resource,
    });
    return runtime;
  }

  it('marks only resources whose resolved attributes are exactly what was applied, and announces them', async () => {
    const runtime = await planWithApplied(prior);
    expect(Object.fromEntries(runtime.appliedBefore)).toEqual({
      same: true,
      changed: false,
      added: false,
      secret: false,
    });
    // Announced before resolution (a read too many at worst); decided after it.
    expect(runtime.announced.sort()).toEqual(['same', 'secret']);
  });

  it('marks nothing without such a release', async () => {
    const runtime = await planWithApplied(undefined);
    expect([...runtime.appliedBefore.values()]).toEqual([false, false, false, false]);
    expect(runtime.announced).toEqual([]);
  });
});
