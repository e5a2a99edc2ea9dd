/**
 * The ReleaseStore and WorkspaceStore contracts against the real PostgreSQL server, each test on a fresh
 * schema (migrated by the adapter itself), with the contract's fake clock bound in place of `now()`.
 */

import { describeWorkspaceStoreContract } from '../../../packages/engine/src/state/contract/workspaces.js';
import { describeReleaseStoreContract } from '../../../packages/engine/src/state/contract-suite.js';
import { pgFixture } from './pg-support.js';

describeReleaseStoreContract('postgres', (clock) => {
  const fixture = pgFixture('rc');
  const backend = fixture.open(clock);
  return { open: backend.releases, cleanup: () => fixture.drop() };
});

describeWorkspaceStoreContract('postgres', () => {
  const fixture = pgFixture('ws');
  // Every handle is its own pool on the same schema, as another process would be.
  return {
    open: () => fixture.open().workspaces,
    cleanup: () => fixture.drop(),
  };
});
