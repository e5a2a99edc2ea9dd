/**
 * The ReleaseStore and WorkspaceStore contracts against the testbed's S3 server (versitygw), each test on
 * a fresh key prefix, with the contract's fake clock deciding lock expiry.
 */
import { afterAll } from 'vitest';
import { describeWorkspaceStoreContract } from '../../../packages/engine/src/state/contract/workspaces.js';
import { describeReleaseStoreContract } from '../../../packages/engine/src/state/contract-suite.js';
import { s3Bucket } from './s3-support.js';

const bucket = s3Bucket('contract');
afterAll(() => bucket.remove());

describeReleaseStoreContract('s3', async (clock) => {
  const fixture = await bucket.fixture('rc');
  const backend = fixture.open(clock);
  return { open: backend.releases, cleanup: () => fixture.drop() };
});

describeWorkspaceStoreContract('s3', async () => {
  const fixture = await bucket.fixture('ws');
  return { open: () => fixture.open().workspaces, cleanup: () => fixture.drop() };
});
