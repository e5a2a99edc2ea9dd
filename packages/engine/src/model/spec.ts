import type { JsonObject, Resource } from '@kusion/module-sdk';

export type { JsonObject, JsonValue, Resource, ResourceType } from '@kusion/module-sdk';

/** An output value published by a module (`<app>.<accessory or workload>.<name>`). */
export type OutputValue = string | number | boolean;

/** The flat, sorted, validated list of resources produced by generate (SPEC §7). */
export interface Spec {
  readonly resources: readonly Resource[];
  readonly secretStore: JsonObject | null;
  readonly context: JsonObject;
  readonly outputs: Readonly<Record<string, OutputValue>>;
}

/** The resolved version of every module a spec was generated with (SPEC §5.5). */
export type ResolvedModules = Readonly<
  Record<string, { source: string; version: string; integrity?: string }>
>;
