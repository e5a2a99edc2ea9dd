/** A JSON value: what modules receive and return. Everything crossing a module boundary is plain JSON. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** The runtime a resource is applied by. */
export type ResourceType = 'Kubernetes' | 'Terraform';

/** One concrete resource of a Spec (SPEC §7.1). */
export interface Resource {
  /** Stable ID, e.g. `apps/v1:Deployment:shop:shop-prod-web` (SPEC §7.2). */
  readonly id: string;
  readonly type: ResourceType;
  /** The Kubernetes object, or the Terraform resource's arguments. */
  readonly attributes: JsonObject;
  /** IDs this resource must wait for; the core adds inferred ones. */
  readonly dependsOn?: readonly string[];
  /** Extension keys of SPEC §7.3 (`GVK`, `kusion.io/is-workload`, `provider`, …). */
  readonly extensions?: JsonObject;
}

/** A Kubernetes EnvVar as modules inject it into the workload. */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: JsonObject;
}

/** A JSON patch of another resource of the same app (SPEC §5.3). */
export interface JsonPatch {
  readonly type: 'MergePatch' | 'JSONPatch';
  /** A JSON value; a JSON string is parsed first (for modules ported from the original). */
  readonly payload: JsonValue;
}

/** Changes a module asks the core to make to the workload and to other resources of its app. */
export interface Patcher {
  readonly environments?: readonly EnvVar[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly podLabels?: Readonly<Record<string, string>>;
  readonly podAnnotations?: Readonly<Record<string, string>>;
  readonly jsonPatcher?: Readonly<Record<string, JsonPatch>>;
}

/** What `generate` returns (SPEC §5.3). */
export interface GenerateResult {
  readonly resources: readonly Resource[];
  readonly patcher?: Patcher;
  /** Published as `outputs["<app>.<accessory or workload>.<name>"]`; may be `$kusion_path` references. */
  readonly outputs?: Readonly<Record<string, string | number | boolean>>;
}

/** The request a module's `generate` receives (SPEC §5.2). */
export interface GenerateRequest<Inputs = JsonObject, Platform = JsonObject> {
  readonly apiVersion: 'kusion.io/module/v1';
  readonly project: string;
  readonly stack: string;
  readonly app: string;
  readonly workspace: string;
  /** The target namespace every namespaced object belongs in (SPEC §3.2). */
  readonly namespace: string;
  readonly role: 'workload' | 'accessory';
  /** The accessory key; null when this module is the workload. */
  readonly accessory: string | null;
  /** The workload's developer inputs after defaults, including `module`. */
  readonly workload: JsonObject;
  /** This module's developer inputs after schema defaults, without `module`. */
  readonly inputs: Inputs;
  /** Resolved platform inputs from the workspace, without core keys. */
  readonly platform: Platform;
  readonly context: JsonObject;
  readonly secretStore: JsonObject | null;
  /** Reads a file below the project directory; the only file access a module has. */
  readonly readFile: (path: string) => string;
}

/**
 * A schema for module inputs: a zod schema or a JSON Schema (draft 2020-12) object.
 * zod schemas are converted to JSON Schema with input semantics; use `z.strictObject` to reject unknown keys.
 */
export type InputSchema = { readonly _zod: unknown } | JsonObject;
