import { Codes, type Diagnostic, diagnostic, throwIfErrors } from '../errors/index.js';
import type { JsonObject } from '../model/index.js';
import { validateWithSchema } from './schema-validation.js';
import { type PathSegment, type SourceDocument, subDocument } from './source-document.js';

/** A module named in an AppConfiguration, with its developer inputs (without `module`). */
export interface ModuleUseEntry {
  readonly module: string;
  readonly inputs: JsonObject;
  /** Positions of `inputs` in the source file. */
  readonly document: SourceDocument;
}

/** One app: its workload, its accessories in key order, and its metadata. */
export interface AppEntry {
  readonly name: string;
  readonly workload: ModuleUseEntry;
  readonly accessories: readonly (readonly [string, ModuleUseEntry])[];
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly document: SourceDocument;
}

/** The apps of a stack, sorted by name. */
export interface AppConfiguration {
  readonly file: string;
  readonly apps: readonly AppEntry[];
}

interface RawApp {
  workload: JsonObject;
  accessories?: Record<string, JsonObject>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const appNamePattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const moduleUse = {
  type: 'object',
  required: ['module'],
  properties: { module: { type: 'string', minLength: 1 } },
};
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const appSchema = {
  type: 'object',
  required: ['workload'],
  additionalProperties: false,
  properties: {
    workload: moduleUse,
    accessories: { type: 'object', additionalProperties: moduleUse },
    labels: stringMap,
    annotations: stringMap,
  },
};
const appConfigurationSchema = { type: 'object', additionalProperties: appSchema };

const argPattern = /\$\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g;

/**
 * Replaces `${{ args.key }}` in every string with the `-D key=value` arguments; an unset key is KUS1005.
 */
export function interpolateArgs(
  document: SourceDocument,
  args: Readonly<Record<string, string>>,
): SourceDocument {
  const problems: Diagnostic[] = [];
  const visit = (value: unknown, path: PathSegment[]): unknown => {
    if (typeof value === 'string') {
      return value.replace(argPattern, (whole, key: string) => {
        const arg = args[key];
        if (arg !== undefined) return arg;
        problems.push(
          diagnostic(
            Codes.appConfigurationShape,
            `argument "${key}" is not set`,
            document.locate(path),
            `pass -D ${key}=<value>`,
          ),
        );
        return whole;
      });
    }
    if (Array.isArray(value)) return value.map((item, i) => visit(item, [...path, i]));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, [...path, k])]));
    }
    return value;
  };
  const value = visit(document.value, []);
  throwIfErrors(problems);
  return { ...document, value };
}

/** Validates the shape of an AppConfiguration (SPEC §3.3) and splits it into apps; all problems at once. */
export function readAppConfiguration(document: SourceDocument): AppConfiguration {
  if (document.value === undefined || document.value === null) return { file: document.file, apps: [] };
  const withoutAnchors = Object.fromEntries(
    Object.entries(document.value as Record<string, unknown>).filter(([key]) => !key.startsWith('x-')),
  );
  const shaped = { ...document, value: withoutAnchors };
  const { diagnostics } = validateWithSchema(
    shaped,
    appConfigurationSchema,
    Codes.appConfigurationShape,
    'AppConfiguration',
  );
  const problems = [...diagnostics, ...nameProblems(shaped)];
  throwIfErrors(problems);
  const apps = Object.entries(withoutAnchors as Record<string, RawApp>)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, app]): AppEntry => {
      const appDocument = subDocument(shaped, [name], app);
      const accessories = Object.entries(app.accessories ?? {})
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, use]) => [key, moduleUseEntry(appDocument, ['accessories', key], use)] as const);
      return {
        name,
        workload: moduleUseEntry(appDocument, ['workload'], app.workload),
        accessories,
        labels: app.labels ?? {},
        annotations: app.annotations ?? {},
        document: appDocument,
      };
    });
  return { file: document.file, apps };
}

function moduleUseEntry(appDocument: SourceDocument, path: PathSegment[], use: JsonObject): ModuleUseEntry {
  const { module, ...inputs } = use;
  return { module: String(module), inputs, document: subDocument(appDocument, path, inputs) };
}

function nameProblems(document: SourceDocument): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const hint =
    'use lower-case letters, digits and "-", starting and ending with a letter or digit (at most 63)';
  for (const [name, app] of Object.entries(document.value as Record<string, { accessories?: object }>)) {
    if (!appNamePattern.test(name)) {
      problems.push(
        diagnostic(
          Codes.appConfigurationShape,
          `app name "${name}" is invalid`,
          document.locate([name], 'key'),
          hint,
        ),
      );
    }
    for (const key of Object.keys(app?.accessories ?? {})) {
      if (!appNamePattern.test(key)) {
        problems.push(
          diagnostic(
            Codes.appConfigurationShape,
            `accessory name "${key}" is invalid`,
            document.locate([name, 'accessories', key], 'key'),
            hint,
          ),
        );
      }
    }
  }
  return problems;
}
