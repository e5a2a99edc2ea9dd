import { assertDeterministic, testRequest } from '@kusion/module-sdk/testing';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import job from './index.js';
import type { JobInput, JobPlatform } from './schema.js';

const containers: JobInput['containers'] = {
  migrate: {
    image: 'ghcr.io/acme/migrate:2.0.0',
    command: ['/bin/migrate', 'up'],
    env: { DATABASE_PASSWORD: 'secret://db/password' },
    resources: { cpu: '1', memory: '128Mi-256Mi' },
    files: { '/etc/migrate/plan.sql': { content: 'select 1;\n', mode: '0444' } },
  },
};

const request = (inputs: JobInput, platform: JobPlatform = {}) =>
  testRequest<JobInput, JobPlatform>({ app: 'nightly', inputs, platform, workload: { module: 'job' } });

type Workload = { kind: string; spec: Record<string, unknown> };

describe('job', () => {
  it('generates a one-off Job when there is no schedule (golden)', async () => {
    const result = await assertDeterministic(job, request({ containers, labels: { purpose: 'migration' } }));
    await expect(stringify(result, { lineWidth: 0 })).toMatchFileSnapshot('./__snapshots__/job.yaml.snap');
  });

  it('generates a CronJob with the pod template under jobTemplate when scheduled (golden)', async () => {
    const result = await assertDeterministic(
      job,
      request({ containers, schedule: '0 3 * * *' }, { backoffLimit: 2 }),
    );
    await expect(stringify(result, { lineWidth: 0 })).toMatchFileSnapshot(
      './__snapshots__/cronjob.yaml.snap',
    );
  });

  it('marks the Job or CronJob as the workload, with restartPolicy Never and backoffLimit 6 by default', async () => {
    for (const schedule of [undefined, '', '@hourly']) {
      // given a job with or without a schedule
      const inputs: JobInput = schedule === undefined ? { containers } : { containers, schedule };
      // when generated
      const result = await job.generate(request(inputs));
      // then the first resource is the workload
      const [workload] = result.resources;
      expect(workload?.extensions?.['kusion.io/is-workload']).toBe(true);
      const attributes = workload?.attributes as unknown as Workload;
      const isCron = Boolean(schedule);
      expect(attributes.kind).toBe(isCron ? 'CronJob' : 'Job');
      const jobSpec = (isCron ? (attributes.spec['jobTemplate'] as Workload).spec : attributes.spec) as {
        backoffLimit: number;
        template: { spec: { restartPolicy: string } };
      };
      expect(jobSpec.backoffLimit).toBe(6);
      expect(jobSpec.template.spec.restartPolicy).toBe('Never');
    }
  });

  it('names everything after the app and emits the inline file ConfigMap', async () => {
    const result = await job.generate(request({ containers, schedule: '@daily' }));
    expect(result.resources.map((r) => r.id)).toEqual([
      'batch/v1:CronJob:shop:shop-prod-nightly',
      'v1:ConfigMap:shop:shop-prod-nightly-migrate-0',
    ]);
  });
});
