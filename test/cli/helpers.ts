/**
 * Helpers for the CLI suite: every test runs the BUILT CLI (`node packages/cli/dist/main.js`, built once by
 * `npx tsc -b`) as a child process in a fresh temporary project, with `KUSION_HOME` and `HOME` in temporary
 * directories and `KUBECONFIG` pointing nowhere, so nothing touches the developer's machine or a cluster.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliEntry = join(repoRoot, 'packages', 'cli', 'dist', 'main.js');

/** A file of a project: its text, or its text and mode (e.g. 0o755 for an exec module). */
export type FileSpec = string | { readonly content: string; readonly mode: number };
/** Paths relative to the project directory → contents. */
export type Files = Readonly<Record<string, FileSpec>>;

export interface CliResult {
  /** Exit code; -1 when the process was killed (timeout). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Working directory relative to the project directory (or absolute). @default the project's default cwd */
  readonly cwd?: string;
  /** Extra environment variables for the CLI process. */
  readonly env?: Readonly<Record<string, string>>;
  /** Kills the CLI after this long. @default 120 s (generous: CI machines are small and shared) */
  readonly timeoutMs?: number;
}

/** A temporary project with its own Kusion home: write files, run the CLI in it. */
export interface Project {
  /** The temporary directory holding everything below. */
  readonly root: string;
  /** The project directory (where `project.yaml` goes). */
  readonly dir: string;
  /** `KUSION_HOME` of every run. */
  readonly kusionHome: string;
  /** `HOME` of every run. */
  readonly home: string;
  /** Absolute path of a file or directory of the project. */
  path(relative: string): string;
  write(files: Files): Promise<void>;
  read(relative: string): Promise<string>;
  run(args: readonly string[], options?: RunOptions): Promise<CliResult>;
}

const roots = new Set<string>();

/** Fails fast, with the fix, when the CLI has not been built. */
export function assertCliBuilt(): void {
  if (!existsSync(cliEntry))
    throw new Error(`${cliEntry} is missing: build the CLI first with \`npx tsc -b\``);
}

async function writeFiles(base: string, files: Files): Promise<void> {
  for (const [relative, spec] of Object.entries(files)) {
    const file = join(base, relative);
    await mkdir(dirname(file), { recursive: true });
    const content = typeof spec === 'string' ? spec : spec.content;
    await writeFile(file, content);
    if (typeof spec !== 'string') await chmod(file, spec.mode);
  }
}

/**
 * Creates a project from a map of files in a fresh temporary directory. Runs default to `cwd` (relative to
 * the project directory), typically the stack directory.
 */
export async function makeProject(files: Files, options: { readonly cwd?: string } = {}): Promise<Project> {
  assertCliBuilt();
  const root = await mkdtemp(join(tmpdir(), 'kusion-cli-'));
  roots.add(root);
  const dir = join(root, 'project');
  const kusionHome = join(root, 'kusion-home');
  const home = join(root, 'home');
  await mkdir(dir, { recursive: true });
  await mkdir(home, { recursive: true });
  await writeFiles(dir, files);
  const defaultCwd = options.cwd ?? '.';
  return {
    root,
    dir,
    kusionHome,
    home,
    path: (relative) => resolve(dir, relative),
    write: (more) => writeFiles(dir, more),
    read: (relative) => readFile(resolve(dir, relative), 'utf8'),
    run: (args, runOptions = {}) =>
      runCli(args, {
        cwd: resolve(dir, runOptions.cwd ?? defaultCwd),
        env: {
          KUSION_HOME: kusionHome,
          HOME: home,
          KUBECONFIG: join(root, 'no-such-dir', 'kubeconfig'),
          ...runOptions.env,
        },
        ...(runOptions.timeoutMs ? { timeoutMs: runOptions.timeoutMs } : {}),
      }),
  };
}

/** Removes every temporary directory made by this test file; call it from `afterAll`. */
export async function removeProjects(): Promise<void> {
  const all = [...roots];
  roots.clear();
  await Promise.all(all.map((root) => rm(root, { recursive: true, force: true })));
}

// A small semaphore: each CLI run starts a Node process and a worker thread, and CI machines are small.
const maxRunning = 3;
let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (running >= maxRunning) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * Runs the built CLI with exactly the given environment (plus `PATH` and `NO_COLOR`), never through a
 * shell. Resolves with the exit code and both streams; never rejects on a non-zero exit.
 */
export function runCli(
  args: readonly string[],
  options: {
    readonly cwd: string;
    readonly env: Readonly<Record<string, string>>;
    readonly timeoutMs?: number;
  },
): Promise<CliResult> {
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    ...options.env,
  };
  return limited(
    () =>
      new Promise<CliResult>((resolvePromise) => {
        const child = execFile(
          process.execPath,
          [cliEntry, ...args],
          {
            cwd: options.cwd,
            env,
            encoding: 'utf8',
            maxBuffer: 32 * 1024 * 1024,
            timeout: options.timeoutMs ?? 120_000,
          },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
            resolvePromise({ code, stdout, stderr });
          },
        );
        child.stdin?.end();
      }),
  );
}

/** Runs any program (npm, for packing and installing module packages) without a shell. */
export function runProgram(
  file: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number },
): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        encoding: 'utf8',
        timeout: options.timeoutMs ?? 120_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

/** Joins lines with LF and a final newline, so YAML fixtures read as they will be written. */
export function lines(...text: readonly string[]): string {
  return `${text.join('\n')}\n`;
}

/** The standard project of this suite: project `shop`, stack `dev` (in `dev/`), plus `files`. */
export function shopProject(files: Files = {}): Promise<Project> {
  return makeProject(
    { 'project.yaml': 'name: shop\n', 'dev/stack.yaml': 'name: dev\n', ...files },
    { cwd: 'dev' },
  );
}

/** Lines of output that look like a JavaScript stack trace. */
export function stackTraceLines(text: string): string[] {
  return text.split('\n').filter((line) => /^\s+at\s/.test(line));
}

/** The `{"error": …}` object the CLI prints on stdout with `-o json`. */
export interface JsonError {
  readonly code: string;
  readonly message: string;
  readonly location: string | null;
  readonly hint: string | null;
  readonly diagnostics: readonly {
    code: string;
    severity: string;
    message: string;
    location?: string;
    hint?: string;
  }[];
}

export function parseJsonError(stdout: string): JsonError {
  const parsed = JSON.parse(stdout) as { error?: JsonError };
  if (!parsed.error) throw new Error(`no "error" object in: ${stdout}`);
  return parsed.error;
}

/** Parses a YAML or JSON spec printed by `generate` into resources by ID. */
export interface SpecResource {
  readonly id: string;
  readonly type: string;
  readonly attributes: Record<string, unknown>;
  readonly dependsOn?: readonly string[];
  readonly extensions?: Record<string, unknown>;
}
export interface PrintedSpec {
  readonly resources: readonly SpecResource[];
  readonly context: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly secretStore: unknown;
}

export function resourceById(spec: PrintedSpec, id: string): SpecResource {
  const found = spec.resources.find((r) => r.id === id);
  if (!found)
    throw new Error(`no resource ${id} in spec; IDs: ${spec.resources.map((r) => r.id).join(', ')}`);
  return found;
}

/** The containers of a Deployment resource. */
export function containersOf(
  resource: SpecResource,
): { name: string; env?: { name: string; value?: string }[] }[] {
  const spec = resource.attributes['spec'] as { template: { spec: { containers: [] } } };
  return spec.template.spec.containers;
}
