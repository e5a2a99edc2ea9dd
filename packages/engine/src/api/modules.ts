import { resolve } from 'node:path';
import { locateStack } from '../config/index.js';
import { isKusionError } from '../errors/index.js';
import type { JsonObject } from '../model/index.js';
import { ModuleWorker } from '../modules/loader/module-worker.js';
import { ModuleLoader } from '../modules/module-loader.js';
import type { ModuleOrigin } from '../modules/port.js';
import { listBuiltins } from '../modules/resolvers/locate.js';
import { nodeFiles } from './node-files.js';
import { type EngineOptions, resolveOptions } from './options.js';
import { loadWorkspace } from './workspace.js';

export interface ModuleListEntry {
  readonly name: string;
  readonly source: string;
  /** The version range the workspace asks for, if any. */
  readonly requested?: string;
  /** The version found, or undefined when it could not be loaded (see `problem`). */
  readonly resolved?: string;
  readonly origin?: ModuleOrigin;
  readonly developerSchema?: JsonObject;
  readonly platformSchema?: JsonObject;
  readonly problem?: string;
}

/** `mod list`: every module of the workspace (built-ins included), resolved without network access. */
export async function listModules(input: EngineOptions & { readonly workspace?: string; readonly workspaceFile?: string; readonly workdir?: string }): Promise<readonly ModuleListEntry[]> {
  const options = resolveOptions(input);
  const workspace = await loadWorkspace(options, input.workspace, input.workspaceFile);
  const workdir = resolve(options.cwd, input.workdir ?? '.');
  const stack = await locateStack(nodeFiles, { workdir, cwd: options.cwd, appConfigurationOptional: true }).catch(() => undefined);
  const builtins = listBuiltins(options.catalogDir);
  const declared = workspace.workspace.document.modules ?? {};
  const names = [...new Set([...builtins, ...Object.keys(declared)])].sort();
  const worker = new ModuleWorker({ bundledBase: options.bundledBase });
  const loader = new ModuleLoader({
    workspaceName: workspace.workspace.name,
    modules: declared,
    builtinModules: builtins,
    catalogDir: options.catalogDir,
    kusionHome: options.home,
    projectDir: stack?.projectDir ?? workdir,
    stackDir: stack?.stackDir ?? workdir,
    locateDeclaration: (name) => workspace.document.locate(['modules', name], 'key'),
    worker,
  });
  try {
    const entries: ModuleListEntry[] = [];
    for (const name of names) {
      const block = declared[name];
      const base = { name, source: block?.source ?? 'builtin', ...(block?.version ? { requested: block.version } : {}) };
      try {
        const module = await loader.load(name);
        entries.push({ ...base, resolved: module.version, origin: module.origin, developerSchema: module.developerSchema, platformSchema: module.platformSchema });
      } catch (error) {
        if (!isKusionError(error)) throw error;
        entries.push({ ...base, problem: `${error.code}: ${error.message}` });
      }
    }
    return entries;
  } finally {
    await worker.close();
  }
}
