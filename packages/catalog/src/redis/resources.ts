import {
  appLabels,
  derivedSecret,
  type GenerateRequest,
  type KubernetesObject,
  kubernetesResource,
  type Resource,
} from '@kusion/module-sdk';
import type { z } from 'zod';
import { kubernetesObject } from '../shared/kubernetes.js';
import { instancePodLabels } from '../shared/labels.js';
import { secretKeyEnv } from '../workload/env.js';
import type { RedisInput, RedisPlatform } from './schema.js';

type Request = Pick<GenerateRequest, 'project' | 'stack' | 'app' | 'namespace' | 'accessory'>;

/** Port the server listens on. */
export const redisPort = 6379;
/** Length of the derived password (SPEC §6.6). */
export const redisPasswordLength = 32;

/** `<name>-redis`: the Secret with the connection values. */
export function redisSecretName(instanceName: string): string {
  return `${instanceName}-redis`;
}

/**
 * A Redis server without persistence: Secret `<name>-redis` (`hostAddress`, `port`, `password`), Deployment
 * and Service `<name>`.
 */
export function redisResources(
  req: Request,
  instanceName: string,
  inputs: z.output<typeof RedisInput>,
  platform: z.output<typeof RedisPlatform>,
): Resource[] {
  const labels = { ...appLabels(req), 'app.kubernetes.io/component': 'redis' };
  const podLabels = instancePodLabels(req, instanceName);
  const secretName = redisSecretName(instanceName);
  const secret = kubernetesObject(
    'v1',
    'Secret',
    { name: secretName, namespace: req.namespace, labels: appLabels(req) },
    {
      type: 'Opaque',
      stringData: {
        hostAddress: `${instanceName}.${req.namespace}.svc`,
        port: String(redisPort),
        password: derivedSecret(req, 'password', redisPasswordLength),
      },
    },
  );
  const service = kubernetesObject(
    'v1',
    'Service',
    { name: instanceName, namespace: req.namespace, labels },
    {
      spec: {
        type: 'ClusterIP',
        selector: { ...podLabels },
        ports: [{ name: 'redis', port: redisPort, targetPort: redisPort, protocol: 'TCP' }],
      },
    },
  );
  const deployment = serverDeployment(req, instanceName, secretName, inputs, platform, labels, podLabels);
  return [kubernetesResource(secret), kubernetesResource(deployment), kubernetesResource(service)];
}

function serverDeployment(
  req: Request,
  instanceName: string,
  secretName: string,
  inputs: z.output<typeof RedisInput>,
  platform: z.output<typeof RedisPlatform>,
  labels: Record<string, string>,
  podLabels: Record<string, string>,
): KubernetesObject {
  const container = {
    name: 'redis',
    image: platform.image ?? `redis:${inputs.version}`,
    env: [secretKeyEnv('REDIS_PASSWORD', secretName, 'password')],
    // The kubelet expands $(REDIS_PASSWORD); `--save ""` and `--appendonly no` turn persistence off.
    args: ['--requirepass', '$(REDIS_PASSWORD)', '--save', '', '--appendonly', 'no'],
    ports: [{ name: 'redis', containerPort: redisPort, protocol: 'TCP' }],
    readinessProbe: { tcpSocket: { port: redisPort }, periodSeconds: 5 },
  };
  return kubernetesObject(
    'apps/v1',
    'Deployment',
    { name: instanceName, namespace: req.namespace, labels },
    {
      spec: {
        replicas: 1,
        selector: { matchLabels: { ...podLabels } },
        template: { metadata: { labels: { ...podLabels } }, spec: { containers: [container] } },
      },
    },
  );
}
