import { defineModule } from '@kusion/module-sdk';
import { generateDatabase } from '../database/generate.js';
import { parseInputs } from '../shared/inputs.js';
import { catalogVersion } from '../version.js';
import { mysqlEngine } from './engine.js';
import { MysqlInput, MysqlPlatform } from './schema.js';

/**
 * `mysql`: a MySQL database for the workload: local (in the cluster), managed on AWS, or the offline stand-in
 * built from the `random` and `null` providers (platform input `cloud`). Injects
 * `KUSION_DB_HOST_<N>`, `KUSION_DB_USERNAME_<N>` and `KUSION_DB_PASSWORD_<N>` (SPEC §6.5).
 */
export default defineModule<MysqlInput, MysqlPlatform>({
  name: 'mysql',
  version: catalogVersion,
  developerSchema: MysqlInput,
  platformSchema: MysqlPlatform,
  generate(req) {
    const inputs = parseInputs(MysqlInput, req.inputs, 'mysql inputs');
    const platform = parseInputs(MysqlPlatform, req.platform, 'mysql platform inputs');
    return generateDatabase(req, mysqlEngine, inputs, platform);
  },
});
