import type { Diagnostic } from '@kusion/engine';
import type { Style } from './style.js';

/** Exit codes of SPEC §16.3. */
export const ExitCode = { ok: 0, error: 1, changes: 2, interrupted: 130 } as const;

interface ReportableError {
  readonly code: string;
  readonly message: string;
  readonly location?: string | undefined;
  readonly hints: readonly string[];
  toDiagnostics(): readonly Diagnostic[];
  readonly stack?: string | undefined;
  readonly cause?: unknown;
}

/** `Error KUS3001: main.yaml:12:7: message` then `  hint: …`, once per problem. */
export function formatDiagnostic(d: Diagnostic, style: Style): string {
  const label = d.severity === 'error' ? style.red(`Error ${d.code}`) : style.yellow(`Warning ${d.code}`);
  const location = d.location && !d.message.startsWith(d.location) ? `${d.location}: ` : '';
  const hint = d.hint ? `\n  ${style.dim('hint:')} ${d.hint}` : '';
  return `${label}: ${location}${d.message}${hint}`;
}

/** Prints an error for a human, or as `{"error": …}` on stdout for `-o json`. */
export function reportError(
  error: ReportableError,
  options: { json: boolean; debug: boolean; style: Style },
): void {
  if (options.json) {
    const payload = {
      error: {
        code: error.code,
        message: error.message,
        location: error.location ?? null,
        hint: error.hints[0] ?? null,
        diagnostics: error.toDiagnostics(),
      },
    };
    process.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
  } else {
    process.stderr.write(
      `${error
        .toDiagnostics()
        .map((d) => formatDiagnostic(d, options.style))
        .join('\n')}\n`,
    );
  }
  if (options.debug) {
    process.stderr.write(`${error.stack ?? ''}\n`);
    if (error.cause instanceof Error)
      process.stderr.write(`caused by: ${error.cause.stack ?? error.cause.message}\n`);
  }
}

/** Warnings go to stderr, so stdout stays parseable. */
export function reportWarnings(warnings: readonly Diagnostic[], style: Style): void {
  for (const warning of warnings) process.stderr.write(`${formatDiagnostic(warning, style)}\n`);
}
