import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeReleaseStoreContract } from '../contract-suite.js';
import { openLocalReleaseStore } from './release-store.js';

describeReleaseStoreContract('local', async (clock) => {
  const root = await mkdtemp(join(tmpdir(), 'kusion-state-'));
  return {
    open: openLocalReleaseStore(root, { clock }),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});
