import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, Options, ValidateFunction } from 'ajv/dist/2020.js';
import { type Code, closestMatch, type Diagnostic, diagnostic } from '../errors/index.js';
import { formatPath, type PathSegment, type SourceDocument } from './source-document.js';

// Not `verbose`: it triples the generated code; the parent schema and the data of an error are looked up
// from `schemaPath` and `instancePath` instead, only when there is an error to explain.
const ajvOptions: Options = {
  allErrors: true,
  useDefaults: true,
  strict: false,
  allowUnionTypes: true,
  code: { source: true },
};
const require = createRequire(import.meta.url);
interface AjvCompiler {
  readonly ajv: Ajv2020;
  readonly standaloneCode: (ajv: Ajv2020, validate: ValidateFunction) => string;
}
let compiler: AjvCompiler | undefined;

/**
 * Ajv itself, loaded on the first real compile: with the validator cache warm (every built-in schema
 * after the first run), validation runs only stored code and never needs the compiler.
 */
function ajvCompiler(): AjvCompiler {
  if (!compiler) {
    const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    const addFormats = require('ajv-formats') as typeof import('ajv-formats');
    const standalone =
      require('ajv/dist/standalone/index.js') as typeof import('ajv/dist/standalone/index.js');
    const ajv = new Ajv(ajvOptions);
    addFormats.default(ajv);
    compiler = { ajv, standaloneCode: (instance, validate) => standalone.default(instance, validate) };
  }
  return compiler;
}

const byIdentity = new WeakMap<object, ValidateFunction>();
let byContent = new Map<string, ValidateFunction>();

/**
 * Where compiled validators survive between runs: compiling a large module schema is the most expensive
 * step of a small generate, so the generated code is kept, keyed by a digest of the schema and options.
 */
export interface ValidatorCache {
  load(key: string): ValidateFunction | undefined;
  store(key: string, code: string): void;
}

let validatorCache: ValidatorCache | undefined;

/** Installs the cache the facade opens under `$KUSION_HOME`; unit tests run without one. */
export function useValidatorCache(cache: ValidatorCache | undefined): void {
  validatorCache = cache;
}

/** Forgets validators compiled in this process, as a new process would (for tests of the cache). */
export function forgetCompiledValidators(): void {
  byContent = new Map();
}

const cacheVersion = `ajv-${JSON.stringify(ajvOptions)}-v1`;

/** Compiles once per schema: by object identity, by content, then from the cache, then for real. */
function compile(schema: object): ValidateFunction {
  let validate = byIdentity.get(schema);
  if (validate) return validate;
  const text = JSON.stringify(schema);
  validate = byContent.get(text) ?? compileWithCache(schema, text);
  byContent.set(text, validate);
  byIdentity.set(schema, validate);
  return validate;
}

function compileWithCache(schema: object, text: string): ValidateFunction {
  // Standalone code cannot carry format checkers: schemas using `format` are compiled every time.
  if (!validatorCache || text.includes('"format"')) return ajvCompiler().ajv.compile(schema);
  const key = createHash('sha256').update(cacheVersion).update(text).digest('hex');
  const cached = validatorCache.load(key);
  if (cached) return cached;
  const { ajv, standaloneCode } = ajvCompiler();
  const validate = ajv.compile(schema);
  validatorCache.store(key, standaloneCode(ajv, validate));
  return validate;
}

/** The schema node an error's `schemaPath` points into, minus its last (keyword) segment: its parent schema. */
function parentSchemaOf(schema: object, error: ErrorObject): Record<string, unknown> | undefined {
  const segments = error.schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean).slice(0, -1);
  let node: unknown = schema;
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : undefined;
}

function dataAt(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return current;
}

export interface SchemaValidationResult {
  /** A copy of the input with schema defaults applied. */
  readonly value: unknown;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Validates a document's value against a JSON Schema (draft 2020-12), applying defaults to a copy. Every
 * problem is reported, located in the source file, with a "did you mean" hint for unknown keys.
 */
export function validateWithSchema(
  document: SourceDocument,
  schema: object,
  code: Code,
  subject: string,
): SchemaValidationResult {
  const value = structuredClone(document.value ?? {});
  const validate = compile(schema);
  if (validate(value)) return { value, diagnostics: [] };
  const diagnostics = relevantErrors(validate.errors ?? []).map((error) =>
    toDiagnostic(
      { ...error, parentSchema: parentSchemaOf(schema, error) ?? {}, data: dataAt(value, pathOf(error)) },
      document,
      code,
      subject,
    ),
  );
  return { value, diagnostics: dedupe(diagnostics) };
}

/** `anyOf`/`oneOf` produce one error per branch plus a summary; keep the summary and the most specific ones. */
function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const unionPaths = new Set(
    errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath),
  );
  return errors.filter((e) => {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') return true;
    return !unionPaths.has(e.instancePath) || e.keyword === 'additionalProperties';
  });
}

function pathOf(error: ErrorObject): PathSegment[] {
  if (error.instancePath === '') return [];
  return error.instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function toDiagnostic(error: ErrorObject, document: SourceDocument, code: Code, subject: string): Diagnostic {
  const path = pathOf(error);
  const where = (p: readonly PathSegment[]) =>
    [subject, formatPath(p)].filter(Boolean).join('.') || 'document';
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys(
        (error.parentSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      const suggestion = closestMatch(key, known);
      const keyPath = [...path, key];
      return diagnostic(
        code,
        `${where(path)}: unknown field "${key}"`,
        document.locate(keyPath, 'key'),
        suggestion
          ? `did you mean "${suggestion}"?`
          : known.length > 0
            ? `known fields: ${known.sort().join(', ')}`
            : 'remove this field',
      );
    }
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      return diagnostic(
        code,
        `${where(path)}: missing required field "${missing}"`,
        document.locate(path, 'key'),
        `add "${missing}"`,
      );
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map((v) =>
        JSON.stringify(v),
      );
      const got = JSON.stringify(error.data);
      const suggestion =
        typeof error.data === 'string'
          ? closestMatch(
              error.data,
              allowed.map((a) => JSON.parse(a) as string),
            )
          : undefined;
      return diagnostic(
        code,
        `${where(path)}: must be one of ${allowed.join(', ')} (got ${got})`,
        document.locate(path),
        suggestion ? `did you mean "${suggestion}"?` : undefined,
      );
    }
    default: {
      const got = describeValue(error.data);
      return diagnostic(
        code,
        `${where(path)}: ${error.message ?? 'is invalid'} (got ${got})`,
        document.locate(path),
        hintFor(error),
      );
    }
  }
}

/** A hint that says what would be accepted, from the failing keyword. */
function hintFor(error: ErrorObject): string | undefined {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `use a value of type ${String(params['type'])}`;
    case 'pattern':
      return `use a value matching ${String(params['pattern'])}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `use a number ${String(params['comparison'])} ${String(params['limit'])}`;
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
      return `use a value with ${error.keyword.startsWith('min') ? 'at least' : 'at most'} ${String(params['limit'])} ${error.keyword.endsWith('Items') ? 'items' : 'characters'}`;
    case 'anyOf':
    case 'oneOf':
      return 'the value matches none of the accepted shapes; see the schema with `kusion mod list -o json`';
    default:
      return undefined;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.location}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
