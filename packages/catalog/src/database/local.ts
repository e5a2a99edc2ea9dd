import {
  appLabels,
  derivedSecret,
  Extensions,
  type GenerateRequest,
  type KubernetesObject,
  kubernetesResource,
  type Resource,
} from '@kusion/module-sdk';
import { kubernetesObject } from '../shared/kubernetes.js';
import { instancePodLabels } from '../shared/labels.js';
import { compact } from '../shared/object.js';
import { connectionSecret, connectionSecretName } from './connection.js';
import type { DatabaseEngine } from './engine.js';
import type { DatabaseInputs, DatabasePlatformInputs } from './schema.js';

type Request = Pick<GenerateRequest, 'project' | 'stack' | 'app' | 'namespace' | 'accessory'>;

/** Length of the derived password of local instances (SPEC §6.5). */
export const localPasswordLength = 24;

/**
 * A database inside the cluster: connection Secret `<name>-<module>`, PersistentVolumeClaim, Deployment and
 * Service `<name>`. The password is a derived value, stable across runs and never stored in the spec.
 */
export function localDatabase(
  req: Request,
  engine: DatabaseEngine,
  instanceName: string,
  inputs: DatabaseInputs,
  platform: DatabasePlatformInputs,
): Resource[] {
  const labels = { ...appLabels(req), 'app.kubernetes.io/component': engine.module };
  const podLabels = instancePodLabels(req, instanceName);
  const meta = { name: instanceName, namespace: req.namespace, labels };
  const secret = connectionSecret(req, engine, instanceName, {
    hostAddress: `${instanceName}.${req.namespace}.svc`,
    username: platform.username,
    password: derivedSecret(req, 'password', localPasswordLength),
  });
  const claim = kubernetesObject('v1', 'PersistentVolumeClaim', meta, {
    spec: compact({
      accessModes: ['ReadWriteOnce'],
      storageClassName: platform.storageClassName,
      resources: { requests: { storage: `${platform.size}Gi` } },
    }),
  });
  const service = kubernetesObject('v1', 'Service', meta, {
    spec: {
      type: 'ClusterIP',
      selector: { ...podLabels },
      ports: [{ name: engine.module, port: engine.port, targetPort: engine.port, protocol: 'TCP' }],
    },
  });
  return [
    kubernetesResource(secret),
    kubernetesResource(claim, platform.retain ? { extensions: { [Extensions.retain]: true } } : {}),
    kubernetesResource(serverDeployment(req, engine, instanceName, inputs, platform, podLabels, labels)),
    kubernetesResource(service),
  ];
}

function serverDeployment(
  req: Request,
  engine: DatabaseEngine,
  instanceName: string,
  inputs: DatabaseInputs,
  platform: DatabasePlatformInputs,
  podLabels: Record<string, string>,
  labels: Record<string, string>,
): KubernetesObject {
  const volume = 'data';
  const container = {
    name: engine.module,
    image: platform.image ?? `${engine.imageName}:${inputs.version}`,
    env: engine.localEnv(connectionSecretName(engine, instanceName), platform.username),
    ports: [{ name: engine.module, containerPort: engine.port, protocol: 'TCP' }],
    readinessProbe: { tcpSocket: { port: engine.port }, periodSeconds: 5 },
    volumeMounts: [compact({ name: volume, ...engine.dataMount })],
  };
  return kubernetesObject(
    'apps/v1',
    'Deployment',
    { name: instanceName, namespace: req.namespace, labels },
    {
      spec: {
        replicas: 1,
        // A ReadWriteOnce volume cannot be attached to the old and the new pod at once.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { ...podLabels } },
        template: {
          metadata: { labels: { ...podLabels } },
          spec: {
            containers: [container],
            volumes: [{ name: volume, persistentVolumeClaim: { claimName: instanceName } }],
          },
        },
      },
    },
  );
}
