import { defineModule } from '@kusion/module-sdk';
import { parseInputs } from '../shared/inputs.js';
import { catalogVersion } from '../version.js';
import { jobResources } from './job.js';
import { JobInput, JobPlatform } from './schema.js';

/**
 * `job`: a run-to-completion workload. Emits the Job `<P>-<S>-<A>`, or a CronJob of that name when `schedule`
 * is set, marked as the workload, and a ConfigMap per inline file (SPEC §6.2). The workload `secrets` are
 * validated here but emitted by the core.
 */
export default defineModule<JobInput, JobPlatform>({
  name: 'job',
  version: catalogVersion,
  developerSchema: JobInput,
  platformSchema: JobPlatform,
  generate(req) {
    const inputs = parseInputs(JobInput, req.inputs, 'job inputs');
    const platform = parseInputs(JobPlatform, req.platform, 'job platform inputs');
    return { resources: jobResources(req, inputs, platform) };
  },
});
