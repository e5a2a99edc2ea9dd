import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import type { JsonValue } from '../../model/index.js';
import type {
  RegoEngine,
  RegoEvaluateRequest,
  RegoEvaluation,
  RegoModules,
  RegoProblem,
} from '../../policy/port.js';

/**
 * The Rego engine as the user's own `opa` binary (SPEC §15; never downloaded): the modules are written to
 * a private temporary directory, `opa check` / `opa eval --format json` run over it with the input on
 * stdin, and OPA's JSON answers are read back. Every failure of the process — missing binary, crash,
 * timeout, errors it reports — becomes an error with OPA's own message, so the caller can deny with it.
 *
 * @see https://www.openpolicyagent.org/docs/cli
 */

export interface OpaBinaryOptions {
  /** `runtimes.opa.binary`: a name looked up on PATH, or a path. @default 'opa' */
  readonly binary?: string;
  /** Limit of one `opa` run. @default 60 s */
  readonly timeoutMs?: number;
}

/** An error of the `opa` process, carrying OPA's messages. */
export class OpaError extends Error {
  override readonly name = 'OpaError';
}

interface OpaJsonError {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly location?: { readonly file?: unknown; readonly row?: unknown; readonly col?: unknown };
}

export class OpaBinary implements RegoEngine {
  private readonly binary: string;
  private readonly timeoutMs: number;

  constructor(options: OpaBinaryOptions = {}) {
    this.binary = options.binary ?? 'opa';
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  async check(
    modules: RegoModules,
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<readonly RegoProblem[]> {
    return this.withModules(modules, async (dir) => {
      const result = await this.run(['check', '--format', 'json', dir], '', options.signal);
      if (result.exitCode === 0) return [];
      const errors = parseErrors(result.stdout) ?? parseErrors(result.stderr);
      if (!errors) throw this.failure(result);
      return errors.map((e) => toProblem(e, dir));
    });
  }

  async evaluate(request: RegoEvaluateRequest): Promise<RegoEvaluation> {
    return this.withModules(request.modules, async (dir) => {
      const result = await this.run(
        ['eval', '--format', 'json', '--stdin-input', '--data', dir, request.query],
        JSON.stringify(request.input),
        request.signal,
      );
      if (result.exitCode !== 0) throw this.failure(result, dir);
      let answer: { result?: { expressions?: { value?: JsonValue }[] }[] };
      try {
        answer = JSON.parse(result.stdout) as typeof answer;
      } catch {
        throw new OpaError(`opa eval printed something that is not JSON: ${result.stdout.slice(0, 200)}`);
      }
      const first = answer.result?.[0]?.expressions?.[0];
      if (!first || !('value' in first) || first.value === undefined) return { defined: false };
      return { defined: true, value: first.value };
    });
  }

  private async withModules<T>(modules: RegoModules, use: (dir: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), 'kusion-opa-'));
    try {
      for (const [path, text] of Object.entries(modules)) {
        const target = join(dir, path);
        // Stored paths come from the backend: never let one escape the directory.
        if (!target.startsWith(`${dir}${sep}`)) throw new OpaError(`refusing Rego file path "${path}"`);
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, text, { mode: 0o600 });
      }
      return await use(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async run(
    args: readonly string[],
    input: string,
    signal: AbortSignal | undefined,
  ): Promise<{ exitCode: number | undefined; stdout: string; stderr: string; why: string }> {
    // Loaded on first use: only workspaces with Rego rules need a process library.
    const { execa } = await import('execa');
    const result = await execa(this.binary, args, {
      input,
      reject: false,
      timeout: this.timeoutMs,
      forceKillAfterDelay: 2_000,
      maxBuffer: 64 * 1024 * 1024,
      ...(signal ? { cancelSignal: signal } : {}),
    });
    const why =
      (result as { code?: string }).code === 'ENOENT'
        ? `the opa binary "${this.binary}" was not found (install OPA, or set runtimes.opa.binary)`
        : result.timedOut
          ? `opa timed out after ${this.timeoutMs} ms`
          : result.signal
            ? `opa was killed by ${result.signal}`
            : result.exitCode === undefined
              ? String(result.shortMessage)
              : `opa exited with status ${result.exitCode}`;
    return {
      exitCode: result.exitCode,
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
      why,
    };
  }

  private failure(result: { stdout: string; stderr: string; why: string }, dir?: string): OpaError {
    const errors = parseErrors(result.stdout) ?? parseErrors(result.stderr);
    if (errors && errors.length > 0)
      return new OpaError(
        errors
          .map((e) => toProblem(e, dir))
          .map((p) => `${p.file ? `${p.file}:${p.row ?? 0}:${p.col ?? 0}: ` : ''}${p.message}`)
          .join('; '),
      );
    const tail = result.stderr.trim().split('\n').slice(-3).join(' | ');
    return new OpaError(tail ? `${result.why}: ${tail}` : result.why);
  }
}

/** OPA's `{"errors": [...]}`, or undefined when the text is not that. */
function parseErrors(text: string): OpaJsonError[] | undefined {
  try {
    const parsed = JSON.parse(text) as { errors?: unknown };
    return Array.isArray(parsed.errors) ? (parsed.errors as OpaJsonError[]) : undefined;
  } catch {
    return undefined;
  }
}

function toProblem(error: OpaJsonError, dir: string | undefined): RegoProblem {
  const file = typeof error.location?.file === 'string' ? error.location.file : undefined;
  const shown = file && dir && file.startsWith(dir) ? relative(dir, file).split(sep).join('/') : file;
  // OPA cites the temporary directory; messages name files as the workspace does.
  const message = String(error.message ?? 'unknown error')
    .split(dir ? `${dir}${sep}` : '\0')
    .join('')
    .replace(/\s*\n\s*/g, '; ');
  return {
    message: `${typeof error.code === 'string' ? `${error.code}: ` : ''}${message}`,
    ...(shown ? { file: shown } : {}),
    ...(typeof error.location?.row === 'number' ? { row: error.location.row } : {}),
    ...(typeof error.location?.col === 'number' ? { col: error.location.col } : {}),
  };
}
