import type { JsonObject } from '../model/index.js';

/** Where a resolved module was found (SPEC §16.2 `mod list`). */
export type ModuleOrigin = 'builtin' | 'node_modules' | 'cache' | 'path' | 'exec';

/** A module ready to generate: resolved, loaded, described. */
export interface LoadedModule {
  readonly name: string;
  readonly version: string;
  /** The source as the workspace gives it (`builtin`, `npm:@acme/x`, `./modules/x`, `exec:…`). */
  readonly source: string;
  readonly origin: ModuleOrigin;
  readonly integrity?: string;
  readonly developerSchema: JsonObject;
  readonly platformSchema: JsonObject;
  /** Runs generate on a request (SPEC §5.2, without `readFile`); the result is unvalidated JSON. */
  generate(request: JsonObject): Promise<unknown>;
  /** True for exec modules, which may leave their single resource unmarked (SPEC §5.4). */
  readonly isExec: boolean;
}

/** How the core obtains modules; resolution and loading are adapters behind it. */
export interface ModuleProvider {
  /** Loads the module a workspace declares under `name` (or the built-in of that name). */
  load(name: string): Promise<LoadedModule>;
}
