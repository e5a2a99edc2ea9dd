import { basename, resolve } from 'node:path';
import { isMap, isNode, isScalar, parseDocument } from 'yaml';
import {
  parseWorkspace,
  resolvePlatformInputs,
  type SourceDocument,
  validateWithSchema,
} from '../config/index.js';
import {
  Codes,
  type Diagnostic,
  diagnostic,
  isKusionError,
  KusionError,
  throwIfErrors,
} from '../errors/index.js';
import type { Workspace, WorkspacePolicyFiles } from '../model/index.js';
import { ModuleWorker } from '../modules/loader/module-worker.js';
import { ModuleLoader } from '../modules/module-loader.js';
import { listBuiltins } from '../modules/resolvers/locate.js';
import { defaultWorkspace } from '../state/port.js';
import { openWorkspaceStore } from './backend.js';
import { nodeFiles } from './node-files.js';
import { type EngineOptions, type ResolvedEngineOptions, resolveOptions } from './options.js';
import { checkRegoFiles, readRegoFiles } from './policy-files.js';

/** A workspace loaded and validated, with its positions for later error messages. */
export interface LoadedWorkspace {
  readonly workspace: Workspace;
  readonly document: SourceDocument;
  readonly warnings: readonly Diagnostic[];
}

/** Parses workspace text, throwing one error that carries every problem. */
export function parseWorkspaceText(name: string, text: string, catalogDir: string): LoadedWorkspace {
  const parsed = parseWorkspace(name, text, { builtinModules: listBuiltins(catalogDir) });
  throwIfErrors(parsed.diagnostics);
  if (!parsed.workspace || !parsed.document)
    throw new KusionError(Codes.internal, `workspace ${name} did not parse`);
  return { workspace: parsed.workspace, document: parsed.document, warnings: parsed.diagnostics };
}

/** The workspace a stack command uses: `--workspace-file`, else `--workspace` › `KUSION_WORKSPACE` › current. */
export async function loadWorkspace(
  options: ResolvedEngineOptions,
  name: string | undefined,
  file: string | undefined,
): Promise<LoadedWorkspace> {
  if (file) {
    const path = resolve(options.cwd, file);
    const text = await nodeFiles.readText(path);
    if (text === undefined)
      throw new KusionError(Codes.workspaceNotFound, `workspace file ${file} not found`, { location: file });
    return parseWorkspaceText(name ?? basename(path).replace(/\.ya?ml$/, ''), text, options.catalogDir);
  }
  const store = await openWorkspaceStore(options);
  const selected = name ?? process.env['KUSION_WORKSPACE'] ?? (await store.current());
  const text = await store.read(selected);
  if (text === undefined) throw new KusionError(Codes.workspaceNotFound, `workspace "${selected}" not found`);
  return parseWorkspaceText(selected, text, options.catalogDir);
}

export interface WorkspaceWriteOptions extends EngineOptions {
  readonly name: string;
  /** Path of the workspace YAML to store. */
  readonly file: string;
  /** Make it the current workspace. */
  readonly current?: boolean;
  /** Validate only. */
  readonly dryRun?: boolean;
}

export interface WorkspaceWriteResult {
  readonly name: string;
  readonly warnings: readonly Diagnostic[];
  /** The previously stored text, for update's diff. */
  readonly previous?: string;
}

const sensitiveKey = /SECRET|TOKEN|PASSWORD|KEY|CONTENT/;

/**
 * Validates a workspace as SPEC §4.4 asks (syntax, keys, modules, patchers, secret store, platform
 * configs of installed modules for every named project) before storing its text verbatim.
 */
async function validateForStore(
  options: ResolvedEngineOptions,
  name: string,
  text: string,
  file: string,
): Promise<LoadedWorkspace & { readonly policyFiles: WorkspacePolicyFiles }> {
  const loaded = parseWorkspaceText(name, text, options.catalogDir);
  // CEL rules compiled with the parse; Rego files are read next to the file and checked with `opa`.
  const policyFiles = await readRegoFiles(options, loaded, file);
  await checkRegoFiles(options, loaded, file, policyFiles);
  const warnings: Diagnostic[] = [...loaded.warnings];
  for (const [key, value] of Object.entries(loaded.workspace.document.context ?? {})) {
    if (sensitiveKey.test(key) && typeof value === 'string' && !value.startsWith('ref://')) {
      warnings.push(
        diagnostic(
          Codes.literalSecretInContext,
          `context.${key} holds a literal secret`,
          loaded.document.locate(['context', key]),
          'use a ref:// reference to the secret store instead',
          'warning',
        ),
      );
    }
  }
  const problems = await checkPlatformConfigs(options, loaded, warnings);
  throwIfErrors(problems);
  return { ...loaded, warnings, policyFiles };
}

async function checkPlatformConfigs(
  options: ResolvedEngineOptions,
  loaded: LoadedWorkspace,
  warnings: Diagnostic[],
): Promise<Diagnostic[]> {
  const modules = loaded.workspace.document.modules ?? {};
  const worker = new ModuleWorker({ bundledBase: options.bundledBase });
  const problems: Diagnostic[] = [];
  try {
    const loader = new ModuleLoader({
      workspaceName: loaded.workspace.name,
      modules,
      builtinModules: listBuiltins(options.catalogDir),
      catalogDir: options.catalogDir,
      kusionHome: options.home,
      projectDir: options.cwd,
      stackDir: options.cwd,
      locateDeclaration: (n) => loaded.document.locate(['modules', n], 'key'),
      worker,
    });
    for (const [moduleName, block] of Object.entries(modules).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!block.configs) continue;
      let module: Awaited<ReturnType<ModuleLoader['load']>>;
      try {
        module = await loader.load(moduleName);
      } catch (error) {
        if (
          !isKusionError(error) ||
          (error.code !== Codes.moduleNotInstalled && error.code !== Codes.execModuleFailed)
        )
          throw error;
        warnings.push(
          diagnostic(
            error.code,
            `${error.message}; its platform configs were not checked`,
            error.location,
            error.hints[0],
            'warning',
          ),
        );
        continue;
      }
      const projects = new Set<string>(['']);
      for (const config of Object.values(block.configs))
        for (const p of (config['projectSelector'] as string[] | undefined) ?? []) projects.add(p);
      for (const project of [...projects].sort()) {
        const inputs = resolvePlatformInputs(moduleName, block, project, loaded.document);
        const subject = project
          ? `modules.${moduleName}.configs (project ${project})`
          : `modules.${moduleName}.configs.default`;
        problems.push(
          ...validateWithSchema(inputs.document, module.platformSchema, Codes.platformInputInvalid, subject)
            .diagnostics,
        );
      }
    }
  } finally {
    await worker.close();
  }
  const seen = new Set<string>();
  return problems.filter(
    (p) => !seen.has(`${p.location}${p.message}`) && seen.add(`${p.location}${p.message}`),
  );
}

async function readWorkspaceFile(options: ResolvedEngineOptions, file: string): Promise<string> {
  const text = await nodeFiles.readText(resolve(options.cwd, file));
  if (text === undefined)
    throw new KusionError(Codes.workspaceNotFound, `workspace file ${file} not found`, { location: file });
  return text;
}

/** `workspace create <name> -f <file>`. */
export async function createWorkspace(input: WorkspaceWriteOptions): Promise<WorkspaceWriteResult> {
  const options = resolveOptions(input);
  if (input.name === defaultWorkspace) {
    throw new KusionError(
      Codes.workspaceInvalid,
      'the default workspace always exists and cannot be created',
      { hints: ['use `kusion workspace update default -f <file>`'] },
    );
  }
  const store = await openWorkspaceStore(options);
  if ((await store.read(input.name)) !== undefined) {
    throw new KusionError(Codes.workspaceInvalid, `workspace "${input.name}" already exists`, {
      hints: [`use \`kusion workspace update ${input.name} -f ${input.file}\``],
    });
  }
  const text = await readWorkspaceFile(options, input.file);
  const { warnings, policyFiles } = await validateForStore(options, input.name, text, input.file);
  if (!input.dryRun) {
    await store.writePolicyFiles(input.name, policyFiles);
    await store.write(input.name, text);
    if (input.current) await store.setCurrent(input.name);
  }
  return { name: input.name, warnings };
}

export interface WorkspaceUpdateOptions extends Omit<WorkspaceWriteOptions, 'name'> {
  /** @default the current workspace */
  readonly name?: string;
  readonly rename?: string;
}

/** `workspace update [name] -f <file>`: replaces the whole document. */
export async function updateWorkspace(input: WorkspaceUpdateOptions): Promise<WorkspaceWriteResult> {
  const options = resolveOptions(input);
  const store = await openWorkspaceStore(options);
  const name = input.name ?? (await store.current());
  const previous = await store.read(name);
  if (previous === undefined) throw new KusionError(Codes.workspaceNotFound, `workspace "${name}" not found`);
  const target = input.rename ?? name;
  if (input.rename !== undefined) {
    if (name === defaultWorkspace)
      throw new KusionError(Codes.workspaceInvalid, 'the default workspace cannot be renamed');
    if ((await store.read(input.rename)) !== undefined)
      throw new KusionError(Codes.workspaceInvalid, `workspace "${input.rename}" already exists`);
  }
  const text = await readWorkspaceFile(options, input.file);
  const { warnings, policyFiles } = await validateForStore(options, target, text, input.file);
  if (!input.dryRun) {
    const wasCurrent = (await store.current()) === name;
    await store.writePolicyFiles(target, policyFiles);
    await store.write(target, text);
    if (target !== name) await store.remove(name);
    if (input.current || (wasCurrent && target !== name)) await store.setCurrent(target);
  }
  return { name: target, warnings, previous };
}

export interface WorkspaceShowResult {
  readonly name: string;
  readonly isCurrent: boolean;
  /** The stored text with sensitive literal context values masked. */
  readonly text: string;
}

/** `workspace show [name]`. */
export async function showWorkspace(
  input: EngineOptions & { readonly name?: string },
): Promise<WorkspaceShowResult> {
  const options = resolveOptions(input);
  const store = await openWorkspaceStore(options);
  const current = await store.current();
  const name = input.name ?? current;
  const text = await store.read(name);
  if (text === undefined) throw new KusionError(Codes.workspaceNotFound, `workspace "${name}" not found`);
  return { name, isCurrent: name === current, text: maskContext(text) };
}

/** Masks literal values of sensitive context keys in place: every other byte of the text stays verbatim. */
function maskContext(text: string): string {
  const context = parseDocument(text).get('context', true);
  if (!isMap(context)) return text;
  const ranges: [number, number][] = [];
  for (const pair of context.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value;
    if (!sensitiveKey.test(key) || !isNode(value) || !value.range) continue;
    if (isScalar(value) && typeof value.value === 'string' && value.value.startsWith('ref://')) continue;
    ranges.push([value.range[0], value.range[1]]);
  }
  let masked = text;
  for (const [start, end] of ranges.sort((a, b) => b[0] - a[0])) {
    const replaced = masked.slice(start, end);
    // A block scalar's value spans lines; keep the line break that ends it.
    masked = `${masked.slice(0, start)}'******'${replaced.endsWith('\n') ? '\n' : ''}${masked.slice(end)}`;
  }
  return masked;
}

export interface WorkspaceListResult {
  readonly current: string;
  readonly workspaces: readonly string[];
}

export async function listWorkspaces(input: EngineOptions): Promise<WorkspaceListResult> {
  const store = await openWorkspaceStore(resolveOptions(input));
  return { current: await store.current(), workspaces: await store.list() };
}

export async function switchWorkspace(input: EngineOptions & { readonly name: string }): Promise<void> {
  const store = await openWorkspaceStore(resolveOptions(input));
  if ((await store.read(input.name)) === undefined)
    throw new KusionError(Codes.workspaceNotFound, `workspace "${input.name}" not found`);
  await store.setCurrent(input.name);
}

/** Deleting the current workspace makes `default` current; `default` itself cannot be deleted. */
export async function deleteWorkspace(input: EngineOptions & { readonly name: string }): Promise<void> {
  if (input.name === defaultWorkspace)
    throw new KusionError(Codes.workspaceInvalid, 'the default workspace cannot be deleted');
  const store = await openWorkspaceStore(resolveOptions(input));
  if ((await store.read(input.name)) === undefined)
    throw new KusionError(Codes.workspaceNotFound, `workspace "${input.name}" not found`);
  await store.remove(input.name);
}
