import { isDeepStrictEqual } from 'node:util';
import { Codes, KusionError } from '../errors/index.js';
import type { JsonObject, Resource } from '../model/index.js';
import { type Readiness, type ResourcePlan, type Runtime, StaleWriteError } from './port.js';

/** A failure a test asked the fake runtime for. */
export class InjectedFailure extends Error {
  override readonly name = 'InjectedFailure';
}

/**
 * An in-memory runtime for unit tests of the planner and executor: objects by ID, an operation log,
 * injectable failures, readiness that turns ready after a number of polls, and a concurrency gauge.
 */
export class FakeRuntime implements Runtime {
  readonly type: Resource['type'];
  readonly objects = new Map<string, JsonObject>();
  readonly log: string[] = [];
  /** IDs whose apply or delete throws. */
  readonly failing = new Set<string>();
  /** Polls before an applied ID reports ready (default 0). */
  readonly pollsUntilReady = new Map<string, number>();
  /** Artificial latency of apply, in ms. */
  latencyMs = 0;
  inFlight = 0;
  maxInFlight = 0;
  private versions = 0;

  constructor(type: Resource['type'] = 'Kubernetes') {
    this.type = type;
  }

  async read(resource: Resource): Promise<JsonObject | undefined> {
    return this.objects.get(resource.id);
  }

  async plan(_prior: Resource | undefined, planned: Resource): Promise<ResourcePlan> {
    const live = this.objects.get(planned.id) ?? null;
    const liveVersion = live ? String(live['version'] ?? '') : null;
    const predicted = { ...planned.attributes, ...(live ? { version: live['version'] ?? '' } : {}) };
    const action = !live ? 'Create' : isDeepStrictEqual(live, predicted) ? 'UnChanged' : 'Update';
    return { action, predicted, live, liveVersion, notes: [] };
  }

  /** Guards like the real runtimes: a moved object is refused, a Create that found one is a stale write. */
  async apply(planned: Resource, plan: ResourcePlan): Promise<Resource> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      this.log.push(`apply ${planned.id}`);
      if (this.failing.has(planned.id)) throw new InjectedFailure(`injected failure of ${planned.id}`);
      const live = this.objects.get(planned.id);
      const liveVersion = live ? String(live['version'] ?? '') : null;
      if (plan.liveVersion !== null && liveVersion !== plan.liveVersion)
        throw new KusionError(Codes.planStale, `${planned.id} changed since the plan was made`);
      const stored = { ...planned.attributes, version: String(++this.versions) };
      this.objects.set(planned.id, stored);
      const result = { ...planned, attributes: stored };
      if (plan.action !== 'Replace' && plan.liveVersion === null && live)
        throw new StaleWriteError(
          `${planned.id} was created by someone else since the plan was made`,
          result,
        );
      return result;
    } finally {
      this.inFlight -= 1;
    }
  }

  async delete(prior: Resource): Promise<void> {
    this.log.push(`delete ${prior.id}`);
    if (this.failing.has(prior.id)) throw new InjectedFailure(`injected failure deleting ${prior.id}`);
    this.objects.delete(prior.id);
  }

  async readiness(resource: Resource): Promise<Readiness> {
    const left = this.pollsUntilReady.get(resource.id) ?? 0;
    const object = this.objects.get(resource.id);
    if (left <= 0) return { state: 'ready', message: 'ready', ...(object ? { object } : {}) };
    this.pollsUntilReady.set(resource.id, left - 1);
    return { state: 'progressing', message: `${left} polls to go` };
  }

  async close(): Promise<void> {}
}
