import { appLabels, type GenerateRequest, type KubernetesObject, uniqueAppName } from '@kusion/module-sdk';
import type { z } from 'zod';
import { kubernetesObject } from '../shared/kubernetes.js';
import { compact } from '../shared/object.js';
import type { MonitoringInput, MonitoringPlatform } from './schema.js';

type Inputs = z.output<typeof MonitoringInput>;
type Platform = z.output<typeof MonitoringPlatform>;
type Names = Pick<GenerateRequest, 'project' | 'stack' | 'app' | 'namespace'>;

/** The Prometheus Operator API group and version of monitors. */
const monitoringApi = 'monitoring.coreos.com/v1';

/**
 * A named port is matched by name; a numeric one through `targetPort`, the field both monitor kinds accept for
 * the pod's port number.
 */
function portFields(port: Inputs['port']): { port?: string; targetPort?: number } {
  if (port === undefined) return {};
  return typeof port === 'number' ? { targetPort: port } : { port };
}

/**
 * A ServiceMonitor `<P>-<S>-<A>-service-monitor` (selecting the app's Services) or a PodMonitor
 * `<P>-<S>-<A>-pod-monitor` (selecting its pods), both by the catalog labels.
 */
export function monitor(req: Names, inputs: Inputs, platform: Platform): KubernetesObject {
  const labels = appLabels(req);
  const endpoint = compact({
    ...portFields(inputs.port),
    path: inputs.path,
    scheme: inputs.scheme,
    interval: platform.interval,
    scrapeTimeout: platform.timeout,
  });
  const isService = platform.monitorType === 'Service';
  // Accessory servers (databases, caches) carry the app labels plus a component label; their Services are
  // not the app's endpoints, so the ServiceMonitor leaves them out.
  const serviceSelector = {
    matchLabels: { ...labels },
    matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'DoesNotExist' }],
  };
  return kubernetesObject(
    monitoringApi,
    isService ? 'ServiceMonitor' : 'PodMonitor',
    {
      name: `${uniqueAppName(req)}-${isService ? 'service' : 'pod'}-monitor`,
      namespace: req.namespace,
      labels,
    },
    {
      spec: isService
        ? { selector: serviceSelector, endpoints: [endpoint] }
        : { selector: { matchLabels: { ...labels } }, podMetricsEndpoints: [endpoint] },
    },
  );
}
