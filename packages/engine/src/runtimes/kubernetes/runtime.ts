import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import pRetry, { AbortError } from 'p-retry';
import { Codes, KusionError } from '../../errors/index.js';
import type { JsonObject, Resource } from '../../model/index.js';
import {
  type Observation,
  type PlanCallOptions,
  type Readiness,
  type ResourcePlan,
  type Runtime,
  type RuntimeCallOptions,
  StaleWriteError,
} from '../port.js';
import { apiError, httpStatus, isNotFound, isRetryable, statusOf } from './api-errors.js';
import { type AppliedObject, ObjectClient } from './client.js';
import { failingConditions, firstFailingContainer, recentWarnings } from './explain.js';
import { managedFieldsUpgradePatch, needsManagedFieldsUpgrade } from './managed-fields.js';
import { normalizeObject, stateObject } from './normalize.js';
import { RateLimiter } from './rate-limiter.js';
import { readinessOf } from './readiness.js';
import { watchObject } from './watch.js';

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
  private readonly config: KubeConfig;
  private readonly api: ObjectClient;
  private readonly fieldManager: string;
  private readonly limiter: RateLimiter;
  private readonly pollMs: number;
  /** IDs whose live object still carries the original Kusion's `Update` entry: upgraded before applying. */
  private readonly legacyOwned = new Set<string>();
  /**
   * Namespaces a dry run found missing in this run: the other objects planned into them are Creates without
   * asking again (a 1,000-object stack from empty otherwise sends a refused dry run per object). Forgotten
   * once anything is applied into them, or they are applied.
   */
  private readonly absentNamespaces = new Set<string>();
  /** Namespaces planned in this run → whether the plan creates them. */
  private readonly namespacePlans = new Map<string, Promise<boolean>>();
  /** StorageClass name ('' for the default) → binds on first consumer. */
  private readonly bindingModes = new Map<string, boolean>();
  /**
   * Kind and namespace groups announced by `prefetch` with enough objects to list → their listing by name
   * (undefined when the list failed and objects are read one by one).
   */
  private readonly listedGroups = new Map<string, Promise<ReadonlyMap<string, JsonObject> | undefined>>();

  constructor(options: KubernetesRuntimeOptions) {
    this.config = options.config;
    this.api = ObjectClient.forConfig(options.config);
    this.fieldManager = options.fieldManager ?? 'kusion';
    this.limiter = new RateLimiter(options.qps ?? 50, options.burst ?? 100);
    this.pollMs = options.pollMs ?? 500;
  }

  async read(resource: Resource, options: RuntimeCallOptions = {}): Promise<JsonObject | undefined> {
    const raw = await this.readRaw(resource, options);
    return raw ? normalizeObject(raw) : undefined;
  }

  /** The live object with its managed fields, for drift (SPEC §15). */
  async observe(resource: Resource, options: RuntimeCallOptions = {}): Promise<Observation | undefined> {
    const object = await this.readRaw(resource, options);
    return object ? { object, fieldManager: this.fieldManager } : undefined;
  }

  /** `kusion import`: the live object as state records it (SPEC §15); nothing is written to the cluster. */
  async import(resource: Resource, _importId: string | undefined, options: RuntimeCallOptions = {}) {
    const live = await this.readRaw(resource, options);
    return live ? { ...resource, attributes: stateObject(live) } : undefined;
  }

  /**
   * Groups of at least `LIST_MIN` announced objects are listed once instead of read one by one, all lists
   * at once: waiting for each group's list in turn behind the plan's parallelism would serialise them.
   */
  prefetch(resources: readonly Resource[], options: RuntimeCallOptions = {}): void {
    const groups = new Map<string, Resource[]>();
    for (const resource of resources) {
      const group = groupOf(resource.attributes);
      const members = groups.get(group);
      if (members) members.push(resource);
      else groups.set(group, [resource]);
    }
    for (const [group, members] of groups)
      if (members.length >= LIST_MIN && !this.listedGroups.has(group))
        this.listedGroups.set(group, this.listGroup(members[0] as Resource, options));
  }

  /**
   * An object the last apply applied exactly so (`appliedBefore`) and still as it left it is UnChanged from
   * a read, or its group's list: a no-op preview sends no dry run. Otherwise the server dry run usually
   * decides alone. A missing namespace means a Create (nothing can exist in it); a prediction without a
   * resourceVersion is a Create (the server stored nothing); a prediction at the version state recorded,
   * equal to the recorded object, is UnChanged. Only otherwise is the live object read for the diff.
   */
  async plan(
    prior: Resource | undefined,
    planned: Resource,
    options: PlanCallOptions = {},
  ): Promise<ResourcePlan> {
    if (planned.attributes['kind'] === 'Namespace') {
      const plan = this.planObject(prior, planned, options);
      const name = header(planned.attributes).metadata.name;
      this.namespacePlans.set(
        name,
        plan.then((p) => p.action === 'Create').catch(() => false),
      );
      return plan;
    }
    const namespace = namespaceOf(planned.attributes);
    // Objects are planned after their Namespace (topological order): a Namespace being created now means
    // nothing in it can be dry-run yet, which its plan tells without a refused request per object.
    if (namespace && (await this.namespacePlans.get(namespace))) this.absentNamespaces.add(namespace);
    if (namespace && this.absentNamespaces.has(namespace)) return notValidated(planned, namespace);
    return this.planObject(prior, planned, options);
  }

  private async planObject(
    prior: Resource | undefined,
    planned: Resource,
    options: PlanCallOptions,
  ): Promise<ResourcePlan> {
    if (prior && options.appliedBefore && options.force !== true) {
      const unchanged = await this.unchangedSinceApplied(prior, planned, options);
      if (unchanged) return unchanged;
    }
    let dryRun: JsonObject;
    const notes: string[] = [];
    try {
      dryRun = await this.dryRunApply(planned, options, options.force === true);
    } catch (error) {
      if (!conflictsOnlyWith(error, this.fieldManager))
        return await this.planFailedDryRun(planned, error, options);
      // Only our former self (the original Kusion's `Update` entry) owns what changes; after the upgrade
      // that apply does first, those fields are ours, so predict with them taken over.
      this.legacyOwned.add(planned.id);
      dryRun = await this.dryRunApply(planned, options, true);
    }
    if (this.noteLegacy(planned.id, dryRun))
      notes.push('managed fields written by the original Kusion are upgraded to server-side apply');
    const predicted = normalizeObject(dryRun);
    const version = versionOf(dryRun);
    if (!version) return { action: 'Create', predicted, live: null, liveVersion: null, notes };
    if (prior && versionOf(prior.attributes) === version) {
      const recorded = normalizeObject(prior.attributes);
      if (isDeepStrictEqual(predicted, recorded))
        return { action: 'UnChanged', predicted, live: recorded, liveVersion: version, notes };
    }
    const live = await this.readRaw(planned, options);
    if (!live) return { action: 'Create', predicted, live: null, liveVersion: null, notes };
    const normalizedLive = normalizeObject(live);
    const action = isDeepStrictEqual(predicted, normalizedLive) ? 'UnChanged' : 'Update';
    return { action, predicted, live: normalizedLive, liveVersion: versionOf(live) ?? null, notes };
  }

  /**
   * UnChanged without a dry run, when the live object is still as the apply of these very attributes left
   * it (status and server bookkeeping aside, as normalizeObject drops them): applying them again would
   * change nothing. Anything else (drift, a deletion under way, a legacy owner to upgrade) is undefined,
   * and the dry run decides.
   */
  private async unchangedSinceApplied(
    prior: Resource,
    planned: Resource,
    options: RuntimeCallOptions,
  ): Promise<ResourcePlan | undefined> {
    const live = await this.liveForPlan(planned, options);
    if (!live || needsManagedFieldsUpgrade(live, this.fieldManager)) return undefined;
    const normalizedLive = normalizeObject(live);
    if (!isDeepStrictEqual(normalizedLive, normalizeObject(prior.attributes))) return undefined;
    return {
      action: 'UnChanged',
      predicted: normalizedLive,
      live: normalizedLive,
      liveVersion: versionOf(live) ?? null,
      notes: [],
    };
  }

  /** The live object, from its group's listing when `prefetch` announced enough of them, else read alone. */
  private async liveForPlan(planned: Resource, options: RuntimeCallOptions): Promise<JsonObject | undefined> {
    const listing = this.listedGroups.get(groupOf(planned.attributes));
    const byName = await listing; // undefined: not announced, or the list failed
    return byName ? byName.get(header(planned.attributes).metadata.name) : this.readRaw(planned, options);
  }

  private async listGroup(
    member: Resource,
    options: RuntimeCallOptions,
  ): Promise<ReadonlyMap<string, JsonObject> | undefined> {
    const { apiVersion, kind, metadata } = header(member.attributes);
    try {
      const items = await this.call(member.id, options, () =>
        this.api.listObjects(apiVersion ?? '', kind ?? '', metadata.namespace),
      );
      return new Map(items.map((item) => [item.metadata?.name ?? '', item as JsonObject]));
    } catch {
      // E.g. allowed to read these objects but not to list them. Never rejects: a list started ahead
      // may have no one awaiting it yet, and an aborted run fails on its next read anyway.
      return undefined;
    }
  }

  /** A plan from a dry run the server refused: missing namespace → Create, immutable field → Replace. */
  private async planFailedDryRun(
    planned: Resource,
    error: unknown,
    options: RuntimeCallOptions,
  ): Promise<ResourcePlan> {
    const namespace = missingNamespace(error);
    if (namespace) {
      this.absentNamespaces.add(namespace);
      return notValidated(planned, namespace);
    }
    if (!isImmutableFieldError(error)) throw error;
    const live = await this.readRaw(planned, options);
    if (!live) throw error;
    return {
      action: 'Replace',
      predicted: planned.attributes,
      live: normalizeObject(live),
      liveVersion: versionOf(live) ?? null,
      notes: ['immutable field changed: delete, then create'],
    };
  }

  /**
   * One write per resource, guarded so that what the plan showed is what gets applied (SPEC §10.4): an
   * update carries the planned `resourceVersion` as a precondition and a Replace deletes under one, so the
   * server refuses an object that moved since; a planned Create that the server answers with 200 (the object
   * existed) instead of 201 was created by someone else meanwhile.
   */
  async apply(
    planned: Resource,
    plan: ResourcePlan,
    options: RuntimeCallOptions & { readonly force?: boolean } = {},
  ): Promise<Resource> {
    const kind = planned.attributes['kind'];
    const target =
      kind === 'Namespace' ? header(planned.attributes).metadata.name : namespaceOf(planned.attributes);
    if (target) {
      this.absentNamespaces.delete(target);
      this.namespacePlans.delete(target);
    }
    let expected: string | null | undefined = plan.action === 'Replace' ? null : plan.liveVersion;
    if (plan.action === 'Replace')
      await this.delete(planned, { ...options, wait: true, expectedVersion: plan.liveVersion });
    else if (this.legacyOwned.has(planned.id))
      expected = await this.upgradeManagedFields(planned, options, expected);
    let attempts = 0;
    const ssa = (attributes: JsonObject) =>
      this.call(planned.id, options, () => {
        attempts += 1;
        return this.api.serverSideApply(attributes as KubernetesObject, {
          fieldManager: this.fieldManager,
          force: options.force === true,
          dryRun: false,
        });
      });
    let applied: AppliedObject;
    try {
      applied = await ssa(expected ? withVersion(planned.attributes, expected) : planned.attributes);
    } catch (error) {
      if (isVersionConflict(error)) throw movedSincePlan(planned.id, expected);
      throw error;
    }
    if (needsManagedFieldsUpgrade(applied.object as JsonObject, this.fieldManager)) {
      // Not seen at plan time (written in between): upgrade now, and apply again so that fields dropped
      // from the spec are released by the manager that now owns them.
      await this.upgradeManagedFields(planned, options, undefined);
      applied = await ssa(planned.attributes);
    }
    const result = { ...planned, attributes: stateObject(applied.object as JsonObject) };
    // A retried request may find what its own lost first attempt created.
    if (plan.action !== 'Update' && expected === null && !applied.created && attempts === 1) {
      throw new StaleWriteError(
        `${planned.id} was created by someone else since the plan was made; it now also holds this spec's fields`,
        result,
      );
    }
    return result;
  }

  /**
   * Moves the original Kusion's `Update` entry into our `Apply` entry (SPEC §13.1), retrying when the object
   * changed between the read and the guarded patch. With `expected`, the object must still be at that
   * version (else KUS8001); returns the version after the upgrade, for the apply's precondition.
   */
  private async upgradeManagedFields(
    resource: Resource,
    options: RuntimeCallOptions,
    expected: string | null | undefined,
  ): Promise<string | null | undefined> {
    for (let attempt = 0; ; attempt++) {
      const live = await this.readRaw(resource, options);
      if (expected !== undefined && (versionOf(live ?? {}) ?? null) !== expected)
        throw movedSincePlan(resource.id, expected);
      const patch = live ? managedFieldsUpgradePatch(live, this.fieldManager) : undefined;
      if (!patch) {
        this.legacyOwned.delete(resource.id);
        return expected;
      }
      try {
        const upgraded = await this.call(resource.id, options, () =>
          this.api.jsonPatch(header(resource.attributes), patch),
        );
        this.legacyOwned.delete(resource.id);
        return expected === undefined ? undefined : (versionOf(upgraded as JsonObject) ?? null);
      } catch (error) {
        const changed = error instanceof KusionError && httpStatus(error.cause) === 409;
        if (!changed || attempt >= 4 || expected !== undefined) throw error;
      }
    }
  }

  /** Records whether an object still has the original's `Update` entry; true when it does. */
  private noteLegacy(id: string, object: JsonObject): boolean {
    if (!needsManagedFieldsUpgrade(object, this.fieldManager)) return false;
    this.legacyOwned.add(id);
    return true;
  }

  private async dryRunApply(
    planned: Resource,
    options: RuntimeCallOptions,
    force: boolean,
  ): Promise<JsonObject> {
    const { object } = await this.call(planned.id, options, () =>
      this.api.serverSideApply(planned.attributes as KubernetesObject, {
        fieldManager: this.fieldManager,
        force,
        dryRun: true,
      }),
    );
    return object as JsonObject;
  }

  /** Deletes; with `expectedVersion`, only the object at that version (KUS8001 otherwise). */
  async delete(
    prior: Resource,
    options: RuntimeCallOptions & { readonly wait?: boolean; readonly expectedVersion?: string | null } = {},
  ): Promise<void> {
    const { expectedVersion } = options;
    const preconditions = expectedVersion
      ? { preconditions: { resourceVersion: expectedVersion } }
      : undefined;
    try {
      await this.call(prior.id, options, () =>
        this.api.delete(
          header(prior.attributes),
          undefined,
          undefined,
          undefined,
          undefined,
          'Foreground',
          preconditions,
        ),
      );
    } catch (error) {
      if (error instanceof KusionError && isNotFound(error.cause)) return;
      if (isVersionConflict(error)) throw movedSincePlan(prior.id, expectedVersion ?? null);
      throw error;
    }
    if (!options.wait) return;
    while (await this.readRaw(prior, options))
      await sleep(this.pollMs, undefined, options.signal ? { signal: options.signal } : {});
  }

  async readiness(resource: Resource, options: RuntimeCallOptions = {}): Promise<Readiness> {
    const live = await this.readRaw(resource, options);
    return live
      ? { ...(await this.judge(live, options)), object: stateObject(live) }
      : { state: 'progressing', message: 'not found yet' };
  }

  /**
   * Readiness as the object changes (SPEC §11.4): first the verdict on the object as applied (kstatus'
   * observedGeneration rule keeps a stale status from counting), then one per watch event, the watch
   * narrowed by a `metadata.name` field selector and started at the applied version. Ends when the watch
   * does; the executor then polls.
   */
  async *watch(resource: Resource, options: RuntimeCallOptions = {}): AsyncGenerator<Readiness> {
    const first: Readiness = {
      ...(await this.judge(resource.attributes, options)),
      object: resource.attributes,
    };
    yield first;
    if (first.state !== 'progressing') return;
    const target = header(resource.attributes);
    const path = await this.call(resource.id, options, () => this.api.collectionPath(target));
    await this.limiter.take(options.signal);
    const version = versionOf(resource.attributes);
    for await (const event of watchObject(this.config, {
      path,
      name: target.metadata.name,
      ...(version ? { resourceVersion: version } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    })) {
      if (event.type === 'DELETED') yield { state: 'progressing', message: 'not found yet' };
      else yield { ...(await this.judge(event.object, options)), object: stateObject(event.object) };
    }
  }

  /**
   * kstatus rules (readiness.ts), plus the one that needs the cluster: a claim `Pending` on a
   * `WaitForFirstConsumer` StorageClass is ready, or its consumers (which depend on it) would never start.
   */
  private async judge(object: JsonObject, options: RuntimeCallOptions): Promise<Readiness> {
    const verdict = readinessOf(object);
    if (verdict.state !== 'progressing' || object['kind'] !== 'PersistentVolumeClaim') return verdict;
    if ((object['status'] as { phase?: string } | undefined)?.phase !== 'Pending') return verdict;
    const className = (object['spec'] as { storageClassName?: string } | undefined)?.storageClassName;
    return (await this.bindsOnFirstConsumer(className, options))
      ? { state: 'ready', message: 'pending until its first consumer is scheduled (WaitForFirstConsumer)' }
      : verdict;
  }

  /** Whether a StorageClass (the default one when unnamed) binds on first consumer; cached per run. */
  private async bindsOnFirstConsumer(
    name: string | undefined,
    options: RuntimeCallOptions,
  ): Promise<boolean> {
    const key = name ?? '';
    const known = this.bindingModes.get(key);
    if (known !== undefined) return known;
    let classes: { items?: JsonObject[] };
    try {
      classes = (await this.call('StorageClass', options, () =>
        this.api.list('storage.k8s.io/v1', 'StorageClass'),
      )) as unknown as { items?: JsonObject[] };
    } catch {
      return false; // e.g. not allowed to list classes: keep waiting for Bound, as kstatus alone would
    }
    const isDefault = (c: JsonObject) =>
      (c['metadata'] as { annotations?: Record<string, string> } | undefined)?.annotations?.[
        'storageclass.kubernetes.io/is-default-class'
      ] === 'true';
    const chosen = (classes.items ?? []).find((c) =>
      name ? (c['metadata'] as { name?: string } | undefined)?.name === name : isDefault(c),
    );
    const waits = chosen?.['volumeBindingMode'] === 'WaitForFirstConsumer';
    this.bindingModes.set(key, waits);
    return waits;
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

  async close(): Promise<void> {
    await this.api.close();
  }

  /** The live object as the server returns it, or undefined when absent. */
  private async readRaw(resource: Resource, options: RuntimeCallOptions): Promise<JsonObject | undefined> {
    try {
      const live = (await this.call(resource.id, options, () =>
        this.api.readObject(header(resource.attributes)),
      )) as unknown as JsonObject;
      return live;
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

/** The namespace is created by this very apply (or the apply fails there): no dry run is possible yet. */
function notValidated(planned: Resource, namespace: string): ResourcePlan {
  return {
    action: 'Create',
    predicted: normalizeObject(planned.attributes),
    live: null,
    liveVersion: null,
    notes: [`not validated: namespace ${namespace} does not exist yet`],
  };
}

/** Announced groups of at least this many objects are listed rather than read one by one. */
const LIST_MIN = 16;

/** An object's kind and namespace: the unit of a list. */
const groupOf = (attributes: JsonObject): string =>
  `${String(attributes['apiVersion'])} ${String(attributes['kind'])} ${namespaceOf(attributes) ?? ''}`;

const namespaceOf = (attributes: JsonObject): string | undefined =>
  (attributes['metadata'] as { namespace?: string } | undefined)?.namespace || undefined;

/** `metadata.resourceVersion`, or undefined when the server stored nothing (a dry-run create). */
function versionOf(object: JsonObject): string | undefined {
  const version = (object['metadata'] as { resourceVersion?: unknown } | undefined)?.resourceVersion;
  return typeof version === 'string' && version !== '' ? version : undefined;
}

/** The attributes with a `resourceVersion` precondition: the server refuses the write if the object moved. */
function withVersion(attributes: JsonObject, version: string): JsonObject {
  const metadata = (attributes['metadata'] ?? {}) as JsonObject;
  return { ...attributes, metadata: { ...metadata, resourceVersion: version } };
}

/** A 409 that is a failed precondition (`the object has been modified`), not a field-manager conflict. */
function isVersionConflict(error: unknown): boolean {
  const cause = error instanceof KusionError ? error.cause : error;
  if (httpStatus(cause) !== 409) return false;
  const status = statusOf(cause as Parameters<typeof statusOf>[0]);
  return !(status.details?.causes ?? []).some((c) => c.reason === 'FieldManagerConflict');
}

function movedSincePlan(id: string, expected: string | null | undefined): KusionError {
  return new KusionError(
    Codes.planStale,
    `${id} changed since the plan was made (live version ${expected ?? 'absent'} moved)`,
    { location: id, source: 'external', hints: ['run preview again and apply the new plan'] },
  );
}

/** True for a 409 apply conflict whose every conflicting manager is `manager` (under another operation). */
function conflictsOnlyWith(error: unknown, manager: string): boolean {
  const cause = error instanceof KusionError ? error.cause : error;
  if (httpStatus(cause) !== 409) return false;
  const causes = statusOf(cause as Parameters<typeof statusOf>[0]).details?.causes ?? [];
  const owners = causes
    .filter((c) => c.reason === 'FieldManagerConflict')
    .map((c) => /conflict with "([^"]*)"/.exec(c.message ?? '')?.[1]);
  return owners.length > 0 && owners.every((owner) => owner === manager);
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
