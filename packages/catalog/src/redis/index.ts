import { accessoryInstanceName, defineModule, envName } from '@kusion/module-sdk';
import { parseInputs } from '../shared/inputs.js';
import { catalogVersion } from '../version.js';
import { secretKeyEnv } from '../workload/env.js';
import { redisResources, redisSecretName } from './resources.js';
import { RedisInput, RedisPlatform } from './schema.js';

/**
 * `redis`: a Redis server in the cluster, without persistence. Injects `KUSION_REDIS_HOST_<N>`,
 * `KUSION_REDIS_PORT_<N>` and `KUSION_REDIS_PASSWORD_<N>` (SPEC §6.6).
 */
export default defineModule<RedisInput, RedisPlatform>({
  name: 'redis',
  version: catalogVersion,
  developerSchema: RedisInput,
  platformSchema: RedisPlatform,
  generate(req) {
    const inputs = parseInputs(RedisInput, req.inputs, 'redis inputs');
    const platform = parseInputs(RedisPlatform, req.platform, 'redis platform inputs');
    const instanceName = accessoryInstanceName(req, 'redis');
    const secretName = redisSecretName(instanceName);
    return {
      resources: redisResources(req, instanceName, inputs, platform),
      patcher: {
        environments: [
          secretKeyEnv(envName('REDIS', 'HOST', instanceName), secretName, 'hostAddress'),
          secretKeyEnv(envName('REDIS', 'PORT', instanceName), secretName, 'port'),
          secretKeyEnv(envName('REDIS', 'PASSWORD', instanceName), secretName, 'password'),
        ],
      },
    };
  },
});
