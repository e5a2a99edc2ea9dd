/**
 * Per-file setup of the `integration` and `e2e` projects (TESTBED.md §8): `KUBECONFIG` points at this run's
 * testbed, and its current context must name this run's apiserver.
 */
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import './info.js';

const testbed = inject('testbed');
process.env['KUBECONFIG'] = testbed.kubernetes.kubeconfig;
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
process.env['KUSION_TEST_PG_URL'] = testbed.postgres.url;

interface KubeconfigLike {
  'current-context'?: string;
  contexts?: { name?: string; context?: { cluster?: string } }[];
  clusters?: { name?: string; cluster?: { server?: string } }[];
}

const kc = JSON.parse(readFileSync(testbed.kubernetes.kubeconfig, 'utf8')) as KubeconfigLike;
const context = kc.contexts?.find((c) => c.name === kc['current-context'])?.context;
const server = kc.clusters?.find((c) => c.name === context?.cluster)?.cluster?.server;
if (server !== testbed.kubernetes.apiserverUrl) {
  throw new Error(
    `testbed: KUBECONFIG ${testbed.kubernetes.kubeconfig} points at ${server ?? 'nothing'}, ` +
      `not this run's apiserver ${testbed.kubernetes.apiserverUrl}`,
  );
}
