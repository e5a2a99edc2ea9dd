import { Codes, KusionError } from '../errors/index.js';
import type { JsonObject, Resource, ResourceType } from '../model/index.js';

/** What a plan does with one resource (SPEC §10.1). */
export type Action = 'Create' | 'Update' | 'Replace' | 'Delete' | 'UnChanged';

/** A runtime's verdict on one planned resource. */
export interface ResourcePlan {
  readonly action: Action;
  /** The object as it would be after applying (server dry-run), normalised; null for Delete. */
  readonly predicted: JsonObject | null;
  /** The live object, normalised; null when absent. */
  readonly live: JsonObject | null;
  /** Version of the live object that the plan was computed against, to refuse stale plans. */
  readonly liveVersion: string | null;
  readonly notes: readonly string[];
  /** Dot paths the runtime knows to be sensitive (Terraform schema sensitivity), masked and encrypted. */
  readonly sensitivePaths?: readonly string[];
}

/**
 * KUS8001 for a write that went through although the plan was stale (a planned Create that found the object
 * created by someone else meanwhile): `applied` is the object as it now is, so state records what exists.
 */
export class StaleWriteError extends KusionError {
  readonly applied: Resource;

  constructor(message: string, applied: Resource) {
    super(Codes.planStale, message, {
      location: applied.id,
      source: 'external',
      hints: ['run preview again: the object is recorded as it now is'],
    });
    this.applied = applied;
  }
}

/** Readiness of an applied resource (SPEC §11.4). */
export interface Readiness {
  readonly state: 'ready' | 'progressing' | 'failed';
  /** Human-readable reason, e.g. `2/3 available` or `ProgressDeadlineExceeded`. */
  readonly message: string;
  /** The live object the verdict was made on, status included, for health policies. */
  readonly object?: JsonObject;
}

export interface RuntimeCallOptions {
  readonly signal?: AbortSignal;
  /** `--force-conflicts`: plan as the forced write will apply, taking over fields other managers own. */
  readonly force?: boolean;
}

export interface PlanCallOptions extends RuntimeCallOptions {
  /**
   * The planned attributes are exactly what the latest release, a succeeded apply, applied, and `prior`
   * records what that apply left. A runtime may then plan UnChanged from a read showing the object still as
   * recorded, without predicting the apply: applying the same intent to the same object changes nothing.
   */
  readonly appliedBefore?: boolean;
}

/** A live object as the server stores it, for drift detection (SPEC §15): ownership metadata included. */
export interface Observation {
  /** Kubernetes: the object with `metadata.managedFields`. */
  readonly object: JsonObject;
  /** The field manager Kusion writes as: its managed-fields entries are the fields Kusion owns. */
  readonly fieldManager: string;
}

/** What `plan -refresh-only` found for one recorded resource (SPEC §13.2 drift). */
export interface RefreshedResource {
  /** As the runtime's state recorded it, and as it is now (null when it no longer exists). */
  readonly before: JsonObject | null;
  readonly after: JsonObject | null;
  /** Dot paths the runtime marks sensitive on either side. */
  readonly sensitivePaths: readonly string[];
}

/**
 * The runtime port (SPEC §13): one implementation per resource type. Runtimes receive resolved values,
 * return one outcome per resource, and never print.
 */
export interface Runtime {
  readonly type: ResourceType;
  /** The live object, normalised (server-managed fields stripped), or undefined when it does not exist. */
  read(resource: Resource, options?: RuntimeCallOptions): Promise<JsonObject | undefined>;
  plan(prior: Resource | undefined, planned: Resource, options?: PlanCallOptions): Promise<ResourcePlan>;
  /**
   * Announces the resources a plan is about to plan with `appliedBefore`, before their `plan` calls, so a
   * runtime may read them in bulk (Kubernetes: one list per kind and namespace instead of a read each).
   */
  prefetch?(resources: readonly Resource[], options?: RuntimeCallOptions): void;
  /**
   * Applies a planned resource; returns it with the attributes the server returned. Applies what the plan
   * showed and only that (SPEC §10.4): refuses with KUS8001 when the live object is no longer at
   * `plan.liveVersion` (null: absent), or throws `StaleWriteError` when it could only tell after writing.
   */
  apply(
    planned: Resource,
    plan: ResourcePlan,
    options?: RuntimeCallOptions & { readonly force?: boolean },
  ): Promise<Resource>;
  /** Deletes; with `wait`, until the object is gone (finalizers included). */
  delete(prior: Resource, options?: RuntimeCallOptions & { readonly wait?: boolean }): Promise<void>;
  /** Current readiness of an applied resource; the executor polls or watches with it. */
  readiness(resource: Resource, options?: RuntimeCallOptions): Promise<Readiness>;
  /**
   * Readiness verdicts as an applied resource changes (SPEC §11.4 watches), the first for
   * `resource.attributes` as applied. The stream ends when the watch drops; the executor then polls
   * `readiness`. Runtimes without it are polled.
   */
  watch?(resource: Resource, options?: RuntimeCallOptions): AsyncIterable<Readiness>;
  /** Why a resource is not ready: failing conditions, recent warnings, the first failing pod (SPEC §11.4). */
  explain?(resource: Resource, options?: RuntimeCallOptions): Promise<readonly string[]>;
  /** The live object with ownership metadata, or undefined when absent (drift, SPEC §15). */
  observe?(resource: Resource, options?: RuntimeCallOptions): Promise<Observation | undefined>;
  /**
   * Adopts an existing object into state without changing it (SPEC §13 `import`, §15): the resource as
   * recorded, or undefined when nothing exists to adopt. `importId` is the provider's ID (Terraform).
   */
  import?(
    resource: Resource,
    importId: string | undefined,
    options?: RuntimeCallOptions,
  ): Promise<Resource | undefined>;
  /** Releases connections and background work. */
  close(): Promise<void>;
}

/** One resource's result in a unit run. */
export interface UnitOutcome {
  readonly id: string;
  readonly status: 'succeeded' | 'failed' | 'skipped';
  /** The resource as applied (attributes from the runtime's state), when it exists afterwards. */
  readonly resource?: Resource;
  readonly error?: KusionError;
}

export interface UnitCallOptions extends RuntimeCallOptions {
  /** Per-resource progress while the unit runs, e.g. `Still creating… (10s elapsed)`. */
  readonly onProgress?: (id: string, message: string) => void;
}

/**
 * Runtimes whose resources are planned and applied together, one process run per unit (Terraform root
 * modules, SPEC §13.2). Members arrive resolved except `$kusion_path` references to other members, which
 * the runtime expresses natively.
 */
export interface UnitRuntime {
  planUnit(
    members: readonly Resource[],
    options?: RuntimeCallOptions,
  ): Promise<ReadonlyMap<string, ResourcePlan>>;
  /** Applies the `targets` among `members` (the others are context for references). */
  applyUnit(
    members: readonly Resource[],
    targets: ReadonlySet<string>,
    options?: UnitCallOptions,
  ): Promise<readonly UnitOutcome[]>;
  /** Deletes prior resources together, dependents first. */
  deleteUnit(priors: readonly Resource[], options?: UnitCallOptions): Promise<readonly UnitOutcome[]>;
  /** Refreshes recorded resources without planning changes (`plan -refresh-only`); writes nothing. */
  driftUnit?(
    priors: readonly Resource[],
    options?: RuntimeCallOptions,
  ): Promise<ReadonlyMap<string, RefreshedResource>>;
}

export const isUnitRuntime = (runtime: Runtime): runtime is Runtime & UnitRuntime =>
  'applyUnit' in runtime && typeof runtime.applyUnit === 'function';
