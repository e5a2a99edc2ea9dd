/**
 * The connection facts of a running testbed, handed to tests with `provide('testbed', info)`. Plain data:
 * it crosses from Vitest's main process to its workers by structured clone.
 */
import type { MirroredProvider } from './manifest.js';

/** Everything a test or a demo needs to reach the testbed's components. */
export interface TestbedInfo {
  /** Random id of this run; also the `kusion.test/run` label value and part of the etcd prefix. */
  readonly runId: string;
  /** The run directory (temporary for test runs, `<cache>/live/<name>` for long-lived testbeds). */
  readonly runDir: string;
  /** Set for a long-lived testbed started by `npm run testbed -- up`. */
  readonly liveName?: string;
  readonly kubernetes: {
    readonly version: string;
    /** `admin.kubeconfig`: current context uses the token user; context `kusion-testbed-cert` the cert user. */
    readonly kubeconfig: string;
    /** `https://127.0.0.1:<port>`. */
    readonly apiserverUrl: string;
    /** Bearer token of `kusion-admin` (group `system:masters`). */
    readonly token: string;
    readonly caFile: string;
    readonly clientCertFile: string;
    readonly clientKeyFile: string;
    /** `http://127.0.0.1:<port>`, for private apiservers on the same store. */
    readonly etcdUrl: string;
    readonly kubectl: string;
    readonly nodeNames: readonly string[];
  };
  readonly tofu: {
    readonly version: string;
    readonly bin: string;
    /** Mirror-only CLI configuration, for `TF_CLI_CONFIG_FILE`. */
    readonly cliConfigFile: string;
    readonly mirror: string;
    readonly providers: readonly MirroredProvider[];
  };
  readonly opa: { readonly version: string; readonly bin: string };
  readonly s3: {
    readonly endpoint: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly region: string;
  };
  readonly postgres: { readonly url: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    testbed: TestbedInfo;
  }
}
