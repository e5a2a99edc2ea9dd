/**
 * Module customization hooks for the module worker: TypeScript entries (`main.ts`, local modules) are
 * type-stripped with esbuild (not type-checked), `@kusion/*` imports resolve to the copies bundled with
 * the running CLI, so a stack never needs its own install of them, and imports of a module package from
 * main.ts (or other files outside node_modules) resolve to the version the workspace selected (SPEC §3.4).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { HooksInit, SelectPackages } from './protocol.js';

let bundledBase = '';
let selected: SelectPackages['packages'] = {};

export function initialize(data: HooksInit): void {
  bundledBase = data.bundledBase;
  data.port.on('message', (message: SelectPackages) => {
    selected = message.packages;
    data.port.postMessage('selected');
  });
  data.port.unref();
}

/** The package a bare specifier names (`@scope/name` or `name`), or undefined for paths and URLs. */
export function packageOf(specifier: string): string | undefined {
  if (/^[./]/.test(specifier) || specifier.includes(':')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Where a selected package resolves from, unless the importer is itself installed code. */
function selectedBase(specifier: string, parentURL: string | undefined): string | undefined {
  const name = packageOf(specifier);
  if (name === undefined || parentURL?.includes('/node_modules/')) return undefined;
  return Object.hasOwn(selected, name) ? selected[name] : undefined;
}

interface ResolveContext {
  parentURL?: string;
  conditions: readonly string[];
  importAttributes: Record<string, string>;
}
interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<ResolveResult>;

export async function resolve(
  specifier: string,
  context: ResolveContext,
  next: NextResolve,
): Promise<ResolveResult> {
  if (specifier.startsWith('@kusion/') && bundledBase)
    return next(specifier, { ...context, parentURL: bundledBase });
  const base = selectedBase(specifier, context.parentURL);
  if (base !== undefined) return next(specifier, { ...context, parentURL: base });
  try {
    return await next(specifier, context);
  } catch (error) {
    // TypeScript sources import siblings as `./x.js`; fall back to `./x.ts`.
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      return next(`${specifier.slice(0, -3)}.ts`, context);
    }
    throw error;
  }
}

interface LoadContext {
  format?: string | null;
  conditions: readonly string[];
  importAttributes: Record<string, string>;
}
interface LoadResult {
  format: string;
  source?: string | Uint8Array;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context: LoadContext) => Promise<LoadResult>;

export async function load(url: string, context: LoadContext, next: NextLoad): Promise<LoadResult> {
  if (!url.startsWith('file:') || !/\.(ts|mts)$/.test(url)) return next(url, context);
  const { transform } = await import('esbuild');
  const path = fileURLToPath(url);
  const result = await transform(await readFile(path, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: path,
    sourcemap: 'inline',
  });
  return { format: 'module', source: result.code, shortCircuit: true };
}
