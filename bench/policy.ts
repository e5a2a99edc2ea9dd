/**
 * Policy guardrails at preview scale (SPEC §15, issue #8): 20 CEL rules plus the `baseline` pack over a
 * 1,000-resource plan must add under 200 ms. Measured in-process through the built facade's `policyTest`
 * (the same compile and evaluation preview runs after planning) on one spec file, with a workspace holding
 * the policies against the same workspace without them, interleaved round by round in the same run. The
 * difference of the medians is what the guardrails add.
 *
 *   npx tsc -b && npx tsx bench/policy.ts [--resources 1000] [--runs 15] [--keep]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { policyTest } from '../packages/engine/dist/api/index.js';
import { loadAverage, machineLine } from './lib/machine.js';
import { ms, summarize, table } from './lib/stats.js';

const { values: opts } = parseArgs({
  options: {
    resources: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '15' },
    keep: { type: 'boolean', default: false },
  },
});
const targetResources = Number(opts.resources);
const runs = Number(opts.runs);
const budgetMs = 200;

/** One app as the catalog generates it: Deployment, private Service, ConfigMap, Secret (4 resources). */
function app(index: number, ns: string): object[] {
  const name = `bench-prod-app-${String(index).padStart(4, '0')}`;
  const source = (owner: string, module: string) => `app-${index}/${owner}/${module}@0.1.0`;
  const labels = { 'app.kubernetes.io/name': `app-${index}`, 'app.kubernetes.io/part-of': 'bench' };
  return [
    {
      id: `apps/v1:Deployment:${ns}:${name}`,
      type: 'Kubernetes',
      attributes: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: ns, labels },
        spec: {
          replicas: 1 + (index % 3),
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: 'main',
                  image: index % 10 === 0 ? 'ghcr.io/acme/app:latest' : `ghcr.io/acme/app:1.${index}.0`,
                  env: [{ name: 'MODE', value: 'prod' }],
                  resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '250m' } },
                  readinessProbe: { httpGet: { path: '/', port: 8080 } },
                },
              ],
            },
          },
        },
      },
      dependsOn: [`v1:Namespace:${ns}`],
      extensions: { 'kusion.io/is-workload': true, 'kusion.io/source': source('workload', 'service') },
    },
    {
      id: `v1:Service:${ns}:${name}-private`,
      type: 'Kubernetes',
      attributes: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `${name}-private`, namespace: ns, labels },
        spec: { type: 'ClusterIP', selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
      },
      dependsOn: [`v1:Namespace:${ns}`],
      extensions: { 'kusion.io/source': source('net', 'network') },
    },
    {
      id: `v1:ConfigMap:${ns}:${name}-files`,
      type: 'Kubernetes',
      attributes: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${name}-files`, namespace: ns, labels },
        data: { 'app.conf': 'listen 8080\n' },
      },
      dependsOn: [`v1:Namespace:${ns}`],
      extensions: { 'kusion.io/source': source('workload', 'service') },
    },
    {
      id: `v1:Secret:${ns}:${name}-token`,
      type: 'Kubernetes',
      attributes: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `${name}-token`, namespace: ns, labels },
        type: 'Opaque',
        stringData: { token: 'ref://bench/token' },
      },
      dependsOn: [`v1:Namespace:${ns}`],
      extensions: { 'kusion.io/source': source('workload', 'service') },
    },
  ];
}

/** Twenty rules of the kinds a platform team writes, over several kinds, modules and variables. */
const celRules = [
  ['min-replicas', 'deny', 'Deployment', 'resource.attributes.spec.replicas >= 1'],
  ['ha-replicas', 'warn', 'Deployment', 'resource.attributes.spec.replicas >= 2'],
  [
    'part-of',
    'warn',
    undefined,
    '!has(resource.attributes.metadata.labels) || "app.kubernetes.io/part-of" in resource.attributes.metadata.labels',
  ],
  ['namespaced', 'deny', 'Service', 'resource.attributes.metadata.namespace == "bench"'],
  [
    'registry',
    'deny',
    'Deployment',
    'resource.attributes.spec.template.spec.containers.all(c, c.image.startsWith("ghcr.io/acme/"))',
  ],
  [
    'probes',
    'warn',
    'Deployment',
    'resource.attributes.spec.template.spec.containers.all(c, has(c.readinessProbe))',
  ],
  [
    'env-mode',
    'warn',
    'Deployment',
    'resource.attributes.spec.template.spec.containers.all(c, !has(c.env) || c.env.exists(e, e.name == "MODE"))',
  ],
  ['cluster-ip', 'deny', 'Service', 'resource.attributes.spec.type == "ClusterIP"'],
  ['ports', 'warn', 'Service', 'resource.attributes.spec.ports.all(p, p.port < 1024)'],
  [
    'config-size',
    'warn',
    'ConfigMap',
    'resource.attributes.data.all(k, size(resource.attributes.data[k]) < 1048576)',
  ],
  [
    'secret-refs',
    'deny',
    'Secret',
    '!has(resource.attributes.stringData) || resource.attributes.stringData.all(k, resource.attributes.stringData[k].startsWith("ref://"))',
  ],
  ['secret-type', 'warn', 'Secret', 'resource.attributes.type == "Opaque"'],
  ['workspace', 'deny', undefined, 'workspace == "prod"'],
  ['project', 'deny', undefined, 'project == "bench" && stack == "prod"'],
  ['known-module', 'warn', undefined, 'module in ["", "service", "network"]'],
  ['app-name', 'warn', undefined, 'app == "" || app.startsWith("app-")'],
  ['creates-only', 'warn', undefined, 'change.action in ["Create", "UnChanged", "Update"]'],
  [
    'no-host-ports',
    'deny',
    'Deployment',
    'resource.attributes.spec.template.spec.containers.all(c, !has(c.ports) || c.ports.all(p, !has(p.hostPort)))',
  ],
  [
    'selector',
    'deny',
    'Deployment',
    'resource.attributes.spec.selector.matchLabels == resource.attributes.spec.template.metadata.labels',
  ],
  ['id-shape', 'deny', undefined, 'resource.id.contains(":")'],
] as const;

const policies = [
  ...celRules.map(([name, severity, kind, rule]) => ({
    name,
    severity,
    ...(kind ? { match: { kind } } : {}),
    rule,
  })),
  { use: 'baseline', severity: 'warn' },
];

const root = mkdtempSync(join(tmpdir(), 'kusion-bench-policy-'));
try {
  const ns = 'bench';
  const resources: object[] = [
    {
      id: `v1:Namespace:${ns}`,
      type: 'Kubernetes',
      attributes: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    },
  ];
  for (let i = 1; resources.length + 4 <= targetResources; i++) resources.push(...app(i, ns));
  // Exactly the size asked for: the remainder as shared ConfigMaps.
  for (let i = 1; resources.length < targetResources; i++)
    resources.push({
      id: `v1:ConfigMap:${ns}:shared-${i}`,
      type: 'Kubernetes',
      attributes: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `shared-${i}`, namespace: ns },
        data: {},
      },
      dependsOn: [`v1:Namespace:${ns}`],
    });
  mkdirSync(join(root, 'prod'), { recursive: true });
  writeFileSync(join(root, 'project.yaml'), 'name: bench\n');
  writeFileSync(join(root, 'prod', 'stack.yaml'), 'name: prod\n');
  writeFileSync(
    join(root, 'prod', 'spec.json'),
    JSON.stringify({ resources, secretStore: null, context: {}, outputs: {} }),
  );
  writeFileSync(join(root, 'none.yaml'), 'modules: {}\n');
  writeFileSync(join(root, 'prod.yaml'), stringify({ policies }));

  const engine = {
    cwd: join(root, 'prod'),
    home: join(root, 'home'),
    catalogDir: dirname(fileURLToPath(import.meta.resolve('@kusion/catalog'))),
    bundledBase: import.meta.url,
  };
  // Wall time, and CPU time of this process (the evaluation is single-threaded and in-process), which a
  // shared machine's load distorts far less.
  const once = async (file: string) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await policyTest({ ...engine, file: `../${file}`, specFile: 'spec.json' });
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - started, cpu: (used.user + used.system) / 1000, result };
  };

  // Warm-up: module loading and JIT of both paths are not what preview pays per run.
  for (let i = 0; i < 2; i++) {
    await once('none.yaml');
    await once('prod.yaml');
  }
  const without = { wall: [] as number[], cpu: [] as number[] };
  const withPolicies = { wall: [] as number[], cpu: [] as number[] };
  let last: Awaited<ReturnType<typeof once>>['result'] | undefined;
  for (let round = 0; round < runs; round++) {
    const plain = await once('none.yaml');
    without.wall.push(plain.ms);
    without.cpu.push(plain.cpu);
    const measured = await once('prod.yaml');
    withPolicies.wall.push(measured.ms);
    withPolicies.cpu.push(measured.cpu);
    last = measured.result;
  }
  const a = summarize(without.wall);
  const b = summarize(withPolicies.wall);
  const aCpu = summarize(without.cpu);
  const bCpu = summarize(withPolicies.cpu);
  const added = b.median - a.median;
  const addedCpu = bCpu.median - aCpu.median;
  const violations = last?.report.violations ?? [];
  process.stdout.write(
    [
      machineLine(),
      `load average before/after: see uptime; now ${loadAverage()}`,
      `plan: ${last?.resources ?? 0} resources; policies: ${celRules.length} CEL rules + baseline; ` +
        `${violations.length} violations (${violations.filter((v) => v.severity === 'deny').length} deny)`,
      '',
      table(
        ['workspace', 'runs', 'wall median', 'wall min', 'wall max', 'CPU median', 'CPU min'],
        [
          ['no policies', String(a.runs), ms(a.median), ms(a.min), ms(a.max), ms(aCpu.median), ms(aCpu.min)],
          [
            '20 CEL + baseline',
            String(b.runs),
            ms(b.median),
            ms(b.min),
            ms(b.max),
            ms(bCpu.median),
            ms(bCpu.min),
          ],
        ],
      ),
      '',
      `added by policies (median difference): wall ${ms(added)}, CPU ${ms(addedCpu)}; min difference: wall ${ms(b.min - a.min)}, CPU ${ms(bCpu.min - aCpu.min)}`,
      `verdict: ${added < budgetMs ? 'PASS' : 'FAIL'} (wall, budget < ${budgetMs} ms)`,
      '',
    ].join('\n'),
  );
  if (added >= budgetMs) process.exitCode = 1;
} finally {
  if (opts.keep) process.stdout.write(`kept ${root}\n`);
  else rmSync(root, { recursive: true, force: true });
}
