import { z } from 'zod';
import { StringMap } from '../shared/schema.js';
import { Containers, WorkloadSecrets } from '../workload/schema.js';

const LabelSelector = z
  .strictObject({
    matchLabels: StringMap.optional(),
    matchExpressions: z
      .array(
        z.strictObject({
          key: z.string().min(1),
          operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
          values: z.array(z.string()).optional(),
        }),
      )
      .optional(),
  })
  .describe('A Kubernetes label selector.');

/** A Kubernetes topology spread constraint. */
export const TopologySpreadConstraint = z
  .strictObject({
    maxSkew: z.number().int().min(1).describe('Largest allowed difference in pod count between domains.'),
    topologyKey: z
      .string()
      .min(1)
      .describe('Node label that defines a domain, e.g. `topology.kubernetes.io/zone`.'),
    whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway']),
    labelSelector: LabelSelector.optional().describe("Pods counted; defaults to the workload's own pods."),
    minDomains: z.number().int().min(1).optional(),
    nodeAffinityPolicy: z.enum(['Honor', 'Ignore']).optional(),
    nodeTaintsPolicy: z.enum(['Honor', 'Ignore']).optional(),
    matchLabelKeys: z.array(z.string()).optional(),
  })
  .describe('How pods spread across topology domains (Kubernetes `TopologySpreadConstraint`).');

/** Developer inputs of the `service` module: a long-running Deployment (SPEC §6.2). */
export const ServiceInput = z.strictObject({
  containers: Containers,
  replicas: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Number of pods; when unset, the workspace's value (default 1)."),
  labels: StringMap.optional().describe('Labels of the Deployment and its pods.'),
  annotations: StringMap.optional().describe('Annotations of the Deployment and its pods.'),
  secrets: WorkloadSecrets.optional(),
  topologySpreadConstraints: z
    .array(TopologySpreadConstraint)
    .optional()
    .describe('How pods spread over zones or nodes; each constraint selects the own pods by default.'),
});
/** Developer inputs of the `service` module, as written in an AppConfiguration. */
export type ServiceInput = z.input<typeof ServiceInput>;

/** Platform inputs of the `service` module, from the workspace. */
export const ServicePlatform = z.strictObject({
  replicas: z.number().int().min(0).default(1).describe('Replicas when the developer sets none.'),
  labels: StringMap.optional().describe('Labels of the Deployment and its pods; developer keys win.'),
  annotations: StringMap.optional().describe(
    'Annotations of the Deployment and its pods; developer keys win.',
  ),
  type: z.literal('Deployment').default('Deployment').describe('Workload kind; only `Deployment` in 1.0.'),
});
/** Platform inputs of the `service` module, as written in a workspace. */
export type ServicePlatform = z.input<typeof ServicePlatform>;
