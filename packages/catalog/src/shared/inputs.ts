import { ModuleInputError } from '@kusion/module-sdk';
import { z } from 'zod';

/**
 * Parses module inputs with the module's own schema.
 *
 * The engine already validated them against the JSON Schema form and applied defaults; parsing again gives
 * generate typed values, and applies the same defaults when a module is called directly (tests, other hosts).
 * Schemas avoid transforms, so parsing validated input is idempotent.
 */
export function parseInputs<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  what: string,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ModuleInputError(`invalid ${what}:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}
