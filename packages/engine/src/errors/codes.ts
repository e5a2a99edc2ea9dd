/**
 * The single catalogue of user-facing error and warning codes (SPEC §16.3).
 * Codes are never reused; new ones are only appended.
 */
export const Codes = {
  notInStack: 'KUS1001',
  invalidProjectFile: 'KUS1002',
  appConfigurationFileCount: 'KUS1003',
  yamlSyntax: 'KUS1004',
  appConfigurationShape: 'KUS1005',
  mainTsFailed: 'KUS1006',
  duplicateStackName: 'KUS1007',
  workspaceNotFound: 'KUS2001',
  workspaceInvalid: 'KUS2002',
  projectInTwoPatchers: 'KUS2003',
  moduleUnknown: 'KUS2004',
  moduleNotInstalled: 'KUS2005',
  moduleVersionOutOfRange: 'KUS2006',
  moduleNameMismatch: 'KUS2007',
  execModuleFailed: 'KUS2008',
  reservedWorkspaceKey: 'KUS2009',
  legacyModuleSource: 'KUS2010',
  developerInputInvalid: 'KUS3001',
  platformInputInvalid: 'KUS3002',
  moduleGenerateThrew: 'KUS3003',
  duplicateResourceId: 'KUS3004',
  idAttributeMismatch: 'KUS3005',
  dependsOnMissing: 'KUS3006',
  dependencyCycle: 'KUS3007',
  workloadNotIdentifiable: 'KUS3008',
  badPathReference: 'KUS3009',
  patchFailed: 'KUS3010',
  invalidGeneratedName: 'KUS3011',
  healthPolicyInvalid: 'KUS3012',
  injectedEnvOverridden: 'KUS3013',
  nonDeterministicOutput: 'KUS3014',
  legacyHealthPolicy: 'KUS3015',
  labelConflict: 'KUS3016',
  backendUnreachable: 'KUS4001',
  lockHeld: 'KUS4002',
  leaseLost: 'KUS4003',
  stateKeyInvalid: 'KUS4004',
  releaseNotFound: 'KUS4005',
  backendLacksConditionalWrites: 'KUS4006',
  kubeconfigInvalid: 'KUS5001',
  kindNotServed: 'KUS5002',
  fieldManagerConflict: 'KUS5003',
  rejectedByApiServer: 'KUS5004',
  notReadyBeforeTimeout: 'KUS5005',
  scopeMismatch: 'KUS5006',
  terraformBinaryMissing: 'KUS6001',
  providerInstallFailed: 'KUS6002',
  terraformDiagnostic: 'KUS6003',
  noSecretStore: 'KUS7001',
  secretNotFound: 'KUS7002',
  secretStoreAuthFailed: 'KUS7003',
  literalSecretInContext: 'KUS7004',
  planStale: 'KUS8001',
  promptNeedsTty: 'KUS8002',
  interrupted: 'KUS8003',
  deniedByPolicy: 'KUS8004',
  internal: 'KUS9001',
  // Appended after SPEC §16.3's table:
  stateConflict: 'KUS4007',
  stateRecordInvalid: 'KUS4008',
  outputNotWritable: 'KUS1008',
  destructiveRollback: 'KUS8005',
  importRefused: 'KUS8006',
  importTargetAbsent: 'KUS8007',
} as const;

/** A stable `KUSnnnn` code. */
export type Code = (typeof Codes)[keyof typeof Codes];

/** Default hints, shown when the error itself carries none. */
export const defaultHints: Partial<Record<Code, string>> = {
  KUS1002: 'project.yaml and stack.yaml take name (required), description, labels and extensions',
  KUS1005:
    'an AppConfiguration maps app names to {workload, accessories, labels, annotations}; see docs/app-configuration.md',
  KUS2002: 'fix the workspace file, then run `kusion workspace update <name> -f <file>`',
  KUS3001:
    "see the module's inputs with `kusion mod list -o json`, or docs/app-configuration.md for built-in modules",
  KUS3002:
    "fix the module's configs in the workspace; see its platform inputs with `kusion mod list -o json`",
  KUS3003: "the module failed on these inputs: check them, or report it to the module's authors",
  KUS3004: 'two resources share one ID with different content; rename one of them',
  KUS3005:
    'a resource ID must agree with its apiVersion, kind, namespace and name (Terraform: provider and type)',
  KUS3006: 'remove the dependsOn entry, or add the resource it names',
  KUS3008: 'the workload module must mark exactly one resource with extension kusion.io/is-workload: true',
  KUS3009: 'a reference is $kusion_path.<resource ID>.<field path> and must name a resource of the spec',
  KUS8004:
    'fix the resources, or change the workspace policies; try them with `kusion policy test -f <workspace file>`',
  KUS4002: 'wait for the other run, pass --lock-wait <duration>, or if it died: kusion release unlock',
  KUS5001: 'point KUBECONFIG (or the workspace context KUBECONFIG_PATH) at a valid kubeconfig',
  KUS5004: 'the API server refused the object; fix the field it names',
  KUS1001:
    'run the command in a stack directory (one holding stack.yaml below a project.yaml), or pass -w <dir>',
  KUS1003: 'keep exactly one of main.yaml or main.ts in the stack directory',
  KUS1004: 'fix the YAML syntax at the position shown',
  KUS2001:
    'list workspaces with `kusion workspace list`, or create one with `kusion workspace create <name> -f <file>`',
  KUS2004: 'declare the module in the workspace under `modules:` with a `source`',
  KUS2005: 'install it with `kusion mod pull`, or `npm install` it in the stack directory',
  KUS3007: 'remove one dependsOn entry or $kusion_path reference on this path',
  KUS4007: 'another run changed this state at the same time; run the command again',
  KUS4008: 'the file or row was damaged or written by something else; restore it from a backup or remove it',
  KUS8005:
    'review the data-loss steps; pass --allow-destructive to accept them, or roll back to another revision',
  KUS8006: 'import a resource of the current spec that Kusion does not manage yet (see `kusion preview`)',
  KUS8007: 'check the resource ID, the cluster or workspace in use, and for Terraform the --import-id',
  KUS9001: 'this is a bug in Kusion; please report it with the output of the same command run with --debug',
};
