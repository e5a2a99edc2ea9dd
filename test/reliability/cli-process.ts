/**
 * The built `kusion` CLI as a child in its own process group, so a test can SIGKILL the whole group (the
 * CLI and anything it started) at an instant of its choosing, or watch it end by itself within a bound.
 */
import { spawn } from 'node:child_process';

/** How a run ended. */
export interface CliEnd {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** Set when the test killed it (by `killAfterMs` or `kill()`), as opposed to it ending by itself. */
  readonly killed: boolean;
}

/** A running CLI. */
export interface CliRun {
  readonly pid: number;
  /** SIGKILLs the process group; a no-op once the run ended. */
  kill(): void;
  readonly ended: Promise<CliEnd>;
  /** Resolves once stdout so far satisfies `test` (or when the run ends). */
  until(test: (stdout: string) => boolean): Promise<void>;
}

/** Starts `node <cli> ...args` in `cwd` as the leader of a new process group. */
export function startCli(
  cli: string,
  args: readonly string[],
  options: { cwd: string; env: Readonly<Record<string, string>>; killAfterMs?: number },
): CliRun {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${cli}`);
  let stdout = '';
  let stderr = '';
  let killed = false;
  let isRunning = true;
  const waiters: { test: (stdout: string) => boolean; resolve: () => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const w of waiters.filter((w) => w.test(stdout))) w.resolve();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const kill = () => {
    if (!isRunning) return;
    killed = true;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  };
  const timer = options.killAfterMs === undefined ? undefined : setTimeout(kill, options.killAfterMs);
  const ended = new Promise<CliEnd>((resolve) => {
    child.on('close', (code, signal) => {
      isRunning = false;
      clearTimeout(timer);
      for (const w of waiters) w.resolve();
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started, killed });
    });
  });
  return {
    pid,
    kill,
    ended,
    until: (test) =>
      !isRunning || test(stdout)
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ test, resolve })),
  };
}

/** Runs the CLI to its end; fails the test's promise if it takes longer than `timeoutMs` (a hang). */
export async function runCli(
  cli: string,
  args: readonly string[],
  options: { cwd: string; env: Readonly<Record<string, string>>; timeoutMs?: number },
): Promise<CliEnd> {
  const run = startCli(cli, args, { cwd: options.cwd, env: options.env });
  const bound = options.timeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      run.kill();
      reject(new Error(`kusion ${args.join(' ')} did not end within ${bound} ms (killed)`));
    }, bound);
  });
  try {
    return await Promise.race([run.ended, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when output holds a JavaScript stack frame (`    at fn (file:1:2)`): errors must be coded lines. */
export function hasStackTrace(output: string): boolean {
  return /^\s+at .+:\d+:\d+\)?$/m.test(output);
}
