import { z } from 'zod';
import { StringMap } from '../shared/schema.js';
import { Containers, WorkloadSecrets } from '../workload/schema.js';

/** Empty, five cron fields, or one of the `@` macros Kubernetes accepts. */
const cronSchedule = /^(|@(yearly|annually|monthly|weekly|daily|midnight|hourly)|\S+(\s+\S+){4})$/;

/** Developer inputs of the `job` module: a run-to-completion Job, or a CronJob with `schedule` (SPEC §6.2). */
export const JobInput = z.strictObject({
  containers: Containers,
  labels: StringMap.optional().describe('Labels of the Job or CronJob and its pods.'),
  annotations: StringMap.optional().describe('Annotations of the Job or CronJob and its pods.'),
  secrets: WorkloadSecrets.optional(),
  schedule: z
    .string()
    .regex(cronSchedule)
    .optional()
    .describe(
      'Cron schedule such as `0 3 * * *` or `@hourly`; makes a CronJob. Empty or unset: a one-off Job.',
    ),
});
/** Developer inputs of the `job` module, as written in an AppConfiguration. */
export type JobInput = z.input<typeof JobInput>;

/** Platform inputs of the `job` module, from the workspace. */
export const JobPlatform = z.strictObject({
  labels: StringMap.optional().describe('Labels of the Job or CronJob and its pods; developer keys win.'),
  annotations: StringMap.optional().describe(
    'Annotations of the Job or CronJob and its pods; developer keys win.',
  ),
  backoffLimit: z.number().int().min(0).default(6).describe('Retries before a Job counts as failed.'),
});
/** Platform inputs of the `job` module, as written in a workspace. */
export type JobPlatform = z.input<typeof JobPlatform>;
