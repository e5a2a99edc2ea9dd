/**
 * Drift of Terraform resources (SPEC §13.2, §15): `plan -refresh-only -json -out` then `show -json`. A
 * refresh-only plan proposes no change; its `resource_drift` lists what changed or vanished outside
 * OpenTofu and `prior_state` holds the refreshed values. Only provider blocks are configured, so the
 * resources are refreshed from state exactly as recorded, whatever the current spec says.
 */
import type { JsonObject, JsonValue, Resource } from '../../model/index.js';
import type { RefreshedResource } from '../port.js';
import { addressOf } from './config.js';
import { truePaths } from './plan-json.js';

export const refreshPlanFile = 'refresh.bin';

/** Arguments of the refresh-only plan, targeted at the recorded resources. */
export function refreshArgs(priors: readonly Resource[], parallelism: number): string[] {
  return [
    'plan',
    '-refresh-only',
    '-json',
    '-input=false',
    '-lock=false',
    `-out=${refreshPlanFile}`,
    `-parallelism=${parallelism}`,
    ...priors.map((r) => `-target=${addressOf(r)}`),
  ];
}

interface RawModule {
  resources?: { address?: string; mode?: string; values?: JsonObject; sensitive_values?: JsonValue }[];
}

interface RawDrift {
  address?: string;
  mode?: string;
  change?: {
    before?: JsonValue;
    after?: JsonValue;
    before_sensitive?: JsonValue;
    after_sensitive?: JsonValue;
  };
}

const asObject = (value: JsonValue | undefined): JsonObject | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;

/**
 * Per recorded resource: drifted ones with OpenTofu's before and after, unchanged ones with their refreshed
 * values on both sides, and those OpenTofu no longer knows (absent from the refreshed state) with `after`
 * null.
 */
export function refreshedResources(
  priors: readonly Resource[],
  shown: string,
): ReadonlyMap<string, RefreshedResource> {
  const raw = JSON.parse(shown) as {
    resource_drift?: RawDrift[];
    prior_state?: { values?: { root_module?: RawModule } };
  };
  const drift = new Map<string, RefreshedResource>();
  for (const entry of raw.resource_drift ?? []) {
    if (entry.mode !== 'managed' || !entry.address || !entry.change) continue;
    const { change } = entry;
    drift.set(entry.address, {
      before: withoutNulls(asObject(change.before)),
      after: withoutNulls(asObject(change.after)),
      sensitivePaths: sensitive(change.before_sensitive, change.after_sensitive),
    });
  }
  const refreshed = new Map<string, RefreshedResource>();
  for (const resource of raw.prior_state?.values?.root_module?.resources ?? []) {
    if (resource.mode !== 'managed' || !resource.address || !resource.values) continue;
    const values = withoutNulls(resource.values);
    refreshed.set(resource.address, {
      before: values,
      after: values,
      sensitivePaths: sensitive(resource.sensitive_values),
    });
  }
  const result = new Map<string, RefreshedResource>();
  for (const prior of priors) {
    const address = addressOf(prior);
    result.set(
      prior.id,
      drift.get(address) ?? refreshed.get(address) ?? { before: null, after: null, sensitivePaths: [] },
    );
  }
  return result;
}

const sensitive = (...trees: (JsonValue | undefined)[]) =>
  [...new Set(trees.flatMap((t) => truePaths(t)))].sort();

/** Unset optional attributes are null in OpenTofu's JSON; they are noise in a diff. */
function withoutNulls(value: JsonObject | null): JsonObject | null {
  if (value === null) return null;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) as JsonObject;
}
