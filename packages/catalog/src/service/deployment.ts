import {
  appLabels,
  type GenerateRequest,
  type JsonObject,
  kubernetesResource,
  type Resource,
  selectorLabels,
  uniqueAppName,
} from '@kusion/module-sdk';
import type { z } from 'zod';
import { kubernetesObject } from '../shared/kubernetes.js';
import { compact } from '../shared/object.js';
import { podContainers } from '../workload/containers.js';
import { podTemplate, workloadMetadata } from '../workload/pod-template.js';
import type { ServiceInput, ServicePlatform } from './schema.js';

type Inputs = z.output<typeof ServiceInput>;
type Platform = z.output<typeof ServicePlatform>;
type Names = Pick<GenerateRequest, 'project' | 'stack' | 'app' | 'namespace'>;

/** Topology spread constraints, each selecting the workload's own pods unless it says otherwise. */
function spreadConstraints(req: Names, inputs: Inputs): JsonObject[] | undefined {
  const constraints = inputs.topologySpreadConstraints;
  if (!constraints || constraints.length === 0) return undefined;
  return constraints.map((constraint) =>
    compact({
      ...constraint,
      // Without a selector a constraint counts no pods and so has no effect: the own pods are the useful default.
      labelSelector: constraint.labelSelector ?? { matchLabels: selectorLabels(req) },
    }),
  );
}

/** The Deployment `<P>-<S>-<A>` (the workload) and the ConfigMaps of its inline files. */
export function serviceResources(req: Names, inputs: Inputs, platform: Platform): Resource[] {
  const name = uniqueAppName(req);
  const meta = workloadMetadata(req, platform, inputs);
  const pod = podContainers(
    { appName: name, namespace: req.namespace, labels: appLabels(req) },
    inputs.containers,
  );
  const deployment = kubernetesObject(
    'apps/v1',
    'Deployment',
    { name, namespace: req.namespace, ...meta },
    {
      spec: {
        replicas: inputs.replicas ?? platform.replicas,
        selector: { matchLabels: selectorLabels(req) },
        template: podTemplate(
          meta,
          pod,
          compact({ topologySpreadConstraints: spreadConstraints(req, inputs) }),
        ),
      },
    },
  );
  return [
    kubernetesResource(deployment, { workload: true }),
    ...pod.configMaps.map((configMap) => kubernetesResource(configMap)),
  ];
}
