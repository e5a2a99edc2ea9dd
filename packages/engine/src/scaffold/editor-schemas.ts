/**
 * JSON Schemas for editors (yaml-language-server and the like): one for `main.yaml`, one for workspace
 * files. Both are built from the modules' own JSON Schemas, so completion and validation in the editor
 * follow the code. Pure: the same modules give the same bytes (keys sorted by the caller's serialiser).
 *
 * The engine stays the judge: these schemas only mirror what generate and `workspace create` check.
 */
import { z } from 'zod';
import type { JsonObject } from '../model/index.js';
import { WorkspaceSchema } from '../model/index.js';

/** A module as the editor schemas see it: its name and the JSON Schemas of its inputs. */
export interface EditorSchemaModule {
  readonly name: string;
  readonly developerSchema?: JsonObject | undefined;
  readonly platformSchema?: JsonObject | undefined;
}

/** The two editor schemas, as JSON values. */
export interface EditorSchemas {
  /** For `main.yaml` (SPEC §3.3). */
  readonly appConfiguration: JsonObject;
  /** For workspace files given to `kusion workspace create|update -f` (SPEC §4). */
  readonly workspace: JsonObject;
}

/** File names of the editor schemas, as `kusion init` and `npm run docs` write them. */
export const editorSchemaFiles = {
  appConfiguration: 'app-configuration.schema.json',
  workspace: 'workspace.schema.json',
} as const;

const draft = 'https://json-schema.org/draft/2020-12/schema';
const appName = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$';
const moduleName = '^[a-z][a-z0-9-]{0,62}$';
const stringMap: JsonObject = { type: 'object', additionalProperties: { type: 'string' } };

/** A module's JSON Schema without its own `$schema` (only the document root may carry one). */
function embedded(schema: JsonObject | undefined): JsonObject {
  if (!schema) return { type: 'object' };
  const { $schema: _, ...rest } = schema;
  return rest;
}

/** Adds properties to an object schema, keeping `additionalProperties: false` meaningful. */
function withProperties(
  schema: JsonObject,
  extra: Record<string, JsonObject>,
  required?: string,
): JsonObject {
  const properties = (schema['properties'] as JsonObject | undefined) ?? {};
  const result: Record<string, unknown> = { ...schema, properties: { ...properties, ...extra } };
  if (required !== undefined) result['required'] = [required];
  else if (schema['required'] === undefined) delete result['required'];
  return result as JsonObject;
}

function byName(modules: readonly EditorSchemaModule[]): EditorSchemaModule[] {
  return [...modules].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** JSON Schema's `then`, spelled so no linter mistakes the object for a promise. */
const thenKeyword = 'then';

/** The `module:` key of a module use: a known name (for completion) or any module name. */
function moduleKey(names: readonly string[]): JsonObject {
  return {
    description: 'The module to invoke; it is declared in the workspace (built-in modules always are).',
    anyOf: [{ enum: [...names] }, { type: 'string', pattern: moduleName }],
  };
}

/** A module use: `{module: <name>, ...that module's developer inputs}`. */
function moduleUse(modules: readonly EditorSchemaModule[]): JsonObject {
  return {
    type: 'object',
    required: ['module'],
    properties: { module: moduleKey(modules.map((m) => m.name)) },
    allOf: modules.map((m) => ({
      if: { properties: { module: { const: m.name } }, required: ['module'] },
      [thenKeyword]: { $ref: `#/$defs/developer.${m.name}` },
    })),
  };
}

/** The schema of `main.yaml` for these modules. */
export function appConfigurationEditorSchema(modules: readonly EditorSchemaModule[]): JsonObject {
  const sorted = byName(modules);
  const defs: Record<string, JsonObject> = {
    app: {
      type: 'object',
      description: 'An app: one workload and any number of accessories.',
      required: ['workload'],
      additionalProperties: false,
      properties: {
        workload: {
          $ref: '#/$defs/moduleUse',
          description: 'The main runnable resource of the app, e.g. `module: service` or `module: job`.',
        },
        accessories: {
          type: 'object',
          description: 'Named capabilities of the app (database, network, monitoring …), each a module use.',
          propertyNames: { pattern: appName },
          additionalProperties: { $ref: '#/$defs/moduleUse' },
        },
        labels: { ...stringMap, description: 'Added to every Kubernetes resource of the app and its pods.' },
        annotations: {
          ...stringMap,
          description: 'Added to every Kubernetes resource of the app and its pods.',
        },
      },
    },
    moduleUse: moduleUse(sorted),
  };
  for (const m of sorted) {
    defs[`developer.${m.name}`] = {
      title: `${m.name} developer inputs`,
      ...withProperties(embedded(m.developerSchema), { module: { const: m.name } }),
    };
  }
  return {
    $schema: draft,
    title: 'Kusion AppConfiguration (main.yaml)',
    description:
      'App name → app. Keys starting with x- are ignored (anchor holders). Generated from the modules; do not edit.',
    type: 'object',
    propertyNames: { anyOf: [{ pattern: appName }, { pattern: '^x-' }] },
    patternProperties: { '^x-': true },
    additionalProperties: { $ref: '#/$defs/app' },
    $defs: defs,
  };
}

/** Keys the core reads inside any module config (SPEC §4.3). */
const coreConfigKeys: Record<string, JsonObject> = {
  importedResources: {
    type: 'object',
    description:
      'Kusion resource ID → provider import ID: the resource is observed (read, referenced, never changed).',
    additionalProperties: { type: 'string' },
  },
  healthPolicy: {
    type: 'object',
    description: 'CEL readiness checks over `res`, the live object, for the workload or matching resources.',
    required: ['cel'],
    additionalProperties: false,
    properties: {
      cel: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
    },
  },
};

const projectSelector: JsonObject = {
  type: 'array',
  description: 'The projects this patcher block applies to.',
  minItems: 1,
  uniqueItems: true,
  items: { type: 'string' },
};

/** The schema of a workspace file for these modules. */
export function workspaceEditorSchema(modules: readonly EditorSchemaModule[]): JsonObject {
  const base = z.toJSONSchema(WorkspaceSchema, { io: 'input' }) as JsonObject;
  const baseProperties = base['properties'] as Record<string, JsonObject>;
  const genericBlock = (baseProperties['modules'] as JsonObject)['additionalProperties'] as JsonObject;
  const sorted = byName(modules);
  const defs: Record<string, JsonObject> = {};
  const blocks: Record<string, JsonObject> = {};
  for (const m of sorted) {
    const platform = embedded(m.platformSchema);
    defs[`platform.${m.name}`] = {
      title: `${m.name} platform inputs`,
      ...withProperties(platform, coreConfigKeys),
    };
    const { required: _, ...optional } = platform;
    defs[`patcher.${m.name}`] = {
      title: `${m.name} platform inputs for the projects in projectSelector`,
      ...withProperties(optional, { ...coreConfigKeys, projectSelector }, 'projectSelector'),
    };
    blocks[m.name] = withProperties(genericBlock, {
      configs: {
        type: 'object',
        description:
          'Platform inputs: `default` for every project, other blocks for the projects in their projectSelector.',
        properties: { default: { $ref: `#/$defs/platform.${m.name}` } },
        additionalProperties: { $ref: `#/$defs/patcher.${m.name}` },
      },
    });
  }
  const { $schema: _, ...rest } = base;
  return {
    $schema: draft,
    title: 'Kusion workspace',
    description:
      'One environment: modules, secret store, context, runtimes, policies. Generated from the modules; do not edit.',
    ...rest,
    properties: {
      ...baseProperties,
      modules: {
        type: 'object',
        description: 'Module name → block. Built-in modules need no source.',
        propertyNames: { anyOf: [{ pattern: moduleName }, { const: 'k8s_manifest' }] },
        properties: blocks,
        additionalProperties: genericBlock,
      },
    },
    $defs: defs,
  };
}

/** Both editor schemas for one set of modules. */
export function editorSchemas(modules: readonly EditorSchemaModule[]): EditorSchemas {
  return {
    appConfiguration: appConfigurationEditorSchema(modules),
    workspace: workspaceEditorSchema(modules),
  };
}
