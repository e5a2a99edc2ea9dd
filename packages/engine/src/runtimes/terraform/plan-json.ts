import { knownAfterApply } from '../../engine/references.js';
import type { JsonObject, JsonValue } from '../../model/index.js';
import type { Action } from '../port.js';

/** One entry of `resource_changes` in `tofu show -json <planfile>`. */
export interface ResourceChange {
  readonly address: string;
  readonly action: Action;
  readonly before: JsonObject | null;
  /** Planned values, unknown ones as `(known after apply)`. */
  readonly after: JsonObject | null;
  /** Dot paths OpenTofu marks sensitive on either side. */
  readonly sensitive: readonly string[];
  /** Dot paths of the changes that force replacement. */
  readonly replacePaths: readonly string[];
}

/** What Kusion reads of a plan: per-address changes and the refreshed state the plan started from. */
export interface PlanDocument {
  readonly changes: ReadonlyMap<string, ResourceChange>;
  /** Refreshed values per address (`prior_state`). */
  readonly prior: ReadonlyMap<string, JsonObject>;
}

interface RawChange {
  address?: string;
  mode?: string;
  change?: {
    actions?: string[];
    before?: JsonValue;
    after?: JsonValue;
    after_unknown?: JsonValue;
    before_sensitive?: JsonValue;
    after_sensitive?: JsonValue;
    replace_paths?: JsonValue[][];
  };
}

interface RawModule {
  resources?: { address?: string; mode?: string; values?: JsonObject }[];
  child_modules?: RawModule[];
}

export function parsePlanDocument(text: string): PlanDocument {
  const raw = JSON.parse(text) as {
    resource_changes?: RawChange[];
    prior_state?: { values?: { root_module?: RawModule } };
  };
  const changes = new Map<string, ResourceChange>();
  for (const entry of raw.resource_changes ?? []) {
    if (entry.mode !== 'managed' || !entry.address || !entry.change) continue;
    const { change } = entry;
    const before = asObject(change.before);
    const after = asObject(change.after);
    changes.set(entry.address, {
      address: entry.address,
      action: actionOf(change.actions ?? []),
      before,
      after: after ? (markUnknown(after, change.after_unknown) as JsonObject) : null,
      sensitive: [
        ...new Set([...truePaths(change.before_sensitive), ...truePaths(change.after_sensitive)]),
      ].sort(),
      replacePaths: (change.replace_paths ?? []).map((p) => p.map(String).join('.')),
    });
  }
  const prior = new Map<string, JsonObject>();
  for (const resource of raw.prior_state?.values?.root_module?.resources ?? []) {
    if (resource.mode === 'managed' && resource.address && resource.values)
      prior.set(resource.address, resource.values);
  }
  return { changes, prior };
}

function actionOf(actions: readonly string[]): Action {
  if (actions.includes('delete') && actions.includes('create')) return 'Replace';
  if (actions.includes('create')) return 'Create';
  if (actions.includes('update')) return 'Update';
  if (actions.includes('delete')) return 'Delete';
  return 'UnChanged';
}

const asObject = (value: JsonValue | undefined): JsonObject | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;

/** Puts `(known after apply)` wherever `after_unknown` holds `true`. */
function markUnknown(value: JsonValue | undefined, unknown: JsonValue | undefined): JsonValue {
  if (unknown === true) return knownAfterApply;
  if (Array.isArray(unknown)) {
    const list = Array.isArray(value) ? value : [];
    const length = Math.max(list.length, unknown.length);
    return Array.from({ length }, (_, i) => markUnknown(list[i] ?? null, unknown[i]));
  }
  if (typeof unknown === 'object' && unknown !== null) {
    const object = asObject(value ?? null) ?? {};
    const keys = new Set([...Object.keys(object), ...Object.keys(unknown)]);
    return Object.fromEntries([...keys].map((k) => [k, markUnknown(object[k] ?? null, unknown[k])]));
  }
  return value ?? null;
}

/** Dot paths of the `true` leaves of a sensitivity (or unknown-ness) tree. */
export function truePaths(tree: JsonValue | undefined, prefix = ''): string[] {
  if (tree === true) return prefix ? [prefix] : [];
  const join = (key: string) => (prefix ? `${prefix}.${key}` : key);
  if (Array.isArray(tree)) return tree.flatMap((item, i) => truePaths(item, join(String(i))));
  if (typeof tree === 'object' && tree !== null)
    return Object.entries(tree).flatMap(([k, v]) => truePaths(v, join(k)));
  return [];
}
