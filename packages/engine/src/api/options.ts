import { homedir } from 'node:os';
import { join } from 'node:path';
import { installValidatorCache } from './validator-cache.js';

/** What every facade call needs to know about its surroundings. The CLI fills it from flags and env. */
export interface EngineOptions {
  /** `KUSION_HOME`. @default `~/.kusion` */
  readonly home?: string;
  /** The directory relative paths and messages are based on. @default process.cwd() */
  readonly cwd?: string;
  /** Directory holding one folder per built-in module; the CLI points it at its bundled catalog. */
  readonly catalogDir: string;
  /** A file URL from which `@kusion/*` imports of main.ts and modules resolve (the CLI's own entry). */
  readonly bundledBase: string;
  /** `--backend`; else `KUSION_BACKEND`, `backends.current`, `default`. */
  readonly backend?: string;
  readonly signal?: AbortSignal;
}

export interface ResolvedEngineOptions extends EngineOptions {
  readonly home: string;
  readonly cwd: string;
}

export function resolveOptions(options: EngineOptions): ResolvedEngineOptions {
  const home = options.home ?? process.env['KUSION_HOME'] ?? join(homedir(), '.kusion');
  installValidatorCache(home);
  return { ...options, home, cwd: options.cwd ?? process.cwd() };
}
