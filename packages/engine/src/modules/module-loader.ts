import { type ModuleSource, parseModuleSource } from '../config/index.js';
import { Codes, isKusionError, KusionError, toKusionError } from '../errors/index.js';
import type { JsonObject, ModuleBlock } from '../model/index.js';
import { checkModuleIdentity } from './contract/index.js';
import { describeExecModule, generateWithExecModule } from './loader/exec-module.js';
import { type ModuleWorker, WorkerCallError, WorkerTimeoutError } from './loader/module-worker.js';
import type { LoadedModule, ModuleProvider } from './port.js';
import { type LocateContext, locateModule } from './resolvers/locate.js';

export interface ModuleLoaderOptions extends Omit<LocateContext, 'declaredAt'> {
  readonly workspaceName: string;
  readonly modules: Readonly<Record<string, ModuleBlock>>;
  readonly builtinModules: readonly string[];
  /** `workspace <name>:line:col` of a module's declaration. */
  readonly locateDeclaration: (name: string) => string;
  readonly worker: ModuleWorker;
  readonly signal?: AbortSignal;
}

const defaultTimeoutMs = 60_000;

/**
 * Resolves and loads the modules a workspace declares (built-ins implicitly), each once per run.
 * Every built-in goes through the same resolver, loader and contract checks as a third-party module.
 */
export class ModuleLoader implements ModuleProvider {
  private readonly cache = new Map<string, Promise<LoadedModule>>();

  private readonly options: ModuleLoaderOptions;

  constructor(options: ModuleLoaderOptions) {
    this.options = options;
  }

  load(name: string): Promise<LoadedModule> {
    let loading = this.cache.get(name);
    if (!loading) {
      loading = this.loadUncached(name);
      this.cache.set(name, loading);
    }
    return loading;
  }

  /**
   * Package name → where the version the workspace selected is installed, for every npm module that is
   * installed: `main.ts` imports of those packages resolve there (SPEC §3.4), not to whatever copy Node
   * would find from the stack. A module that is not installed is left out; using it fails on its own.
   */
  selectedPackages(): Readonly<Record<string, string>> {
    const { options } = this;
    const packages: Record<string, string> = {};
    // Sorted, so that of two module names using one package the first by name decides, every time.
    for (const [name, block] of Object.entries(options.modules).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const source = block.source ? parseModuleSource(block.source) : undefined;
      if (source?.kind !== 'npm' || packages[source.packageName] !== undefined) continue;
      try {
        const location = locateModule(name, source, block, { ...options, declaredAt: '' });
        if (location.kind === 'entry' && location.packageBase)
          packages[source.packageName] = location.packageBase;
      } catch (error) {
        if (!isKusionError(error)) throw error;
      }
    }
    return packages;
  }

  private async loadUncached(name: string): Promise<LoadedModule> {
    const { options } = this;
    const block = options.modules[name];
    const source = this.sourceOf(name, block);
    const declaredAt = block ? options.locateDeclaration(name) : `workspace ${options.workspaceName}`;
    const location = locateModule(name, source, block, { ...options, declaredAt });
    const timeoutMs = parseTimeout(block?.timeout);
    if (location.kind === 'exec') {
      const exec = {
        name,
        command: location.command,
        args: location.args,
        cwd: options.stackDir,
        timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      };
      const description = await describeExecModule(exec).catch((error: unknown) => {
        const coded = toKusionError(error);
        throw new KusionError(coded.code, coded.message, {
          location: declaredAt,
          hints: [...coded.hints],
          cause: coded.cause ?? error,
          source: coded.source,
        });
      });
      checkModuleIdentity(name, description, block, declaredAt);
      return {
        ...description,
        source: location.source,
        origin: 'exec',
        isExec: true,
        generate: (request) => generateWithExecModule(exec, request),
      };
    }
    const description = await options.worker
      .load(name, location.url, location.origin !== 'builtin')
      .catch((error: unknown) => {
        throw loadFailure(name, location.url, error, declaredAt);
      });
    checkModuleIdentity(name, description, block, declaredAt);
    const dirs = { projectDir: options.projectDir, stackDir: options.stackDir };
    return {
      ...description,
      source: location.source,
      origin: location.origin,
      isExec: false,
      generate: (request: JsonObject) =>
        options.worker.generate(name, request, dirs, timeoutMs).catch((error: unknown) => {
          throw generateFailure(name, error, timeoutMs);
        }),
    };
  }

  private sourceOf(name: string, block: ModuleBlock | undefined): ModuleSource {
    if (block?.source) {
      const parsed = parseModuleSource(block.source);
      if (parsed) return parsed;
    }
    if (this.options.builtinModules.includes(name)) return { kind: 'builtin' };
    throw new KusionError(
      Codes.moduleUnknown,
      `module "${name}" is not declared in workspace ${this.options.workspaceName}`,
      {
        hints: [
          `declare it under \`modules:\` in the workspace with a source, e.g. \`${name}: {source: npm:<package>, version: ^1.0.0}\``,
        ],
      },
    );
  }
}

function parseTimeout(timeout: string | undefined): number {
  const match = timeout?.match(/^(\d+)(ms|s|m)$/);
  if (!match) return defaultTimeoutMs;
  const unit = { ms: 1, s: 1000, m: 60_000 }[match[2] as 'ms' | 's' | 'm'];
  return Number(match[1]) * unit;
}

function loadFailure(name: string, url: string, error: unknown, declaredAt: string): KusionError {
  const failure = error instanceof WorkerCallError ? error.failure : undefined;
  if (failure?.notAModule) {
    return new KusionError(Codes.moduleUnknown, `module "${name}": ${failure.message}`, {
      location: declaredAt,
      hints: ['export default defineModule({...}) from the package entry'],
    });
  }
  const message = failure?.message ?? (error instanceof Error ? error.message : String(error));
  return new KusionError(
    Codes.moduleGenerateThrew,
    `module "${name}" failed to load from ${url}: ${message}`,
    { location: declaredAt, cause: error },
  );
}

function generateFailure(name: string, error: unknown, timeoutMs: number): KusionError {
  if (error instanceof WorkerTimeoutError) {
    return new KusionError(
      Codes.moduleGenerateThrew,
      `module "${name}" did not finish generate within ${timeoutMs} ms`,
      {
        hints: ['raise `timeout` in the module block of the workspace, or fix the module'],
      },
    );
  }
  const failure = error instanceof WorkerCallError ? error.failure : undefined;
  const message = failure?.message ?? (error instanceof Error ? error.message : String(error));
  return new KusionError(Codes.moduleGenerateThrew, `module "${name}" threw: ${message}`, {
    cause: error,
    ...(failure?.nonDeterministic
      ? {
          hints: ['modules must be pure: no clock or randomness; use derivedSecret() for secret-like values'],
        }
      : {}),
  });
}
