import {
  appLabels,
  type GenerateRequest,
  type JsonObject,
  type KubernetesObject,
  ModuleInputError,
  uniqueAppName,
} from '@kusion/module-sdk';
import type { z } from 'zod';
import { kubernetesObject } from '../shared/kubernetes.js';
import { mergeMaps } from '../shared/object.js';
import type { NetworkPlatform, Port } from './schema.js';

type PortInputs = z.output<typeof Port>;
type Platform = z.output<typeof NetworkPlatform>;
type Names = Pick<GenerateRequest, 'project' | 'stack' | 'app' | 'namespace'>;

/** Annotations each load balancer flavour needs on a public Service. */
export const loadBalancerAnnotations: Readonly<
  Record<'aws' | 'alicloud' | 'generic', Record<string, string>>
> = {
  aws: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' },
  alicloud: { 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec': 'slb.s1.small' },
  generic: {},
};

/** `<P>-<S>-<A>-private`: the ClusterIP Service of the non-public ports. */
export function privateServiceName(req: Names): string {
  return `${uniqueAppName(req)}-private`;
}

/** `<P>-<S>-<A>-public`: the LoadBalancer Service of the public ports. */
export function publicServiceName(req: Names): string {
  return `${uniqueAppName(req)}-public`;
}

/** Kubernetes ServicePorts, in the given order, each named `<protocol>-<port>`. */
function servicePorts(ports: readonly PortInputs[], which: string): JsonObject[] {
  const seen = new Set<string>();
  return ports.map((port) => {
    const name = `${port.protocol.toLowerCase()}-${port.port}`;
    if (seen.has(name)) {
      throw new ModuleInputError(`network: ${which} port ${port.port}/${port.protocol} is listed twice`);
    }
    seen.add(name);
    return { name, port: port.port, targetPort: port.targetPort ?? port.port, protocol: port.protocol };
  });
}

/**
 * The private Service (ClusterIP, non-public ports) and the public Service (LoadBalancer, public ports), each
 * only when it has ports. Both select all three catalog labels, so stacks sharing a namespace never share
 * traffic.
 */
export function networkServices(
  req: Names,
  ports: readonly PortInputs[],
  platform: Platform,
): KubernetesObject[] {
  const labels = appLabels(req);
  const privatePorts = ports.filter((port) => !port.public);
  const publicPorts = ports.filter((port) => port.public);
  const services: KubernetesObject[] = [];
  if (privatePorts.length > 0) {
    services.push(
      kubernetesObject(
        'v1',
        'Service',
        { name: privateServiceName(req), namespace: req.namespace, labels },
        {
          spec: { type: 'ClusterIP', selector: { ...labels }, ports: servicePorts(privatePorts, 'private') },
        },
      ),
    );
  }
  if (publicPorts.length > 0) {
    const exposure = platform.port;
    if (!exposure) {
      throw new ModuleInputError(
        'network: public ports need the platform input port.type (aws, alicloud or generic) in the ' +
          "workspace's network module config",
      );
    }
    services.push(
      kubernetesObject(
        'v1',
        'Service',
        {
          name: publicServiceName(req),
          namespace: req.namespace,
          labels: mergeMaps(exposure.labels, labels),
          annotations: mergeMaps(loadBalancerAnnotations[exposure.type], exposure.annotations),
        },
        {
          spec: { type: 'LoadBalancer', selector: { ...labels }, ports: servicePorts(publicPorts, 'public') },
        },
      ),
    );
  }
  return services;
}
