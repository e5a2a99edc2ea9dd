import type { JsonObject } from '../model/index.js';
import { celLibrary } from './cel-library.js';
import { toCel } from './cel-values.js';

/** The verdict of a health policy on a live object (SPEC §11.4). */
export type HealthVerdict = { readonly healthy: true } | { readonly healthy: false; readonly reason: string };

/** A compiled health policy: every expression must hold. */
export interface HealthPolicy {
  check(object: JsonObject): HealthVerdict;
}

/**
 * Compiles `healthPolicy.cel` (one expression or a list) over the variable `res`. Returns the compile
 * errors instead when any expression does not parse (KUS3012 at generate).
 */
export function compileHealthPolicy(
  cel: string | readonly string[],
): { policy: HealthPolicy } | { errors: string[] } {
  const { cel: library, env } = celLibrary();
  const { isCelError, parse, plan } = library;
  const expressions = typeof cel === 'string' ? [cel] : [...cel];
  const errors: string[] = [];
  const programs: { expression: string; run: (bindings: { res: unknown }) => unknown }[] = [];
  for (const expression of expressions) {
    try {
      const program = plan(env, parse(expression));
      programs.push({ expression, run: (bindings) => program(bindings as never) });
    } catch (error) {
      errors.push(`${expression}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (errors.length > 0) return { errors };
  return {
    policy: {
      check(object) {
        const res = toCel(object);
        for (const { expression, run } of programs) {
          let result: unknown;
          try {
            result = run({ res });
          } catch (error) {
            return {
              healthy: false,
              reason: `health policy ${expression} failed: ${(error as Error).message}`,
            };
          }
          // An evaluation error means "not ready", never "healthy".
          if (isCelError(result))
            return { healthy: false, reason: `health policy ${expression} failed: ${result.message}` };
          if (result !== true)
            return { healthy: false, reason: `health policy ${expression} is not true yet` };
        }
        return { healthy: true };
      },
    },
  };
}
