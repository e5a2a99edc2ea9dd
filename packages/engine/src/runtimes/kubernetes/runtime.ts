import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import {
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import pRetry, { AbortError } from 'p-retry';
import { Codes, KusionError } from '../../errors/index.js';
import type { JsonObject, Resource } from '../../model/index.js';
import type { Readiness, ResourcePlan, Runtime, RuntimeCallOptions } from '../port.js';
import { apiError, httpStatus, isNotFound, isRetryable, statusOf } from './api-errors.js';
import { normalizeObject, stateObject } from './normalize.js';
import { RateLimiter } from './rate-limiter.js';
import { readinessOf } from './readiness.js';

export interface KubernetesRuntimeOptions {
  readonly config: KubeConfig;
  /** @default kusion */
  readonly fieldManager?: string;
  /** @default 50 */
  readonly qps?: number;
  /** @default 100 */
  readonly burst?: number;
  /** Poll interval while waiting for deletion. @default 500 */
  readonly pollMs?: number;
}

/** The header of an object, enough to address it. */
function header(
  attributes: JsonObject,
): KubernetesObject & { metadata: { name: string; namespace?: string } } {
  const metadata = (attributes['metadata'] ?? {}) as { name: string; namespace?: string };
  return {
    apiVersion: String(attributes['apiVersion']),
    kind: String(attributes['kind']),
    metadata: { name: metadata.name, ...(metadata.namespace ? { namespace: metadata.namespace } : {}) },
  };
}

/**
 * The Kubernetes runtime (SPEC §13.1, §11.3): server-side apply with Kusion's field manager, server
 * dry-run for plans, reads without server-managed fields, foreground deletes, retries on 429/5xx and
 * connection errors, a client-side rate limit.
 */
export class KubernetesRuntime implements Runtime {
  readonly type = 'Kubernetes' as const;
  private readonly api: KubernetesObjectApi;
  private readonly fieldManager: string;
  private readonly limiter: RateLimiter;
  private readonly pollMs: number;

  constructor(options: KubernetesRuntimeOptions) {
    this.api = KubernetesObjectApi.makeApiClient(options.config);
    this.fieldManager = options.fieldManager ?? 'kusion';
    this.limiter = new RateLimiter(options.qps ?? 50, options.burst ?? 100);
    this.pollMs = options.pollMs ?? 500;
  }

  async read(resource: Resource, options: RuntimeCallOptions = {}): Promise<JsonObject | undefined> {
    const raw = await this.readRaw(resource, options);
    return raw ? normalizeObject(raw) : undefined;
  }

  async plan(
    _prior: Resource | undefined,
    planned: Resource,
    options: RuntimeCallOptions = {},
  ): Promise<ResourcePlan> {
    const live = await this.readRaw(planned, options);
    const liveVersion = live
      ? String((live['metadata'] as JsonObject | undefined)?.['resourceVersion'] ?? '')
      : null;
    const normalizedLive = live ? normalizeObject(live) : null;
    let predicted: JsonObject;
    try {
      const dryRun = await this.call(planned.id, options, () =>
        this.api.patch(
          planned.attributes as KubernetesObject,
          undefined,
          'All',
          this.fieldManager,
          false,
          PatchStrategy.ServerSideApply,
        ),
      );
      predicted = normalizeObject(dryRun as unknown as JsonObject);
    } catch (error) {
      const namespace = missingNamespace(error);
      if (!live && namespace) {
        // The namespace is created by this very apply (or the apply will fail there): no dry-run possible yet.
        return {
          action: 'Create',
          predicted: normalizeObject(planned.attributes),
          live: null,
          liveVersion,
          notes: [`not validated: namespace ${namespace} does not exist yet`],
        };
      }
      if (live && isImmutableFieldError(error)) {
        return {
          action: 'Replace',
          predicted: planned.attributes,
          live: normalizedLive,
          liveVersion,
          notes: ['immutable field changed: delete, then create'],
        };
      }
      throw error;
    }
    if (!normalizedLive) return { action: 'Create', predicted, live: null, liveVersion, notes: [] };
    const action = isDeepStrictEqual(predicted, normalizedLive) ? 'UnChanged' : 'Update';
    return { action, predicted, live: normalizedLive, liveVersion, notes: [] };
  }

  async apply(
    planned: Resource,
    plan: ResourcePlan,
    options: RuntimeCallOptions & { readonly force?: boolean } = {},
  ): Promise<Resource> {
    if (plan.action === 'Replace') await this.delete(planned, { ...options, wait: true });
    const applied = await this.call(planned.id, options, () =>
      this.api.patch(
        planned.attributes as KubernetesObject,
        undefined,
        undefined,
        this.fieldManager,
        options.force === true,
        PatchStrategy.ServerSideApply,
      ),
    );
    return { ...planned, attributes: stateObject(applied as unknown as JsonObject) };
  }

  async delete(
    prior: Resource,
    options: RuntimeCallOptions & { readonly wait?: boolean } = {},
  ): Promise<void> {
    try {
      await this.call(prior.id, options, () =>
        this.api.delete(header(prior.attributes), undefined, undefined, undefined, undefined, 'Foreground'),
      );
    } catch (error) {
      if (error instanceof KusionError && isNotFound(error.cause)) return;
      throw error;
    }
    if (!options.wait) return;
    while (await this.readRaw(prior, options))
      await sleep(this.pollMs, undefined, options.signal ? { signal: options.signal } : {});
  }

  async readiness(resource: Resource, options: RuntimeCallOptions = {}): Promise<Readiness> {
    const live = await this.readRaw(resource, options);
    return live ? { ...readinessOf(live), object: live } : { state: 'progressing', message: 'not found yet' };
  }

  async explain(resource: Resource, options: RuntimeCallOptions = {}): Promise<readonly string[]> {
    const live = await this.readRaw(resource, options);
    if (!live) return ['the object does not exist'];
    const metadata = (live['metadata'] ?? {}) as { name?: string; namespace?: string };
    const reasons = failingConditions(live);
    if (!metadata.namespace) return reasons;
    const list = (kind: string, selector: { field?: string; label?: string }) =>
      this.call(resource.id, options, () =>
        this.api.list(
          'v1',
          kind,
          metadata.namespace,
          undefined,
          undefined,
          undefined,
          selector.field,
          selector.label,
        ),
      ).catch(() => ({ items: [] }));
    const events = await list('Event', { field: `involvedObject.name=${metadata.name},type=Warning` });
    reasons.push(...recentWarnings(events.items as unknown as JsonObject[]));
    const matchLabels = (live['spec'] as { selector?: { matchLabels?: Record<string, string> } } | undefined)
      ?.selector?.matchLabels;
    if (matchLabels && Object.keys(matchLabels).length > 0) {
      const pods = await list('Pod', {
        label: Object.entries(matchLabels)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      });
      const failing = firstFailingContainer(pods.items as unknown as JsonObject[]);
      if (failing) reasons.push(failing);
    }
    return reasons;
  }

  async close(): Promise<void> {}

  /** The live object as the server returns it, or undefined when absent. */
  private async readRaw(resource: Resource, options: RuntimeCallOptions): Promise<JsonObject | undefined> {
    try {
      return (await this.call(resource.id, options, () =>
        this.api.read(header(resource.attributes)),
      )) as unknown as JsonObject;
    } catch (error) {
      if (error instanceof KusionError && isNotFound(error.cause)) return undefined;
      throw error;
    }
  }

  /** One API call: rate-limited, retried on transient failures, mapped to coded errors. */
  private async call<T>(
    resourceId: string,
    options: RuntimeCallOptions,
    request: () => Promise<T>,
  ): Promise<T> {
    try {
      return await pRetry(
        async () => {
          await this.limiter.take(options.signal);
          try {
            return await request();
          } catch (error) {
            if (!isRetryable(error)) throw new AbortError(error instanceof Error ? error : String(error));
            throw error;
          }
        },
        {
          retries: 4,
          minTimeout: 200,
          maxTimeout: 3_000,
          ...(options.signal ? { signal: options.signal } : {}),
        },
      );
    } catch (error) {
      if (isUnknownKind(error)) {
        throw new KusionError(Codes.kindNotServed, `${resourceId}: the cluster does not serve this kind`, {
          location: resourceId,
          cause: error,
          hints: [
            'install its CustomResourceDefinition (in this stack or beforehand), or check apiVersion and kind',
          ],
        });
      }
      if (httpStatus(error) === 404)
        throw new KusionError(Codes.rejectedByApiServer, `${resourceId}: not found`, {
          location: resourceId,
          cause: error,
          source: 'external',
        });
      throw apiError(error, resourceId);
    }
  }
}

function isImmutableFieldError(error: unknown): boolean {
  const cause = error instanceof KusionError ? error.cause : error;
  return (
    httpStatus(cause) === 422 && /immutable/i.test(JSON.stringify((cause as { body?: unknown }).body ?? ''))
  );
}

/** client-node's discovery fails for kinds the server does not serve: unknown group (404) or unknown kind. */
function isUnknownKind(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    /Unrecognized API version and kind/i.test(error.message) ||
    (/Failed to fetch resource metadata/i.test(error.message) && httpStatus(error) === 404)
  );
}

/** The namespace named by a 404 `namespaces "x" not found`, if that is what the error is. */
function missingNamespace(error: unknown): string | undefined {
  const cause = error instanceof KusionError ? error.cause : error;
  if (httpStatus(cause) !== 404) return undefined;
  const details = statusOf(cause as Parameters<typeof statusOf>[0]).details;
  return details?.kind === 'namespaces' ? details.name : undefined;
}

type Condition = { type?: string; status?: string; reason?: string; message?: string };

/** Conditions that are not True, as `Type=False (Reason): message`. */
function failingConditions(live: JsonObject): string[] {
  const conditions = (live['status'] as { conditions?: Condition[] } | undefined)?.conditions ?? [];
  return conditions
    .filter((c) => c.status !== 'True')
    .map(
      (c) =>
        `condition ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`,
    );
}

/** The last five Warning events, newest last. */
function recentWarnings(events: readonly JsonObject[]): string[] {
  const time = (e: JsonObject) => String(e['lastTimestamp'] ?? e['eventTime'] ?? '');
  return [...events]
    .sort((a, b) => (time(a) < time(b) ? -1 : 1))
    .slice(-5)
    .map((e) => `event ${String(e['reason'] ?? '')}: ${String(e['message'] ?? '')}`);
}

/** The first container waiting or terminated with a reason, e.g. CrashLoopBackOff or ImagePullBackOff. */
function firstFailingContainer(pods: readonly JsonObject[]): string | undefined {
  for (const pod of pods) {
    const statuses =
      (
        pod['status'] as
          | {
              containerStatuses?: {
                name?: string;
                state?: Record<string, { reason?: string; message?: string }>;
              }[];
            }
          | undefined
      )?.containerStatuses ?? [];
    for (const container of statuses) {
      const state = container.state?.['waiting'] ?? container.state?.['terminated'];
      if (state?.reason && state.reason !== 'Completed') {
        const name = (pod['metadata'] as { name?: string } | undefined)?.name;
        return `pod ${name} container ${container.name}: ${state.reason}${state.message ? `: ${state.message}` : ''}`;
      }
    }
  }
  return undefined;
}
