import type { GenerateRequest } from '@kusion/module-sdk';

/**
 * Labels of the pods of an accessory's own server (database, cache). They name the instance, not the app:
 * with the app's labels, the app's Services and the workload's selector would also match these pods.
 */
export function instancePodLabels(
  req: Pick<GenerateRequest, 'project'>,
  instanceName: string,
): Record<string, string> {
  return {
    'app.kubernetes.io/part-of': req.project,
    'app.kubernetes.io/name': instanceName,
    'app.kubernetes.io/instance': instanceName,
  };
}
