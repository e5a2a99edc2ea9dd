import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWorkspaceStoreContract } from '../contract/workspaces.js';
import { LocalWorkspaceStore } from './workspace-store.js';

describeWorkspaceStoreContract('local', async () => {
  const root = await mkdtemp(join(tmpdir(), 'kusion-ws-'));
  return {
    open: () => new LocalWorkspaceStore(root),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});
