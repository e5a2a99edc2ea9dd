/**
 * The state backend port: where workspaces (and, with the engine, releases, locks and Terraform state)
 * live. Adapters: `local/` today; PostgreSQL and S3 share this contract.
 */
export interface WorkspaceStore {
  /** The stored text of a workspace, or undefined. `default` always exists (created empty on first use). */
  read(name: string): Promise<string | undefined>;
  /** Names of all workspaces, sorted. */
  list(): Promise<readonly string[]>;
  /** Creates or replaces a workspace's text atomically. */
  write(name: string, text: string): Promise<void>;
  remove(name: string): Promise<void>;
  /** The current workspace: `default` until another is switched to. */
  current(): Promise<string>;
  setCurrent(name: string): Promise<void>;
}

/** The name of the workspace that always exists. */
export const defaultWorkspace = 'default';
