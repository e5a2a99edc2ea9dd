import type { JsonValue } from '../model/index.js';

/**
 * The port to a Rego engine (SPEC §15): the `opa` binary in production, through an adapter at the edge.
 * The core never starts a process itself.
 */

/** Rego modules to load: path (relative, `/`-separated) → text. */
export type RegoModules = Readonly<Record<string, string>>;

/** A problem the engine found in a module, located when it can be. */
export interface RegoProblem {
  readonly message: string;
  /** The module's relative path, as given in `RegoModules`. */
  readonly file?: string;
  readonly row?: number;
  readonly col?: number;
}

export interface RegoEvaluateRequest {
  readonly modules: RegoModules;
  /** E.g. `data.kusion.deny`. */
  readonly query: string;
  readonly input: JsonValue;
  readonly signal?: AbortSignal;
}

/** A query's value, or that it is undefined (no rule produced it). */
export type RegoEvaluation =
  | { readonly defined: false }
  | { readonly defined: true; readonly value: JsonValue };

export interface RegoEngine {
  /**
   * Compiles the modules and returns every problem (empty when they are valid). Throws when the engine
   * itself cannot run (binary missing, crash).
   */
  check(modules: RegoModules, options?: { readonly signal?: AbortSignal }): Promise<readonly RegoProblem[]>;
  /** Evaluates a query over an input. Throws, with the engine's message, on any failure. */
  evaluate(request: RegoEvaluateRequest): Promise<RegoEvaluation>;
}
