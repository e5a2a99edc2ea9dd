import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineOptions } from '@kusion/engine';

/** Flags every command accepts (SPEC §16.1). */
export interface GlobalFlags {
  readonly workspace?: string;
  readonly backend?: string;
  readonly workdir?: string;
  readonly output?: string;
  readonly style?: boolean;
  readonly debug?: boolean;
}

/**
 * The built-in modules: their bundled copies when this code runs from the esbuild bundle (scripts/bundle.ts
 * writes them to `dist/bundle/catalog/`, next to the bundle's files), else `@kusion/catalog`'s build.
 */
function catalogDir(): string {
  const bundled = fileURLToPath(new URL('./catalog/', import.meta.url));
  return existsSync(bundled) ? bundled : dirname(fileURLToPath(import.meta.resolve('@kusion/catalog')));
}

/** The engine options of this CLI: its bundled catalog and module SDK, and the global flags. */
export function engineOptions(flags: GlobalFlags): EngineOptions {
  return {
    catalogDir: catalogDir(),
    bundledBase: import.meta.url,
    ...(flags.backend ? { backend: flags.backend } : {}),
  };
}
