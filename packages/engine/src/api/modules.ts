import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { locateStack, parseModuleSource } from '../config/index.js';
import { Codes, isKusionError, KusionError } from '../errors/index.js';
import type { JsonObject } from '../model/index.js';
import { ModuleWorker } from '../modules/loader/module-worker.js';
import { ModuleLoader } from '../modules/module-loader.js';
import type { ModuleOrigin } from '../modules/port.js';
import { listBuiltins } from '../modules/resolvers/locate.js';
import { installNpmModule } from '../modules/resolvers/npm-install.js';
import { openWorkspaceStore } from './backend.js';
import { nodeFiles } from './node-files.js';
import { type EngineOptions, resolveOptions } from './options.js';
import { loadWorkspace, parseWorkspaceText } from './workspace.js';

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
export async function listModules(
  input: EngineOptions & {
    readonly workspace?: string;
    readonly workspaceFile?: string;
    readonly workdir?: string;
  },
): Promise<readonly ModuleListEntry[]> {
  const options = resolveOptions(input);
  const workspace = await loadWorkspace(options, input.workspace, input.workspaceFile);
  const workdir = resolve(options.cwd, input.workdir ?? '.');
  const stack = await locateStack(nodeFiles, {
    workdir,
    cwd: options.cwd,
    appConfigurationOptional: true,
  }).catch(() => undefined);
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
      const base = {
        name,
        source: block?.source ?? 'builtin',
        ...(block?.version ? { requested: block.version } : {}),
      };
      try {
        const module = await loader.load(name);
        entries.push({
          ...base,
          resolved: module.version,
          origin: module.origin,
          developerSchema: module.developerSchema,
          platformSchema: module.platformSchema,
        });
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

export interface ModulePullResult {
  readonly installed: readonly {
    readonly name: string;
    readonly packageName: string;
    readonly version: string;
  }[];
}

/** `mod pull`: installs every npm module of the workspace into the cache. Generate never downloads. */
export async function pullModules(
  input: EngineOptions & {
    readonly workspace?: string;
    readonly workspaceFile?: string;
    readonly only?: string;
  },
): Promise<ModulePullResult> {
  const options = resolveOptions(input);
  const workspace = await loadWorkspace(options, input.workspace, input.workspaceFile);
  const installed: { name: string; packageName: string; version: string }[] = [];
  for (const [name, block] of Object.entries(workspace.workspace.document.modules ?? {}).sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    if (input.only !== undefined && name !== input.only) continue;
    const source = block.source ? parseModuleSource(block.source) : undefined;
    if (source?.kind !== 'npm') continue;
    const result = await installNpmModule(source.packageName, block.version ?? '*', {
      kusionHome: options.home,
      projectDir: options.cwd,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    installed.push({ name, packageName: source.packageName, version: result.version });
  }
  return { installed };
}

export interface ModuleAddOptions extends EngineOptions {
  readonly name: string;
  readonly workspace?: string;
  readonly source?: string;
  readonly version?: string;
}

/** `mod add <name>`: adds or updates the module block of the stored workspace (configs kept), then installs it. */
export async function addModule(input: ModuleAddOptions): Promise<ModulePullResult> {
  const options = resolveOptions(input);
  const store = await openWorkspaceStore(options);
  const name = input.workspace ?? process.env['KUSION_WORKSPACE'] ?? (await store.current());
  const text = await store.read(name);
  if (text === undefined) throw new KusionError(Codes.workspaceNotFound, `workspace "${name}" not found`);
  const document = parseDocument(text);
  if (input.source !== undefined) document.setIn(['modules', input.name, 'source'], input.source);
  if (input.version !== undefined) document.setIn(['modules', input.name, 'version'], input.version);
  if (!document.hasIn(['modules', input.name])) document.setIn(['modules', input.name], {});
  const updated = document.toString();
  parseWorkspaceText(name, updated, options.catalogDir);
  await store.write(name, updated);
  return pullModules({ ...input, workspace: name, only: input.name });
}
