import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import { Codes, KusionError } from '../../errors/index.js';

/** One machine-readable line of `-json` output (the fields Kusion reads). */
export interface TofuEvent {
  readonly type: string;
  readonly '@message'?: string;
  readonly hook?: {
    readonly resource?: { readonly addr?: string };
    readonly action?: string;
    readonly elapsed_seconds?: number;
  };
  readonly diagnostic?: TofuDiagnostic;
}

export interface TofuDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
}

export interface TofuInvocation {
  readonly binary: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Second interrupt: ends the process (SIGINT, then SIGKILL after a grace period). */
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Each `-json` line as it arrives; without it, stdout is collected as text. */
  readonly onEvent?: (event: TofuEvent) => void;
}

export interface TofuResult {
  readonly exitCode: number;
  /** stdout, when not streamed as events. */
  readonly stdout: string;
  readonly stderr: string;
  /** Error diagnostics, from `-json` events or, for plain commands, stderr. */
  readonly errors: readonly TofuDiagnostic[];
}

const killGraceMs = 10_000;

/** Runs the binary once and waits for it; never throws for a non-zero exit (callers decide). */
export function runTofu(args: readonly string[], invocation: TofuInvocation): Promise<TofuResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(invocation.binary, args, {
      cwd: invocation.cwd,
      env: invocation.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const errors: TofuDiagnostic[] = [];
    let stdout = '';
    let stderr = '';
    if (invocation.onEvent) {
      const onEvent = invocation.onEvent;
      createInterface({ input: child.stdout }).on('line', (line) => {
        const event = parseEvent(line);
        if (!event) return;
        if (event.type === 'diagnostic' && event.diagnostic?.severity === 'error')
          errors.push(event.diagnostic);
        onEvent(event);
      });
    } else {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
    }
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    let killTimer: NodeJS.Timeout | undefined;
    const interrupt = () => {
      child.kill('SIGINT');
      killTimer ??= setTimeout(() => child.kill('SIGKILL'), killGraceMs).unref();
    };
    invocation.signal?.addEventListener('abort', interrupt, { once: true });
    const timeout = invocation.timeoutMs ? setTimeout(interrupt, invocation.timeoutMs).unref() : undefined;
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new KusionError(Codes.terraformBinaryMissing, `${invocation.binary} was not found`, {
              hints: [
                'install OpenTofu (>= 1.6) or Terraform (>= 1.5), or set runtimes.terraform.binary in the workspace',
              ],
            })
          : error,
      );
    });
    child.on('close', (code, signal) => {
      invocation.signal?.removeEventListener('abort', interrupt);
      clearTimeout(timeout);
      clearTimeout(killTimer);
      if (!invocation.onEvent && code !== 0) errors.push(...plainDiagnostics(stderr));
      else if (code !== 0 && errors.length === 0) errors.push(...plainDiagnostics(stderr));
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr, errors });
    });
  });
}

function parseEvent(line: string): TofuEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === 'object' && value !== null && typeof (value as TofuEvent).type === 'string'
      ? (value as TofuEvent)
      : undefined;
  } catch {
    return undefined;
  }
}

/** `Error: <summary>` blocks of the human output: summary and the indented detail after it. */
export function plainDiagnostics(text: string): TofuDiagnostic[] {
  const clean = stripVTControlCharacters(text).replace(/[│╷╵]/g, '');
  const found: TofuDiagnostic[] = [];
  for (const block of clean.split(/^\s*Error: /m).slice(1)) {
    const [summary = '', ...rest] = block.split('\n');
    const detail = rest
      .map((l) => l.trim())
      .filter((l) => l.length > 0)
      .join(' ');
    found.push({ severity: 'error', summary: summary.trim(), ...(detail ? { detail } : {}) });
  }
  const tail = clean.trim().split('\n').slice(-3).join(' ').trim();
  return found.length > 0 ? found : tail ? [{ severity: 'error', summary: tail }] : [];
}

/** A diagnostic as one line: `summary: detail`, cut at a readable length. */
export function describeDiagnostic(diagnostic: TofuDiagnostic): string {
  const detail = diagnostic.detail?.replace(/\s+/g, ' ').trim();
  const text = detail ? `${diagnostic.summary}: ${detail}` : diagnostic.summary;
  return text.length > 600 ? `${text.slice(0, 597)}...` : text;
}
