import { createRequire } from 'node:module';

type CelModule = typeof import('@bufbuild/cel');
type CelExtModule = typeof import('@bufbuild/cel/ext');

export interface CelLibrary {
  readonly cel: CelModule;
  /** The environment every Kusion expression is planned in: CEL with the strings extension. */
  readonly env: ReturnType<CelModule['celEnv']>;
}

/** A parsed expression. */
export type CelParsedExpr = ReturnType<CelModule['parse']>;

const require = createRequire(import.meta.url);
let library: CelLibrary | undefined;

/**
 * `@bufbuild/cel`, loaded on first use. Loading it (with its protobuf descriptors) costs more CPU than
 * the rest of the engine's imports together, and most runs (a generate without health policies, a
 * workspace without CEL rules, `--help`) never evaluate an expression. Its CommonJS build is required
 * so that callers stay synchronous.
 */
export function celLibrary(): CelLibrary {
  if (!library) {
    const cel = require('@bufbuild/cel') as CelModule;
    const { strings } = require('@bufbuild/cel/ext') as CelExtModule;
    library = { cel, env: cel.celEnv({ funcs: strings }) };
  }
  return library;
}
