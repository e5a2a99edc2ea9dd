import type { JsonObject } from '@kusion/module-sdk';
import { ModuleInputError } from '@kusion/module-sdk';
import { looksLikeSecretRef, parseSecretKeyRef } from '../shared/secret-ref.js';

/** An env var that reads one key of a Secret; usable as a container env entry and in a patcher. */
export type SecretKeyEnv = {
  name: string;
  valueFrom: { secretKeyRef: { name: string; key: string } };
};

/** An env var that reads one key of a Secret. */
export function secretKeyEnv(name: string, secretName: string, key: string): SecretKeyEnv {
  return { name, valueFrom: { secretKeyRef: { name: secretName, key } } };
}

/**
 * Maps a container's `env` map to Kubernetes EnvVars, keeping the developer's order (a variable may refer to
 * earlier ones with `$(NAME)`). `secret://<secret>/<key>` becomes a `secretKeyRef`; anything else is a literal.
 */
export function containerEnv(
  containerName: string,
  env: Readonly<Record<string, string | number | boolean>> | undefined,
): JsonObject[] {
  return Object.entries(env ?? {}).map(([name, raw]) => {
    const value = String(raw);
    if (!looksLikeSecretRef(value)) return { name, value };
    const ref = parseSecretKeyRef(value);
    if (!ref) {
      throw new ModuleInputError(
        `container ${containerName}: env ${name} is "${value}", but a secret reference must be ` +
          'secret://<secret>/<key>',
      );
    }
    return secretKeyEnv(name, ref.name, ref.key);
  });
}
