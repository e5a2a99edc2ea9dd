import type { JsonObject, JsonValue } from '../../model/index.js';

const serverMetadata = [
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'selfLink',
];
const serverAnnotations = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
];

/**
 * An object without the fields the server owns (SPEC §10.2): status, managed fields, versions and the
 * annotations tools write. Live and predicted objects both go through it, so server defaults cancel out.
 */
export function normalizeObject(object: JsonObject): JsonObject {
  const { status: _, ...rest } = object;
  const metadata = { ...((rest['metadata'] ?? {}) as JsonObject) };
  for (const key of serverMetadata) delete metadata[key];
  const annotations = metadata['annotations'];
  if (isMap(annotations)) {
    const kept = Object.fromEntries(
      Object.entries(annotations).filter(([key]) => !serverAnnotations.includes(key)),
    );
    if (Object.keys(kept).length > 0) metadata['annotations'] = kept;
    else delete metadata['annotations'];
  }
  return { ...rest, metadata };
}

/** State keeps the last observed object minus `managedFields` (SPEC §9.1). */
export function stateObject(object: JsonObject): JsonObject {
  const metadata = { ...((object['metadata'] ?? {}) as JsonObject) };
  delete metadata['managedFields'];
  return { ...object, metadata };
}

function isMap(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
