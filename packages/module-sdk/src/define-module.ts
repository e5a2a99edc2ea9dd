import { z } from 'zod';
import type { GenerateRequest, GenerateResult, InputSchema, JsonObject } from './types.js';

/** Marks an object as a module definition, so loaders can tell it from any other default export. */
export const moduleMarker = 'kusion.io/module/v1';

/** What a module author writes (SPEC §5.1). */
export interface ModuleSpec<Inputs, Platform> {
  /** `^[a-z][a-z0-9-]{0,62}$`; must equal the key the workspace declares it under. */
  readonly name: string;
  /** Semver; equals the package version. */
  readonly version: string;
  readonly developerSchema: InputSchema;
  readonly platformSchema: InputSchema;
  /** Pure: same request, same bytes. No clock, randomness, network, environment or files except `readFile`. */
  readonly generate: (req: GenerateRequest<Inputs, Platform>) => GenerateResult | Promise<GenerateResult>;
}

/** A loaded module definition with both schemas in JSON Schema form. */
export interface ModuleDefinition<Inputs = JsonObject, Platform = JsonObject>
  extends ModuleSpec<Inputs, Platform> {
  readonly apiVersion: typeof moduleMarker;
  readonly developerJsonSchema: JsonObject;
  readonly platformJsonSchema: JsonObject;
}

/** Declares a module. The default export of a module package's entry must be its result. */
export function defineModule<Inputs = JsonObject, Platform = JsonObject>(
  spec: ModuleSpec<Inputs, Platform>,
): ModuleDefinition<Inputs, Platform> {
  return {
    ...spec,
    apiVersion: moduleMarker,
    developerJsonSchema: toJsonSchema(spec.developerSchema),
    platformJsonSchema: toJsonSchema(spec.platformSchema),
  };
}

/** Converts a zod schema to JSON Schema (input semantics, so defaulted fields stay optional). */
export function toJsonSchema(schema: InputSchema): JsonObject {
  if (isZodSchema(schema)) {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonObject;
  }
  return schema as JsonObject;
}

function isZodSchema(schema: InputSchema): schema is z.ZodType {
  return typeof schema === 'object' && schema !== null && '_zod' in schema;
}

/** True when a value is a module definition made by `defineModule`. */
export function isModuleDefinition(value: unknown): value is ModuleDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { apiVersion?: unknown }).apiVersion === moduleMarker &&
    typeof (value as { generate?: unknown }).generate === 'function'
  );
}
