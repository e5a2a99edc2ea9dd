import { copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { checkUniqueStackNames, locateStack } from '../config/index.js';
import { Codes, isKusionError, KusionError } from '../errors/index.js';
import { namePattern } from '../model/index.js';
import { moduleNamePattern } from '../model/workspace.js';
import {
  editorSchemaFiles,
  editorSchemas,
  type FileSet,
  moduleFiles,
  projectFile,
  stackFiles,
  stackTemplates,
} from '../scaffold/index.js';
import { openWorkspaceStore } from './backend.js';
import { listModules } from './modules.js';
import { nodeFiles } from './node-files.js';
import { type EngineOptions, resolveOptions } from './options.js';
import { kusionVersion } from './version.js';

/** The templates `kusion init --list` prints. */
export function listTemplates(): readonly { name: string; description: string }[] {
  return stackTemplates.map(({ name, description }) => ({ name, description }));
}

async function entriesOf(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Writes files that do not exist yet; returns the relative paths written and those skipped. */
async function writeFiles(root: string, files: FileSet): Promise<{ written: string[]; skipped: string[] }> {
  const written: string[] = [];
  const skipped: string[] = [];
  for (const [path, content] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    try {
      await writeFile(target, content, { flag: 'wx' });
      written.push(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      skipped.push(path);
    }
  }
  return { written, skipped };
}

function checkName(name: string, what: string): void {
  if (!namePattern.test(name)) {
    throw new KusionError(Codes.invalidProjectFile, `${what} name "${name}" is invalid`, {
      hints: ['use letters, digits, "_", "." and "-" (at most 100)'],
    });
  }
}

export interface InitOptions extends EngineOptions {
  /** Target directory (empty or new). @default cwd */
  readonly dir?: string;
  /** @default quickstart */
  readonly template?: string;
}

export interface ScaffoldResult {
  /** The directory written to. */
  readonly dir: string;
  /** Paths written, relative to `dir`. */
  readonly written: readonly string[];
  readonly skipped: readonly string[];
}

/** `kusion init [dir]`: a project named after its directory with one stack, `default` (SPEC §16.2). */
export async function init(input: InitOptions): Promise<ScaffoldResult> {
  const options = resolveOptions(input);
  const dir = resolve(options.cwd, input.dir ?? '.');
  const templateName = input.template ?? 'quickstart';
  const template = stackTemplates.find((t) => t.name === templateName);
  if (!template) {
    throw new KusionError(Codes.appConfigurationShape, `unknown template "${templateName}"`, {
      hints: [`templates: ${stackTemplates.map((t) => t.name).join(', ')} (kusion init --list)`],
    });
  }
  const existing = await entriesOf(dir);
  if (existing.length > 0) {
    throw new KusionError(Codes.invalidProjectFile, `${relative(options.cwd, dir) || '.'} is not empty`, {
      location: relative(options.cwd, dir) || '.',
      hints: ['run kusion init in an empty or new directory: kusion init <dir>'],
    });
  }
  const name = basename(dir);
  checkName(name, 'project');
  const stack = Object.fromEntries(
    Object.entries(stackFiles('default', template, kusionVersion())).map(([p, c]) => [`default/${p}`, c]),
  );
  await (await openWorkspaceStore(options)).read('default');
  const schemas = await schemaFiles({ ...input, cwd: dir });
  const result = await writeFiles(dir, { 'project.yaml': projectFile(name), ...stack, ...schemas });
  return { dir, ...result };
}

/** `kusion project create [dir] --name`: writes `project.yaml`. */
export async function createProject(
  input: EngineOptions & { readonly dir?: string; readonly name?: string },
): Promise<ScaffoldResult> {
  const options = resolveOptions(input);
  const dir = resolve(options.cwd, input.dir ?? '.');
  const name = input.name ?? basename(dir);
  checkName(name, 'project');
  const result = await writeFiles(dir, { 'project.yaml': projectFile(name) });
  if (result.skipped.length > 0)
    throw new KusionError(
      Codes.invalidProjectFile,
      `${join(relative(options.cwd, dir) || '.', 'project.yaml')} already exists`,
    );
  return { dir, ...result };
}

export interface CreateStackOptions extends EngineOptions {
  readonly name: string;
  /** @default the project containing cwd */
  readonly projectDir?: string;
  /** @default yaml */
  readonly format?: 'yaml' | 'ts';
  /** Copy `main.yaml`/`main.ts` from this stack directory instead of the quickstart template. */
  readonly copyFrom?: string;
}

/** `kusion stack create <name>`: a new stack directory in the project; an existing stack name is KUS1007. */
export async function createStack(input: CreateStackOptions): Promise<ScaffoldResult> {
  const options = resolveOptions(input);
  checkName(input.name, 'stack');
  const projectDir = input.projectDir
    ? resolve(options.cwd, input.projectDir)
    : await findProjectDir(options.cwd);
  if ((await nodeFiles.readText(join(projectDir, 'project.yaml'))) === undefined) {
    throw new KusionError(
      Codes.notInStack,
      `no project.yaml in ${relative(options.cwd, projectDir) || '.'}`,
      { hints: ['pass --project-dir, or create the project with `kusion project create`'] },
    );
  }
  const dir = join(projectDir, input.name);
  if ((await entriesOf(dir)).length > 0) {
    throw new KusionError(
      Codes.duplicateStackName,
      `stack directory ${relative(options.cwd, dir)} already exists`,
      { location: relative(options.cwd, dir) },
    );
  }
  const template = stackTemplates.find(
    (t) => t.name === (input.format === 'ts' ? 'typescript' : 'quickstart'),
  );
  if (!template) throw new KusionError(Codes.internal, 'stack templates are missing');
  const files = stackFiles(input.name, template, kusionVersion());
  const copyFrom = input.copyFrom ? resolve(options.cwd, input.copyFrom) : undefined;
  const filtered = copyFrom
    ? Object.fromEntries(Object.entries(files).filter(([p]) => !p.startsWith('main.')))
    : files;
  const result = await writeFiles(dir, filtered);
  const schemas = await writeFiles(projectDir, await schemaFiles({ ...input, cwd: projectDir }));
  if (copyFrom) {
    const source = await locateStack(nodeFiles, { workdir: copyFrom, cwd: options.cwd });
    if (source.appConfigurationFile) {
      await copyFile(source.appConfigurationFile, join(dir, basename(source.appConfigurationFile)));
      result.written.push(basename(source.appConfigurationFile));
    }
  }
  await checkUniqueStackNames(nodeFiles, projectDir, options.cwd);
  const up = relative(dir, projectDir);
  return { dir, ...result, written: [...result.written, ...schemas.written.map((p) => join(up, p))] };
}

/**
 * The project's editor schemas (`schemas/*.json`), built from the modules of the current workspace, so
 * the `# yaml-language-server: $schema=` line of a scaffolded main.yaml completes and validates. Never
 * blocks scaffolding: when the modules cannot be listed, no schema is written.
 */
async function schemaFiles(input: EngineOptions): Promise<FileSet> {
  try {
    const modules = await listModules(input);
    const schemas = editorSchemas(modules);
    const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
    return {
      [`schemas/${editorSchemaFiles.appConfiguration}`]: json(schemas.appConfiguration),
      [`schemas/${editorSchemaFiles.workspace}`]: json(schemas.workspace),
    };
  } catch (error) {
    if (isKusionError(error)) return {};
    throw error;
  }
}

async function findProjectDir(start: string): Promise<string> {
  for (let dir = start; ; dir = dirname(dir)) {
    if ((await nodeFiles.readText(join(dir, 'project.yaml'))) !== undefined) return dir;
    if (dirname(dir) === dir) return start;
  }
}

export interface ModuleInitOptions extends EngineOptions {
  readonly name: string;
  /** @default ./<name> */
  readonly dir?: string;
  /** Write into a non-empty directory (existing files are never overwritten or deleted). */
  readonly force?: boolean;
}

/** `kusion mod init <name> [dir]`: scaffolds a TypeScript module package with passing tests. */
export async function initModule(input: ModuleInitOptions): Promise<ScaffoldResult> {
  const options = resolveOptions(input);
  if (!moduleNamePattern.test(input.name)) {
    throw new KusionError(Codes.workspaceInvalid, `module name "${input.name}" is invalid`, {
      hints: ['module names match ^[a-z][a-z0-9-]{0,62}$'],
    });
  }
  const dir = resolve(options.cwd, input.dir ?? input.name);
  const exists = await stat(dir).then(
    () => true,
    () => false,
  );
  if (exists && (await entriesOf(dir)).length > 0 && !input.force) {
    throw new KusionError(Codes.workspaceInvalid, `${relative(options.cwd, dir) || '.'} is not empty`, {
      hints: ['choose a new directory, or pass --force to add the missing files (existing files are kept)'],
    });
  }
  return { dir, ...(await writeFiles(dir, moduleFiles(input.name, `^${kusionVersion()}`))) };
}
