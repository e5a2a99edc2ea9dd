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

/** The engine options of this CLI: its bundled catalog and module SDK, and the global flags. */
export function engineOptions(flags: GlobalFlags): EngineOptions {
  const catalogEntry = fileURLToPath(import.meta.resolve('@kusion/catalog'));
  return {
    catalogDir: dirname(catalogEntry),
    bundledBase: import.meta.url,
    ...(flags.backend ? { backend: flags.backend } : {}),
  };
}
