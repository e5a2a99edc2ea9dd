import {
  accessoryInstanceName,
  type GenerateRequest,
  type GenerateResult,
  ModuleInputError,
} from '@kusion/module-sdk';
import { awsDatabase } from './aws.js';
import { connectionEnv } from './connection.js';
import type { DatabaseEngine } from './engine.js';
import { localDatabase } from './local.js';
import { offlineDatabase } from './offline.js';
import type { DatabaseInputs, DatabasePlatformInputs } from './schema.js';

/**
 * Generates a database accessory (SPEC §6.5): a local instance, a managed AWS one or the provider-neutral offline
 * stand-in (platform input `cloud`), the connection Secret, and the `KUSION_DB_*_<N>` variables injected into the
 * workload.
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
  const config = `the workspace's ${engine.module} module config`;
  if (cloud === undefined) {
    throw new ModuleInputError(
      `${engine.module}: type cloud needs the platform input cloud in ${config} (aws for a managed instance, ` +
        'offline for the provider-neutral stand-in)',
    );
  }
  if (cloud === 'offline') return offlineDatabase(req, engine, instanceName, inputs, platform);
  if (region === undefined || securityIPs === undefined) {
    const missing = Object.entries({ region, securityIPs })
      .filter(([, value]) => value === undefined)
      .map(([key]) => key);
    throw new ModuleInputError(
      `${engine.module}: type cloud needs the platform inputs ${missing.join(', ')} in ${config} for cloud: aws ` +
        '(e.g. region: eu-west-1, securityIPs: [10.0.0.0/8]; cloud: offline needs neither)',
    );
  }
  return awsDatabase(req, engine, instanceName, inputs, platform, { region, securityIPs });
}
