/**
 * Layer rules from ARCHITECTURE.md §3.6: a pure core, adapters at the edges.
 * Run by `npm run lint`, which the test command includes.
 */
const E = '^packages/engine/src/';
const core = `${E}(model|errors|io|config|modules/contract|generator|engine|policy)/`;
const adapters = `${E}(runtimes/(kubernetes|terraform|opa)|state/(local|postgres|s3)|secrets/stores|api)/`;

/** Forbid `pkg` everywhere except under the allowed path pattern. */
const onlyFrom = (name, pkg, allowed) => ({
  name,
  severity: 'error',
  from: { path: '^packages/', pathNot: allowed },
  to: { path: pkg },
});

module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'core-imports-no-adapter',
      comment: 'The core reaches adapters only through */port.ts.',
      severity: 'error',
      from: { path: core },
      to: { path: adapters },
    },
    {
      name: 'core-does-no-io',
      severity: 'error',
      from: { path: core, pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(child_process|net|http|https|fs|fs/promises)$' },
    },
    onlyFrom(
      'k8s-client-only-in-k8s-runtime',
      '@kubernetes/client-node',
      `${E}(runtimes/kubernetes|secrets)/`,
    ),
    onlyFrom(
      'execa-only-in-tf-and-modules',
      'node_modules/execa/',
      `${E}(runtimes/(terraform|opa)|modules)/`,
    ),
    onlyFrom('pg-only-in-postgres-state', 'node_modules/pg/', `${E}state/postgres/`),
    onlyFrom('aws-sdk-only-in-s3-and-secrets', 'node_modules/@aws-sdk/', `${E}(state/s3|secrets)/`),
    {
      name: 'worker-threads-only-in-loader',
      severity: 'error',
      from: { path: '^packages/', pathNot: `${E}modules/loader/` },
      to: { dependencyTypes: ['core'], path: '^(node:)?worker_threads$' },
    },
    {
      name: 'cli-uses-only-engine-api',
      severity: 'error',
      from: { path: '^packages/cli/' },
      to: { path: '^packages/engine/', pathNot: '^packages/engine/(dist|src)/api/' },
    },
    {
      name: 'terminal-libraries-only-in-cli',
      severity: 'error',
      from: { path: '^packages/(engine|module-sdk|catalog)/' },
      to: { path: 'node_modules/(picocolors|cli-table3|commander|@commander-js|listr2|@clack)/' },
    },
    {
      name: 'catalog-imports-only-module-sdk',
      severity: 'error',
      from: { path: '^packages/catalog/' },
      to: { path: '^packages/(engine|cli)/' },
    },
    {
      name: 'module-sdk-is-standalone',
      severity: 'error',
      from: { path: '^packages/module-sdk/' },
      to: { path: '^packages/(engine|cli|catalog)/' },
    },
    {
      name: 'engine-never-imports-catalog-statically',
      severity: 'error',
      from: { path: '^packages/engine/' },
      to: { path: '^packages/catalog/', dependencyTypes: ['local', 'npm', 'aliased-workspace', 'aliased'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/|\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'types', 'default'] },
  },
};
