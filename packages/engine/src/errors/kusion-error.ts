import { type Code, Codes, defaultHints } from './codes.js';

/** Who is to blame: the user's input, Kusion itself, or something outside both (a cluster, a binary). */
export type ErrorSource = 'user' | 'system' | 'external';

/** One problem found while reading, validating or running: coded, located, with a hint. */
export interface Diagnostic {
  readonly code: Code;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** `file:line:col`, `workspace <name>:line:col`, or a resource ID. */
  readonly location?: string;
  readonly hint?: string;
}

export interface KusionErrorOptions {
  readonly source?: ErrorSource;
  readonly location?: string | undefined;
  readonly hints?: readonly string[];
  readonly cause?: unknown;
  /** Every problem found, when one error stands for several (validation collects, never stops at the first). */
  readonly diagnostics?: readonly Diagnostic[];
}

const brand = Symbol.for('kusion.io/error');

/** The base of everything the engine throws. Checked by brand, so it survives two copies of the package. */
export class KusionError extends Error {
  readonly [brand] = true;
  readonly code: Code;
  readonly source: ErrorSource;
  readonly location: string | undefined;
  readonly hints: readonly string[];
  readonly diagnostics: readonly Diagnostic[];

  constructor(code: Code, message: string, options: KusionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KusionError';
    this.code = code;
    this.source = options.source ?? 'user';
    this.location = options.location;
    const hint = defaultHints[code];
    this.hints = options.hints ?? (hint ? [hint] : []);
    this.diagnostics = options.diagnostics ?? [];
  }

  /** The error as a list of diagnostics: its own, or one made of itself. */
  toDiagnostics(): readonly Diagnostic[] {
    if (this.diagnostics.length > 0) return this.diagnostics;
    return [
      {
        code: this.code,
        severity: 'error',
        message: this.message,
        ...(this.location ? { location: this.location } : {}),
        ...(this.hints[0] ? { hint: this.hints[0] } : {}),
      },
    ];
  }
}

/** True for any KusionError, whichever copy of the engine made it. */
export function isKusionError(value: unknown): value is KusionError {
  return typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true;
}

/**
 * Throws one error carrying every error diagnostic, if there is any. Its code and message are the first
 * problem's; the rest travel in `diagnostics`.
 */
export function throwIfErrors(diagnostics: readonly Diagnostic[]): void {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  if (!first) return;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  throw new KusionError(first.code, `${first.message}${more}`, {
    ...(first.location ? { location: first.location } : {}),
    ...(first.hint ? { hints: [first.hint] } : {}),
    diagnostics: errors,
  });
}

/** Wraps anything unexpected as KUS9001, keeping the cause for `--debug`. */
export function toKusionError(error: unknown): KusionError {
  if (isKusionError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new KusionError(Codes.internal, `internal error: ${message}`, { source: 'system', cause: error });
}

/** Shorthand for a diagnostic. */
export function diagnostic(
  code: Code,
  message: string,
  location?: string,
  hint?: string,
  severity: 'error' | 'warning' = 'error',
): Diagnostic {
  const shown = hint ?? defaultHints[code];
  return { code, severity, message, ...(location ? { location } : {}), ...(shown ? { hint: shown } : {}) };
}
