import { defineModule, kubernetesResource, type Resource } from '@kusion/module-sdk';
import { parseInputs } from '../shared/inputs.js';
import { catalogVersion } from '../version.js';
import { networkIngress } from './ingress.js';
import { NetworkInput, NetworkPlatform } from './schema.js';
import { networkServices, privateServiceName } from './services.js';

/**
 * `network`: exposes the workload. Emits the Services `<P>-<S>-<A>-private` (ClusterIP) and
 * `<P>-<S>-<A>-public` (LoadBalancer) for the non-public and public ports, and an Ingress when asked
 * (SPEC §6.3). Publishes `privateHost` when the private Service exists.
 */
export default defineModule<NetworkInput, NetworkPlatform>({
  name: 'network',
  version: catalogVersion,
  developerSchema: NetworkInput,
  platformSchema: NetworkPlatform,
  generate(req) {
    const inputs = parseInputs(NetworkInput, req.inputs, 'network inputs');
    const platform = parseInputs(NetworkPlatform, req.platform, 'network platform inputs');
    const privatePorts = inputs.ports.filter((port) => !port.public);
    const objects = networkServices(req, inputs.ports, platform);
    if (inputs.ingress)
      objects.push(networkIngress(req, inputs.ingress, privatePorts, platform.ingressClassName));
    const resources: Resource[] = objects.map((object) => kubernetesResource(object));
    const outputs: Record<string, string> = {};
    if (privatePorts.length > 0) outputs['privateHost'] = `${privateServiceName(req)}.${req.namespace}.svc`;
    return { resources, outputs };
  },
});
