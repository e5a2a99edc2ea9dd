import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { SourceDocument } from '../config/index.js';
import { Codes, type Diagnostic, diagnostic, throwIfErrors } from '../errors/index.js';
import type { Workspace, WorkspacePolicyFiles } from '../model/index.js';
import { policyForm, type RegoEngine } from '../policy/index.js';
import { OpaBinary } from '../runtimes/opa/opa-binary.js';
import type { ResolvedEngineOptions } from './options.js';

/** A parsed workspace with its source positions (what `loadWorkspace` returns). */
interface LoadedWorkspace {
  readonly workspace: Workspace;
  readonly document: SourceDocument;
}

/**
 * The Rego side of a workspace's policies at the edge: reading a rule's `.rego` files next to the workspace
 * file, checking them with the user's `opa`, and opening that `opa` for evaluation (SPEC §15).
 */

/** The `opa` a workspace names (`runtimes.opa.binary`), default `opa` on PATH; a relative path is against cwd. */
export function opaFor(options: ResolvedEngineOptions, loaded: LoadedWorkspace): RegoEngine {
  const binary = loaded.workspace.document.runtimes?.opa?.binary ?? 'opa';
  return new OpaBinary({ binary: binary.includes('/') ? resolve(options.cwd, binary) : binary });
}

/** `.rego` files of a rule's path: the file itself, or every `.rego` below the directory except `_test.rego`. */
async function regoFilesAt(path: string): Promise<Record<string, string>> {
  const info = await stat(path);
  if (!info.isDirectory()) return { [path.split(sep).at(-1) ?? 'policy.rego']: await readFile(path, 'utf8') };
  const files: Record<string, string> = {};
  const entries = (await readdir(path, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith('.rego') && !e.name.endsWith('_test.rego'))
    .map((e) => resolve(e.parentPath, e.name))
    .sort();
  for (const file of entries) files[relative(path, file).split(sep).join('/')] = await readFile(file, 'utf8');
  return files;
}

/**
 * Reads the Rego files of every Rego rule, relative to the workspace file (or absolute). Problems are
 * KUS2002 at the rule's `rego.path`, all reported together.
 */
export async function readRegoFiles(
  options: ResolvedEngineOptions,
  loaded: LoadedWorkspace,
  workspaceFile: string,
): Promise<WorkspacePolicyFiles> {
  const base = dirname(resolve(options.cwd, workspaceFile));
  const files: Record<string, Record<string, string>> = {};
  const problems: Diagnostic[] = [];
  for (const [index, entry] of (loaded.workspace.document.policies ?? []).entries()) {
    const form = policyForm(entry);
    if (form.form !== 'rego') continue;
    const at = loaded.document.locate(['policies', index, 'rego', 'path']);
    const path = isAbsolute(form.policy.rego.path)
      ? form.policy.rego.path
      : resolve(base, form.policy.rego.path);
    try {
      const found = await regoFilesAt(path);
      if (Object.keys(found).length === 0)
        problems.push(
          diagnostic(
            Codes.workspaceInvalid,
            `policy "${form.policy.name}": no .rego file in ${form.policy.rego.path}`,
            at,
          ),
        );
      files[form.policy.name] = found;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push(
        diagnostic(
          Codes.workspaceInvalid,
          `policy "${form.policy.name}": cannot read ${form.policy.rego.path}${code === 'ENOENT' ? ': no such file or directory' : `: ${(error as Error).message}`}`,
          at,
          'rego.path is a .rego file or a directory of them, relative to the workspace file or absolute',
        ),
      );
    }
  }
  throwIfErrors(problems);
  return files;
}

/**
 * Checks every Rego rule's files with `opa check` when the workspace is stored; each problem is KUS2002
 * naming the rule, located in its `.rego` file. An `opa` that cannot run refuses the workspace too: the
 * rules could not be checked.
 */
export async function checkRegoFiles(
  options: ResolvedEngineOptions,
  loaded: LoadedWorkspace,
  workspaceFile: string,
  files: WorkspacePolicyFiles,
): Promise<void> {
  const rules = (loaded.workspace.document.policies ?? []).flatMap((entry, index) => {
    const form = policyForm(entry);
    return form.form === 'rego' ? [{ rule: form.policy, index }] : [];
  });
  if (rules.length === 0) return;
  const engine = opaFor(options, loaded);
  const base = dirname(resolve(options.cwd, workspaceFile));
  const problems: Diagnostic[] = [];
  for (const { rule, index } of rules) {
    const path = isAbsolute(rule.rego.path) ? rule.rego.path : resolve(base, rule.rego.path);
    const isFile = Object.keys(files[rule.name] ?? {}).length === 1 && path.endsWith('.rego');
    let found: Awaited<ReturnType<RegoEngine['check']>>;
    try {
      found = await engine.check(files[rule.name] ?? {}, options.signal ? { signal: options.signal } : {});
    } catch (error) {
      problems.push(
        diagnostic(
          Codes.workspaceInvalid,
          `policy "${rule.name}": its Rego files could not be checked: ${(error as Error).message}`,
          loaded.document.locate(['policies', index, 'rego']),
          'install OPA (https://www.openpolicyagent.org/docs) or set runtimes.opa.binary',
        ),
      );
      continue;
    }
    for (const problem of found) {
      const file = problem.file
        ? relative(options.cwd, isFile ? path : resolve(path, problem.file))
        : undefined;
      problems.push(
        diagnostic(
          Codes.workspaceInvalid,
          `policy "${rule.name}": ${problem.message}`,
          file
            ? `${file}:${problem.row ?? 1}:${problem.col ?? 1}`
            : loaded.document.locate(['policies', index, 'rego']),
          'fix the Rego file, then store the workspace again',
        ),
      );
    }
  }
  throwIfErrors(problems);
}

/** The Rego files a stack run uses: next to `--workspace-file`, else the ones stored in the backend. */
export async function policyFilesFor(
  options: ResolvedEngineOptions,
  loaded: LoadedWorkspace,
  source: {
    readonly workspaceFile?: string | undefined;
    readonly readStored: () => Promise<WorkspacePolicyFiles>;
  },
): Promise<WorkspacePolicyFiles> {
  const hasRego = (loaded.workspace.document.policies ?? []).some((p) => policyForm(p).form === 'rego');
  if (!hasRego) return {};
  // With `--workspace-file`, the files next to it; unreadable ones make the workspace invalid (KUS2002).
  if (source.workspaceFile === undefined) return source.readStored();
  return readRegoFiles(options, loaded, source.workspaceFile);
}
