import { Codes, KusionError } from '../../errors/index.js';
import type { JsonObject } from '../../model/index.js';
import type { ModuleDescription } from './protocol.js';

export interface ExecModuleOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** Only these reach an exec module: never the operator's cloud or cluster credentials (SPEC §5.5). */
function scrubbedEnvironment(): Record<string, string> {
  const env: Record<string, string> = { KUSION_MODULE_API: 'v1' };
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/** Runs `<cmd> describe` or `<cmd> generate` speaking one JSON document each way. */
async function call(
  options: ExecModuleOptions,
  verb: 'describe' | 'generate',
  input?: JsonObject,
): Promise<unknown> {
  const fail = (message: string, cause?: unknown) =>
    new KusionError(Codes.execModuleFailed, `exec module "${options.name}" ${verb}: ${message}`, {
      source: 'external',
      ...(cause === undefined ? {} : { cause }),
      hints: [`run \`${[options.command, ...options.args, verb].join(' ')}\` by hand to see its output`],
    });
  // Loaded on first use: only exec modules need a process library.
  const { execa } = await import('execa');
  const result = await execa(options.command, [...options.args, verb], {
    cwd: options.cwd,
    env: scrubbedEnvironment(),
    extendEnv: false,
    input: input === undefined ? '' : JSON.stringify(input),
    timeout: options.timeoutMs,
    reject: false,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    forceKillAfterDelay: 2_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.failed) {
    const tail = String(result.stderr ?? '')
      .trim()
      .split('\n')
      .slice(-5)
      .join(' | ');
    const why = result.timedOut
      ? `timed out after ${options.timeoutMs} ms`
      : result.exitCode === undefined
        ? String(result.shortMessage)
        : `exited with status ${result.exitCode}`;
    throw fail(tail ? `${why}: ${tail}` : why);
  }
  try {
    return JSON.parse(String(result.stdout)) as unknown;
  } catch (error) {
    throw fail('stdout is not one JSON document', error);
  }
}

export async function describeExecModule(options: ExecModuleOptions): Promise<ModuleDescription> {
  const answer = (await call(options, 'describe')) as Partial<ModuleDescription> | null;
  if (!answer || typeof answer.name !== 'string' || typeof answer.version !== 'string') {
    throw new KusionError(
      Codes.execModuleFailed,
      `exec module "${options.name}" describe: answer lacks "name" and "version"`,
      {
        hints: ['describe must print {"name", "version", "developerSchema", "platformSchema"}'],
      },
    );
  }
  return {
    name: answer.name,
    version: answer.version,
    developerSchema: answer.developerSchema ?? {},
    platformSchema: answer.platformSchema ?? {},
  };
}

export async function generateWithExecModule(
  options: ExecModuleOptions,
  request: JsonObject,
): Promise<unknown> {
  const answer = (await call(options, 'generate', request)) as {
    error?: { message?: string; path?: string };
  } | null;
  if (answer?.error) {
    const where = answer.error.path ? ` at ${answer.error.path}` : '';
    throw new KusionError(
      Codes.moduleGenerateThrew,
      `module "${options.name}" reported an error${where}: ${answer.error.message ?? 'unknown error'}`,
    );
  }
  return answer;
}
