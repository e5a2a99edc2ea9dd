import type { JsonObject, JsonValue } from '../../model/index.js';

/** The parts of an OpenTofu state (format 4) that Kusion reads. */
export interface StateFile {
  readonly serial: number;
  readonly lineage: string;
  /** Attributes per managed resource address (first instance; Kusion resources are single instances). */
  readonly attributes: ReadonlyMap<string, JsonObject>;
  /** Sensitive dot paths per address. */
  readonly sensitive: ReadonlyMap<string, readonly string[]>;
}

interface RawState {
  serial?: number;
  lineage?: string;
  resources?: {
    mode?: string;
    type?: string;
    name?: string;
    module?: string;
    instances?: { attributes?: JsonObject; sensitive_attributes?: JsonValue[] }[];
  }[];
}

export function parseStateFile(text: string): StateFile {
  const raw = JSON.parse(text) as RawState;
  const attributes = new Map<string, JsonObject>();
  const sensitive = new Map<string, readonly string[]>();
  for (const resource of raw.resources ?? []) {
    if (resource.mode !== 'managed' || resource.module || !resource.type || !resource.name) continue;
    const instance = resource.instances?.[0];
    if (!instance?.attributes) continue;
    const address = `${resource.type}.${resource.name}`;
    attributes.set(address, unwrapDynamic(instance.attributes));
    sensitive.set(
      address,
      (instance.sensitive_attributes ?? []).map(pathOf).filter((p) => p !== ''),
    );
  }
  return { serial: raw.serial ?? 0, lineage: raw.lineage ?? '', attributes, sensitive };
}

/** A state path (`[{type: get_attr, value: a}, {type: index, value: {value: 0}}]`) as `a.0`. */
function pathOf(steps: JsonValue): string {
  if (!Array.isArray(steps)) return '';
  return steps
    .map((step) => {
      if (typeof step !== 'object' || step === null || Array.isArray(step)) return '';
      const value = step['value'];
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        return String(value['value'] ?? '');
      return String(value ?? '');
    })
    .filter((s) => s !== '')
    .join('.');
}

/**
 * State stores attributes of dynamic type (e.g. `terraform_data.input`) as `{value, type}`; references
 * and `show -json` see the plain value, so unwrap them. Only whole top-level attributes can be dynamic.
 */
function unwrapDynamic(attributes: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      isDynamicWrapper(value) ? value['value'] : value,
    ]),
  ) as JsonObject;
}

function isDynamicWrapper(value: JsonValue | undefined): value is { value: JsonValue; type: JsonValue } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const type = value['type'];
  return keys.length === 2 && 'value' in value && (typeof type === 'string' || Array.isArray(type));
}
