import { defineModule, kubernetesResource, ModuleInputError } from '@kusion/module-sdk';
import { parseInputs } from '../shared/inputs.js';
import { catalogVersion } from '../version.js';
import { durationMs } from './duration.js';
import { monitor } from './monitors.js';
import { MonitoringInput, MonitoringPlatform } from './schema.js';

/** Pod label the operator-mode monitors were keyed on in the original; kept for existing dashboards. */
const appNameLabel = 'kusion_monitoring_appname';

/**
 * `monitoring`: Prometheus scraping of the workload (SPEC §6.6). In operator mode a ServiceMonitor or
 * PodMonitor; otherwise `prometheus.io/*` annotations on the pod template.
 */
export default defineModule<MonitoringInput, MonitoringPlatform>({
  name: 'monitoring',
  version: catalogVersion,
  developerSchema: MonitoringInput,
  platformSchema: MonitoringPlatform,
  generate(req) {
    const inputs = parseInputs(MonitoringInput, req.inputs, 'monitoring inputs');
    const platform = parseInputs(MonitoringPlatform, req.platform, 'monitoring platform inputs');
    if (!platform.operatorMode) {
      const annotations: Record<string, string> = {
        'prometheus.io/scrape': 'true',
        'prometheus.io/path': inputs.path,
        'prometheus.io/scheme': inputs.scheme,
      };
      if (inputs.port !== undefined) annotations['prometheus.io/port'] = String(inputs.port);
      return { resources: [], patcher: { podAnnotations: annotations } };
    }
    if (durationMs(platform.timeout) > durationMs(platform.interval)) {
      throw new ModuleInputError(
        `monitoring: timeout ${platform.timeout} is longer than interval ${platform.interval}; Prometheus ` +
          'refuses a scrape timeout above the interval',
      );
    }
    return {
      resources: [kubernetesResource(monitor(req, inputs, platform))],
      patcher: { podLabels: { [appNameLabel]: req.app } },
    };
  },
});
