import { defineModule } from '@kusion/module-sdk';
import { parseInputs } from '../shared/inputs.js';
import { catalogVersion } from '../version.js';
import { serviceResources } from './deployment.js';
import { ServiceInput, ServicePlatform } from './schema.js';

/**
 * `service`: a long-running workload. Emits the Deployment `<P>-<S>-<A>`, marked as the workload, and a
 * ConfigMap per inline file (SPEC §6.2). The workload `secrets` are validated here but emitted by the core.
 */
export default defineModule<ServiceInput, ServicePlatform>({
  name: 'service',
  version: catalogVersion,
  developerSchema: ServiceInput,
  platformSchema: ServicePlatform,
  generate(req) {
    const inputs = parseInputs(ServiceInput, req.inputs, 'service inputs');
    const platform = parseInputs(ServicePlatform, req.platform, 'service platform inputs');
    return { resources: serviceResources(req, inputs, platform) };
  },
});
