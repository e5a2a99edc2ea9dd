/**
 * Module customization hooks for the module worker: TypeScript entries (`main.ts`, local modules) are
 * type-stripped with esbuild (not type-checked), and `@kusion/*` imports resolve to the copies bundled
 * with the running CLI, so a stack never needs its own install of them.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { HookData } from './protocol.js';

let bundledBase = '';

export function initialize(data: HookData): void {
  bundledBase = data.bundledBase;
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
