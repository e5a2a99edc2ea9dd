/**
 * The generated parts of docs/ and schemas/, as path → content, computed from the code: the CLI reference
 * from the command definitions, and the AppConfiguration reference and the editor schemas from the
 * built-in modules' schemas. `npm run docs` writes them; test/cli/docs-reference.test.ts fails when a
 * committed copy differs.
 */

import { builtinModuleNames } from '../packages/catalog/src/index.js';
import { captureHelp, commandPaths } from '../packages/cli/src/help/capture.js';
import { buildProgram } from '../packages/cli/src/program.js';
import { cliReference } from '../packages/cli/src/reference.js';
import type { JsonObject } from '../packages/engine/src/model/index.js';
import {
  type EditorSchemaModule,
  editorSchemaFiles,
  editorSchemas,
} from '../packages/engine/src/scaffold/editor-schemas.js';

interface CatalogModule extends EditorSchemaModule {
  readonly version: string;
  readonly developerSchema: JsonObject;
  readonly platformSchema: JsonObject;
}

/** The built-in modules, loaded from their sources (so the docs follow the code without a build). */
export async function catalogModules(): Promise<CatalogModule[]> {
  const modules: CatalogModule[] = [];
  for (const name of builtinModuleNames) {
    const loaded = (await import(`../packages/catalog/src/${name}/index.ts`)) as {
      default: {
        name: string;
        version: string;
        developerJsonSchema: JsonObject;
        platformJsonSchema: JsonObject;
      };
    };
    const definition = loaded.default;
    modules.push({
      name: definition.name,
      version: definition.version,
      developerSchema: definition.developerJsonSchema,
      platformSchema: definition.platformJsonSchema,
    });
  }
  return modules;
}

const roles: Readonly<Record<string, string>> = {
  service: 'workload: a long-running Deployment',
  job: 'workload: a Job, or a CronJob when `schedule` is set',
};

/** Markdown table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

function typeOf(schema: JsonObject): string {
  if (schema['const'] !== undefined) return `\`${JSON.stringify(schema['const'])}\``;
  const values = schema['enum'];
  if (Array.isArray(values)) return values.map((v) => `\`${JSON.stringify(v)}\``).join(', ');
  const variants = (schema['anyOf'] ?? schema['oneOf']) as JsonObject[] | undefined;
  if (Array.isArray(variants)) return [...new Set(variants.map(typeOf))].join(' or ');
  const type = schema['type'];
  if (type === 'array') {
    const items = schema['items'] as JsonObject | undefined;
    return items ? `list of ${typeOf(items)}` : 'list';
  }
  if (type === 'object') {
    const values = schema['additionalProperties'];
    if (schema['properties'] === undefined && typeof values === 'object' && values !== null)
      return `map of ${typeOf(values as JsonObject)}`;
    return 'object';
  }
  if (Array.isArray(type)) return type.join(' or ');
  return typeof type === 'string' ? type : 'any';
}

interface ObjectPart {
  readonly suffix: string;
  readonly schema: JsonObject;
  /** One alternative of an anyOf/oneOf: its required fields are "one of", not all required. */
  readonly isVariant: boolean;
}

/** The object variants of a schema whose fields are worth listing below it. */
function objectParts(schema: JsonObject, isVariant = false): ObjectPart[] {
  const parts: ObjectPart[] = [];
  if (schema['properties']) parts.push({ suffix: '', schema, isVariant });
  const values = schema['additionalProperties'];
  if (typeof values === 'object' && values !== null) {
    for (const part of objectParts(values as JsonObject))
      parts.push({ ...part, suffix: `.<key>${part.suffix}` });
  }
  const items = schema['items'];
  if (typeof items === 'object' && items !== null && !Array.isArray(items)) {
    for (const part of objectParts(items as JsonObject)) parts.push({ ...part, suffix: `[]${part.suffix}` });
  }
  for (const variant of ((schema['anyOf'] ?? schema['oneOf']) as JsonObject[] | undefined) ?? []) {
    parts.push(...objectParts(variant, true));
  }
  return parts;
}

function fieldRows(
  schema: JsonObject,
  prefix: string,
  rows: string[],
  seen: Set<string>,
  isVariant = false,
): void {
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  const properties = (schema['properties'] as Record<string, JsonObject> | undefined) ?? {};
  for (const [key, property] of Object.entries(properties)) {
    const path = `${prefix}${key}`;
    const fallback = property['default'] === undefined ? '' : `\`${JSON.stringify(property['default'])}\``;
    const description = typeof property['description'] === 'string' ? property['description'] : '';
    const row = `| \`${path}\` | ${cell(typeOf(property))} | ${required.has(key) ? (isVariant ? 'one of' : 'yes') : ''} | ${cell(fallback)} | ${cell(description)} |`;
    if (!seen.has(row)) {
      seen.add(row);
      rows.push(row);
    }
    for (const part of objectParts(property)) {
      if (part.schema === schema) continue;
      fieldRows(part.schema, `${path}${part.suffix}.`, rows, seen, part.isVariant);
    }
  }
}

function fieldTable(schema: JsonObject): string[] {
  const rows: string[] = [];
  fieldRows(schema, '', rows, new Set());
  if (rows.length === 0) return ['No inputs.', ''];
  return ['| Field | Type | Required | Default | Description |', '|---|---|---|---|---|', ...rows, ''];
}

/** docs/app-configuration.md: the fields of every built-in module, from their JSON Schemas. */
export function appConfigurationReference(modules: readonly CatalogModule[]): string {
  const lines = [
    '# AppConfiguration reference',
    '',
    "<!-- Generated by `npm run docs` from the built-in modules' schemas: do not edit by hand. -->",
    '',
    "A stack's `main.yaml` maps **app name → app**. Each app has one `workload`, any number of named",
    '`accessories`, and optional `labels` and `annotations` added to every Kubernetes resource of the app and',
    'to its pods. A workload and each accessory is a *module use*: `module: <name>` plus the developer inputs',
    'of that module, listed below. Keys starting with `x-` at the top level are ignored (use them to hold YAML',
    'anchors). App names and accessory keys match `^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`.',
    '',
    '```yaml',
    'web:                      # app name',
    '  workload:',
    '    module: service       # a workload module',
    '    containers:',
    '      main: {image: nginxinc/nginx-unprivileged:1.27}',
    '  accessories:',
    '    net:                  # accessory key (several accessories may use one module)',
    '      module: network',
    '      ports: [{port: 80, targetPort: 8080}]',
    '  labels: {team: web}',
    '```',
    '',
    'Platform inputs are what a platform engineer sets for the same module in a workspace, under',
    '`modules.<name>.configs` (see [workspace.md](workspace.md)); they are listed here too so both sides of a',
    'module are in one place. Editors validate `main.yaml` with',
    '[`schemas/app-configuration.schema.json`](../schemas/app-configuration.schema.json) (see',
    '[concepts.md](concepts.md#editor-support)).',
    '',
    '| Module | Version | Role |',
    '|---|---|---|',
    ...modules.map((m) => `| [\`${m.name}\`](#${m.name}) | ${m.version} | ${roles[m.name] ?? 'accessory'} |`),
    '',
  ];
  for (const m of modules) {
    lines.push(`## ${m.name}`, '', `Version ${m.version}; ${roles[m.name] ?? 'accessory'}.`, '');
    lines.push('### Developer inputs (main.yaml)', '', ...fieldTable(m.developerSchema));
    lines.push(
      `### Platform inputs (workspace \`modules.${m.name}.configs\`)`,
      '',
      ...fieldTable(m.platformSchema),
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** A JSON document as committed: 2-space indent, final newline. */
function jsonFile(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * packages/cli/src/help/texts.ts: what `kusion <command> --help` prints, for every command, so that
 * main.ts can answer help without loading commander and the commands (each captured from a fresh program).
 */
export function helpTextsModule(): string {
  const entries = commandPaths(buildProgram()).map(
    (path) => `  ${JSON.stringify(path.join(' '))}: ${JSON.stringify(captureHelp(buildProgram(), path))},`,
  );
  return [
    '// biome-ignore-all format: generated by `npm run docs` from the command definitions: do not edit by hand.',
    '/** `kusion <command…> --help` output at the usual width, by command path (help/fast-path.ts). */',
    'export const helpTexts: Readonly<Record<string, string>> = {',
    ...entries,
    '};',
    '',
  ].join('\n');
}

/** Every generated file, repository-relative path → content. */
export async function generatedDocs(): Promise<Record<string, string>> {
  const modules = await catalogModules();
  const schemas = editorSchemas(modules);
  return {
    'docs/cli.md': cliReference(buildProgram()),
    'packages/cli/src/help/texts.ts': helpTextsModule(),
    'docs/app-configuration.md': appConfigurationReference(modules),
    [`schemas/${editorSchemaFiles.appConfiguration}`]: jsonFile(schemas.appConfiguration),
    [`schemas/${editorSchemaFiles.workspace}`]: jsonFile(schemas.workspace),
  };
}
