import type { z } from 'zod';
import { databaseInput, databasePlatform } from '../database/schema.js';

/** Developer inputs of the `postgres` module (SPEC §6.5). */
export const PostgresInput = databaseInput('PostgreSQL');
/** Developer inputs of the `postgres` module, as written in an AppConfiguration. */
export type PostgresInput = z.input<typeof PostgresInput>;

/** Platform inputs of the `postgres` module, from the workspace. */
export const PostgresPlatform = databasePlatform('postgres');
/** Platform inputs of the `postgres` module, as written in a workspace. */
export type PostgresPlatform = z.input<typeof PostgresPlatform>;
