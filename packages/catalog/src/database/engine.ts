import type { JsonObject } from '@kusion/module-sdk';

/** What differs between the database engines the catalog ships (`postgres`, `mysql`). */
export interface DatabaseEngine {
  /** Module name, also the suffix of the connection Secret (`<name>-<module>`). */
  readonly module: 'postgres' | 'mysql';
  /** Image repository of local instances (`<image>:<version>`). */
  readonly imageName: string;
  /** Port the server listens on, locally and in the cloud. */
  readonly port: number;
  /** `engine` argument of `aws_db_instance`. */
  readonly awsEngine: string;
  /**
   * Environment of the local server container, which reads the account from the connection Secret (keys
   * `username` and `password`) so the workload and the server always agree.
   */
  readonly localEnv: (secretName: string, username: string) => JsonObject[];
  /** Where the local volume is mounted in the server container. */
  readonly dataMount: { readonly mountPath: string; readonly subPath?: string };
}
