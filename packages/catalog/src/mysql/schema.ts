import type { z } from 'zod';
import { databaseInput, databasePlatform } from '../database/schema.js';

/** Developer inputs of the `mysql` module (SPEC §6.5). */
export const MysqlInput = databaseInput('MySQL');
/** Developer inputs of the `mysql` module, as written in an AppConfiguration. */
export type MysqlInput = z.input<typeof MysqlInput>;

/** Platform inputs of the `mysql` module, from the workspace. */
export const MysqlPlatform = databasePlatform('mysql');
/** Platform inputs of the `mysql` module, as written in a workspace. */
export type MysqlPlatform = z.input<typeof MysqlPlatform>;
