import { resolve } from 'node:path';
import { checkUniqueStackNames, locateStack } from '../config/index.js';
import { Codes, type Diagnostic, KusionError } from '../errors/index.js';
import { toCanonicalJson, toCanonicalYaml } from '../generator/canonical.js';
import { generateSpec } from '../generator/generate.js';
import { maskSpec } from '../generator/mask.js';
import type { JsonValue, ResolvedModules, Spec, StackContext } from '../model/index.js';
import { ModuleWorker } from '../modules/loader/module-worker.js';
import { ModuleLoader } from '../modules/module-loader.js';
import { listBuiltins } from '../modules/resolvers/locate.js';
import { loadAppConfiguration } from './app-configuration.js';
import { nodeFiles } from './node-files.js';
import { type EngineOptions, type ResolvedEngineOptions, resolveOptions } from './options.js';
import { loadWorkspace } from './workspace.js';

export interface GenerateOptions extends EngineOptions {
  /** The stack directory. @default cwd */
  readonly workdir?: string;
  /** `-D key=value` arguments. */
  readonly args?: Readonly<Record<string, string>>;
  /** `--workspace`. */
  readonly workspace?: string;
  /** `--workspace-file`: a workspace YAML read from disk instead of the backend. */
  readonly workspaceFile?: string;
  /** Generate twice in separate workers and fail with KUS3014 on any difference. */
  readonly verifyDeterminism?: boolean;
}

export interface GenerateResult {
  readonly project: string;
  readonly stack: string;
  readonly workspace: string;
  readonly spec: Spec;
  readonly modules: ResolvedModules;
  readonly warnings: readonly Diagnostic[];
}

/** `kusion generate`: AppConfiguration + workspace + modules → canonical Spec (SPEC §8). */
export async function generate(input: GenerateOptions): Promise<GenerateResult> {
  const options = resolveOptions(input);
  // The worker boots while the files are read and the workspace is loaded.
  const firstWorker = new ModuleWorker({ bundledBase: options.bundledBase });
  firstWorker.start();
  try {
    return await generateWith(options, input, firstWorker);
  } finally {
    await firstWorker.close();
  }
}

async function generateWith(
  options: ResolvedEngineOptions,
  input: GenerateOptions,
  firstWorker: ModuleWorker,
): Promise<GenerateResult> {
  const workdir = resolve(options.cwd, input.workdir ?? '.');
  const stack = await locateStack(nodeFiles, { workdir, cwd: options.cwd });
  await checkUniqueStackNames(nodeFiles, stack.projectDir, options.cwd);
  const workspace = await loadWorkspace(options, input.workspace, input.workspaceFile);
  const builtinModules = listBuiltins(options.catalogDir);
  const once = async (worker: ModuleWorker) => {
    try {
      const modules = new ModuleLoader({
        workspaceName: workspace.workspace.name,
        modules: workspace.workspace.document.modules ?? {},
        builtinModules,
        catalogDir: options.catalogDir,
        kusionHome: options.home,
        projectDir: stack.projectDir,
        stackDir: stack.stackDir,
        locateDeclaration: (name) => workspace.document.locate(['modules', name], 'key'),
        worker,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const apps = await loadAppConfiguration(
        stack.appConfigurationFile ?? '',
        options.cwd,
        input.args ?? {},
        worker,
        () => modules.selectedPackages(),
      );
      return await generateSpec({
        stack,
        apps,
        workspace: workspace.workspace,
        workspaceDocument: workspace.document,
        modules,
        builtinModules,
      });
    } finally {
      await worker.close();
    }
  };
  const first = await once(firstWorker);
  if (input.verifyDeterminism)
    await verifySame(
      first.spec,
      (await once(new ModuleWorker({ bundledBase: options.bundledBase }))).spec,
      stack,
    );
  return {
    project: stack.project.name,
    stack: stack.stack.name,
    workspace: workspace.workspace.name,
    spec: first.spec,
    modules: first.modules,
    warnings: [...workspace.warnings, ...first.warnings],
  };
}

async function verifySame(a: Spec, b: Spec, stack: StackContext): Promise<void> {
  const left = toCanonicalJson(a);
  const right = toCanonicalJson(b);
  if (left === right) return;
  const leftLines = left.split('\n');
  const rightLines = right.split('\n');
  const line = leftLines.findIndex((l, i) => l !== rightLines[i]);
  throw new KusionError(
    Codes.nonDeterministicOutput,
    `two generate runs of stack ${stack.stack.name} differ at line ${line + 1} of the spec: ${leftLines[line]?.trim()} ≠ ${rightLines[line]?.trim()}`,
    {
      hints: [
        'a module or main.ts depends on something other than its inputs; run `kusion generate` twice and diff the output',
      ],
    },
  );
}

/** Renders a spec for display or `-o`: canonical YAML or JSON, sensitive values masked. */
export function formatSpec(spec: Spec, format: 'yaml' | 'json'): string {
  const masked = maskSpec(spec) as unknown as JsonValue;
  return format === 'json' ? toCanonicalJson(masked) : toCanonicalYaml(masked);
}
