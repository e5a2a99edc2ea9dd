import { accessoryInstanceName, type GenerateRequest, type GenerateResult } from '@kusion/module-sdk';
import { awsDatabase } from './aws.js';
import { connectionEnv } from './connection.js';
import type { DatabaseEngine } from './engine.js';
import { localDatabase } from './local.js';
import type { DatabaseInputs, DatabasePlatformInputs } from './schema.js';

/**
 * Generates a database accessory (SPEC §6.5): a local instance or a managed cloud one, the connection Secret,
 * and the `KUSION_DB_*_<N>` variables injected into the workload.
 */
export function generateDatabase(
  req: GenerateRequest<unknown, unknown>,
  engine: DatabaseEngine,
  inputs: DatabaseInputs,
  platform: DatabasePlatformInputs,
): GenerateResult {
  const instanceName = platform.databaseName ?? accessoryInstanceName(req, engine.module);
  const resources =
    inputs.type === 'local'
      ? localDatabase(req, engine, instanceName, inputs, platform)
      : cloudDatabase(req, engine, instanceName, inputs, platform);
  return { resources, patcher: { environments: connectionEnv(engine, instanceName) } };
}

function cloudDatabase(
  req: GenerateRequest<unknown, unknown>,
  engine: DatabaseEngine,
  instanceName: string,
  inputs: DatabaseInputs,
  platform: DatabasePlatformInputs,
) {
  const { cloud, region, securityIPs } = platform;
  if (cloud === undefined || region === undefined || securityIPs === undefined) {
    const missing = Object.entries({ cloud, region, securityIPs })
      .filter(([, value]) => value === undefined)
      .map(([key]) => key);
    throw new Error(
      `${engine.module}: type cloud needs the platform inputs ${missing.join(', ')} in the workspace's ` +
        `${engine.module} module config (e.g. cloud: aws, region: eu-west-1, securityIPs: [10.0.0.0/8])`,
    );
  }
  return awsDatabase(req, engine, instanceName, inputs, platform, { region, securityIPs });
}
