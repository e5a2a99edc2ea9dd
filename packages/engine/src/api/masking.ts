import type { JsonValue } from '../model/index.js';
import { outputMasker } from '../secrets/index.js';

/**
 * Masks every secret the engine has registered (resolved references, derived values, sensitive
 * attributes) in text bound for a sink: terminal, `-o json`, Markdown, logs, error messages (SPEC §14).
 */
export function maskOutput(text: string): string {
  return outputMasker.maskText(text);
}

/** The same for a JSON value, before it is serialised: short secrets are masked as whole field values. */
export function maskOutputValue(value: JsonValue): JsonValue {
  return outputMasker.maskValue(value);
}
