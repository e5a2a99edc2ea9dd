import { appLabels, envName, type GenerateRequest, type KubernetesObject } from '@kusion/module-sdk';
import { kubernetesObject } from '../shared/kubernetes.js';
import { type SecretKeyEnv, secretKeyEnv } from '../workload/env.js';
import type { DatabaseEngine } from './engine.js';

/** The values a workload needs to reach a database instance. */
export interface Connection {
  readonly hostAddress: string;
  readonly username: string;
  readonly password: string;
}

/** `<name>-<module>`: the Secret holding an instance's connection values. */
export function connectionSecretName(engine: DatabaseEngine, instanceName: string): string {
  return `${instanceName}-${engine.module}`;
}

/**
 * The connection Secret: keys `hostAddress`, `username`, `password`. Values may be `$kusion_derived` or
 * `$kusion_path` references, resolved at execution, hence `stringData`.
 */
export function connectionSecret(
  req: Pick<GenerateRequest, 'project' | 'stack' | 'app' | 'namespace'>,
  engine: DatabaseEngine,
  instanceName: string,
  connection: Connection,
): KubernetesObject {
  return kubernetesObject(
    'v1',
    'Secret',
    { name: connectionSecretName(engine, instanceName), namespace: req.namespace, labels: appLabels(req) },
    {
      type: 'Opaque',
      stringData: {
        hostAddress: connection.hostAddress,
        username: connection.username,
        password: connection.password,
      },
    },
  );
}

/** `KUSION_DB_HOST/USERNAME/PASSWORD_<N>`, each read from the connection Secret. */
export function connectionEnv(engine: DatabaseEngine, instanceName: string): SecretKeyEnv[] {
  const secretName = connectionSecretName(engine, instanceName);
  return [
    secretKeyEnv(envName('DB', 'HOST', instanceName), secretName, 'hostAddress'),
    secretKeyEnv(envName('DB', 'USERNAME', instanceName), secretName, 'username'),
    secretKeyEnv(envName('DB', 'PASSWORD', instanceName), secretName, 'password'),
  ];
}
