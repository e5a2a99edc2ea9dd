import {
  Extensions,
  type GenerateRequest,
  kubernetesResource,
  kusionPath,
  type Resource,
  terraformResource,
} from '@kusion/module-sdk';
import { connectionSecret } from './connection.js';
import type { DatabaseEngine } from './engine.js';
import { offlineProviderVersions } from './provider-versions.js';
import { nullProvider, randomProvider } from './providers.js';
import type { DatabaseInputs, DatabasePlatformInputs } from './schema.js';

type Request = Pick<GenerateRequest, 'project' | 'stack' | 'app' | 'namespace'>;

/** The fixed, fake host name of an offline instance: deterministic, and never resolvable by accident. */
export function offlineAddress(instanceName: string): string {
  return `${instanceName}.offline.db.internal`;
}

/**
 * `cloud: offline`: a provider-neutral stand-in for a managed instance, built only from `hashicorp/random` and
 * `hashicorp/null` so it plans and applies without any cloud or network (e.g. against a provider mirror). A
 * random password; a `null_resource` named like the instance whose `triggers` record the instance facts, so a
 * change of version, account or password replaces it as it would replace a real instance; and the connection
 * Secret pointing at their applied results. No server listens at the address.
 */
export function offlineDatabase(
  req: Request,
  engine: DatabaseEngine,
  instanceName: string,
  inputs: DatabaseInputs,
  platform: DatabasePlatformInputs,
): Resource[] {
  const password = terraformResource({
    provider: randomProvider(platform, offlineProviderVersions.random),
    type: 'random_password',
    name: instanceName,
    attributes: { length: 16, special: false },
  });
  const instance = terraformResource({
    provider: nullProvider(platform),
    type: 'null_resource',
    name: instanceName,
    attributes: {
      // `triggers` is a map of strings: every value is written as one, so the applied state matches the spec.
      triggers: {
        address: offlineAddress(instanceName),
        port: String(engine.port),
        engine: engine.module,
        version: inputs.version,
        username: platform.username,
        password: kusionPath(password.id, 'result'),
      },
    },
    // The provider does not mark triggers sensitive; the password must still be masked and encrypted.
    extensions: { [Extensions.sensitive]: ['triggers.password'] },
  });
  const secret = connectionSecret(req, engine, instanceName, {
    hostAddress: kusionPath(instance.id, 'triggers.address'),
    username: platform.username,
    password: kusionPath(password.id, 'result'),
  });
  return [password, instance, kubernetesResource(secret)];
}
