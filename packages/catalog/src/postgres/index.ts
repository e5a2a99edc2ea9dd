import { defineModule } from '@kusion/module-sdk';
import { generateDatabase } from '../database/generate.js';
import { parseInputs } from '../shared/inputs.js';
import { catalogVersion } from '../version.js';
import { postgresEngine } from './engine.js';
import { PostgresInput, PostgresPlatform } from './schema.js';

/**
 * `postgres`: a PostgreSQL database for the workload: local (in the cluster), managed on AWS, or the offline
 * stand-in built from the `random` and `null` providers (platform input `cloud`). Injects
 * `KUSION_DB_HOST_<N>`, `KUSION_DB_USERNAME_<N>` and `KUSION_DB_PASSWORD_<N>` (SPEC §6.5).
 */
export default defineModule<PostgresInput, PostgresPlatform>({
  name: 'postgres',
  version: catalogVersion,
  developerSchema: PostgresInput,
  platformSchema: PostgresPlatform,
  generate(req) {
    const inputs = parseInputs(PostgresInput, req.inputs, 'postgres inputs');
    const platform = parseInputs(PostgresPlatform, req.platform, 'postgres platform inputs');
    return generateDatabase(req, postgresEngine, inputs, platform);
  },
});
