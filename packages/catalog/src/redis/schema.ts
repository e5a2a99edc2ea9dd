import { z } from 'zod';

/** Developer inputs of the `redis` module (SPEC §6.6). */
export const RedisInput = z.strictObject({
  version: z.string().min(1).default('7').describe('Redis version: the image tag, e.g. `7` or `7.4`.'),
});
/** Developer inputs of the `redis` module, as written in an AppConfiguration. */
export type RedisInput = z.input<typeof RedisInput>;

/** Platform inputs of the `redis` module, from the workspace. */
export const RedisPlatform = z.strictObject({
  image: z.string().min(1).optional().describe('Image of the server; defaults to `redis:<version>`.'),
});
/** Platform inputs of the `redis` module, as written in a workspace. */
export type RedisPlatform = z.input<typeof RedisPlatform>;
