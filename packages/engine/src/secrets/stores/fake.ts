import { z } from 'zod';
import { Codes, KusionError } from '../../errors/index.js';
import type { SecretRef } from '../reference.js';
import { pickProperty, type SecretStore, secretNotFound } from './port.js';

const FakeConfigSchema = z.strictObject({
  data: z
    .array(
      z.strictObject({
        key: z.string().min(1),
        value: z.string().optional(),
        valueMap: z.record(z.string(), z.string()).optional(),
        version: z.string().optional(),
      }),
    )
    .default([]),
});

/** `secretStore.provider.fake`: the values the workspace lists (tests and examples). */
export type FakeStoreConfig = z.input<typeof FakeConfigSchema>;

/**
 * The `fake` provider (SPEC §14): entries `{key, value | valueMap, version}` matched on the reference's
 * name. Without `?version=` an unversioned entry wins, else the first listed. A key reads `valueMap`, or a
 * property of `value` when it holds a JSON object.
 */
export function fakeSecretStore(config: unknown): SecretStore {
  const parsed = FakeConfigSchema.safeParse(config ?? {});
  if (!parsed.success)
    throw new KusionError(
      Codes.workspaceInvalid,
      `secretStore.provider.fake: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim(),
      { hints: ['the fake provider takes data: [{key, value | valueMap, version}]'] },
    );
  const entries = parsed.data.data;
  return {
    provider: 'fake',
    async get(ref: SecretRef): Promise<string> {
      const named = entries.filter((e) => e.key === ref.name);
      const entry =
        ref.version === undefined
          ? (named.find((e) => e.version === undefined) ?? named[0])
          : named.find((e) => e.version === ref.version);
      if (!entry)
        throw secretNotFound(
          ref,
          ref.version === undefined || named.length === 0
            ? `the fake store has no secret ${ref.name}`
            : `the fake store has no version ${ref.version} of ${ref.name}`,
        );
      if (ref.key !== undefined && entry.valueMap) {
        const value = entry.valueMap[ref.key];
        if (value === undefined) throw secretNotFound(ref, `the secret ${ref.name} has no key "${ref.key}"`);
        return value;
      }
      if (entry.value === undefined)
        throw secretNotFound(
          ref,
          `the secret ${ref.name} is a map of values`,
          `name one of its keys: ref://${ref.name}/<key>`,
        );
      return pickProperty(ref, entry.value);
    },
  };
}
