import {
  appLabels,
  type GenerateRequest,
  type JsonObject,
  kubernetesResource,
  type Resource,
  uniqueAppName,
} from '@kusion/module-sdk';
import type { z } from 'zod';
import { kubernetesObject } from '../shared/kubernetes.js';
import { podContainers } from '../workload/containers.js';
import { podTemplate, type WorkloadMetadata, workloadMetadata } from '../workload/pod-template.js';
import type { JobInput, JobPlatform } from './schema.js';

type Inputs = z.output<typeof JobInput>;
type Platform = z.output<typeof JobPlatform>;
type Names = Pick<GenerateRequest, 'project' | 'stack' | 'app' | 'namespace'>;

/**
 * The Job `<P>-<S>-<A>`, or the CronJob of that name when `schedule` is set (the workload), plus the ConfigMaps
 * of its inline files. Pods never restart in place: a failed pod counts against `backoffLimit` instead.
 */
export function jobResources(req: Names, inputs: Inputs, platform: Platform): Resource[] {
  const name = uniqueAppName(req);
  const meta = workloadMetadata(req, platform, inputs);
  const pod = podContainers(
    { appName: name, namespace: req.namespace, labels: appLabels(req) },
    inputs.containers,
  );
  const jobSpec: JsonObject = {
    backoffLimit: platform.backoffLimit,
    template: podTemplate(meta, pod, { restartPolicy: 'Never' }),
  };
  const workload = inputs.schedule
    ? cronJob(name, req.namespace, meta, inputs.schedule, jobSpec)
    : kubernetesObject('batch/v1', 'Job', { name, namespace: req.namespace, ...meta }, { spec: jobSpec });
  return [
    kubernetesResource(workload, { workload: true }),
    ...pod.configMaps.map((configMap) => kubernetesResource(configMap)),
  ];
}

function cronJob(
  name: string,
  namespace: string,
  meta: WorkloadMetadata,
  schedule: string,
  jobSpec: JsonObject,
) {
  return kubernetesObject(
    'batch/v1',
    'CronJob',
    { name, namespace, ...meta },
    {
      spec: {
        schedule,
        // Jobs created by the CronJob carry the workload labels too, so they can be found like its pods.
        jobTemplate: { metadata: { labels: { ...meta.labels } }, spec: jobSpec },
      },
    },
  );
}
