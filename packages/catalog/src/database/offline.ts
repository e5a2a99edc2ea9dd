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
import { builtinProvider, kusionTestProvider } from './providers.js';
import type { DatabaseInputs, DatabasePlatformInputs } from './schema.js';

type Request = Pick<GenerateRequest, 'project' | 'stack' | 'app' | 'namespace'>;

/** The fixed, fake host name of an offline instance: deterministic, and never resolvable by accident. */
export function offlineAddress(instanceName: string): string {
  return `${instanceName}.offline.db.internal`;
}

/**
 * `cloud: offline`: a provider-neutral stand-in for a managed instance that plans and applies without any cloud
 * or network (e.g. against a provider mirror): a password from the `kusiontest` provider; a built-in
 * `terraform_data` named like the instance whose `input` records the instance facts and whose
 * `triggers_replace` makes an engine or version change replace it, as it would replace a real instance; and the
 * connection Secret pointing at their applied results. No server listens at the address.
 */
export function offlineDatabase(
  req: Request,
  engine: DatabaseEngine,
  instanceName: string,
  inputs: DatabaseInputs,
  platform: DatabasePlatformInputs,
): Resource[] {
  const password = terraformResource({
    provider: kusionTestProvider(platform),
    type: 'kusiontest_password',
    name: instanceName,
    attributes: { length: 16, special: false },
  });
  const instance = terraformResource({
    provider: builtinProvider,
    type: 'terraform_data',
    name: instanceName,
    attributes: {
      input: {
        address: offlineAddress(instanceName),
        port: engine.port,
        engine: engine.module,
        version: inputs.version,
        username: platform.username,
        password: kusionPath(password.id, 'result'),
      },
      triggers_replace: { engine: engine.module, version: inputs.version },
    },
    // The password passes through `input`: it must be masked and encrypted on both sides.
    extensions: { [Extensions.sensitive]: ['input.password', 'output.password'] },
  });
  const secret = connectionSecret(req, engine, instanceName, {
    hostAddress: kusionPath(instance.id, 'output.address'),
    username: platform.username,
    password: kusionPath(password.id, 'result'),
  });
  return [password, instance, kubernetesResource(secret)];
}
