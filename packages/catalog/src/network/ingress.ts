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
import { compact, mergeMaps, toJson } from '../shared/object.js';
import type { Ingress, IngressBackend, Port } from './schema.js';
import { privateServiceName } from './services.js';

type IngressInputs = z.output<typeof Ingress>;
type BackendInputs = z.output<typeof IngressBackend>;
type PortInputs = z.output<typeof Port>;
type Names = Pick<GenerateRequest, 'project' | 'stack' | 'app' | 'namespace'>;

/** Resolves a backend: a service without a name targets the private Service, by default on its first port. */
function backend(
  req: Names,
  input: BackendInputs,
  privatePorts: readonly PortInputs[],
  where: string,
): JsonObject {
  if (input.resource) {
    if (input.service) throw new ModuleInputError(`${where}: set service or resource, not both`);
    return { resource: compact(input.resource) };
  }
  const name = input.service?.name;
  const port = input.service?.port;
  if (name !== undefined) {
    if (!port) throw new ModuleInputError(`${where}: service ${name} needs a port (number or name)`);
    return { service: { name, port: compact(port) } };
  }
  const first = privatePorts[0];
  if (!first) {
    throw new ModuleInputError(`${where}: targets the private Service, but network declares no private port`);
  }
  if (port && 'number' in port && !privatePorts.some((candidate) => candidate.port === port.number)) {
    const known = privatePorts.map((candidate) => candidate.port).join(', ');
    throw new ModuleInputError(`${where}: port ${port.number} is not a private port of network (${known})`);
  }
  return { service: { name: privateServiceName(req), port: port ? compact(port) : { number: first.port } } };
}

/**
 * The Ingress `<P>-<S>-<A>` in Kubernetes shapes, with backends resolved. The ingress class falls back to the
 * workspace's `ingressClassName`.
 */
export function networkIngress(
  req: Names,
  input: IngressInputs,
  privatePorts: readonly PortInputs[],
  defaultClassName: string | undefined,
): KubernetesObject {
  if ((input.rules ?? []).length === 0 && !input.defaultBackend) {
    throw new ModuleInputError('network: ingress needs rules or a defaultBackend');
  }
  const rules = input.rules?.map((rule, ruleIndex) =>
    compact({
      host: rule.host,
      http: rule.http
        ? {
            paths: rule.http.paths.map((path, pathIndex) =>
              compact({
                path: path.path,
                pathType: path.pathType,
                backend: backend(
                  req,
                  path.backend,
                  privatePorts,
                  `network: ingress rules[${ruleIndex}].http.paths[${pathIndex}]`,
                ),
              }),
            ),
          }
        : undefined,
    }),
  );
  return kubernetesObject(
    'networking.k8s.io/v1',
    'Ingress',
    {
      name: uniqueAppName(req),
      namespace: req.namespace,
      labels: mergeMaps(input.labels, appLabels(req)),
      annotations: input.annotations,
    },
    {
      spec: compact({
        ingressClassName: input.ingressClassName ?? defaultClassName,
        defaultBackend: input.defaultBackend
          ? backend(req, input.defaultBackend, privatePorts, 'network: ingress defaultBackend')
          : undefined,
        rules,
        tls: input.tls ? toJson(input.tls) : undefined,
      }),
    },
  );
}
