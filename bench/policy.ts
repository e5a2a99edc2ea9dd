/**
 * Policy guardrails at preview scale (SPEC §15, issue #8): 20 CEL rules plus the `baseline` pack over a
 * 1,000-resource plan must add under 200 ms to preview. In one process, interleaved round by round, with
 * the engine as built (`packages/engine/dist`):
 *
 * - **preview without policies**: the engine's planner over the spec against an in-memory runtime (every
 *   resource a Create: planning, diffs and masking as preview does them, without the network) and the
 *   `-o json` preview document;
 * - **preview with policies**: the same, then what preview adds for a workspace with policies: the
 *   workspace parsed (rules validated and compiled), then compiled and evaluated against the plan.
 *
 * The difference of the medians is what the guardrails add; the policy step is also timed on its own.
 * Wall and CPU time of this process are both reported: on a shared machine CPU time is the steadier one.
 *
 *   npx tsc -b && npx tsx bench/policy.ts [--resources 1000] [--runs 25] [--keep]
 */

import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { previewDocument } from '../packages/engine/dist/api/plan-context.js';
import { parseWorkspaceText } from '../packages/engine/dist/api/workspace.js';
import { planChanges } from '../packages/engine/dist/engine/plan/plan.js';
import type { Spec } from '../packages/engine/dist/model/index.js';
import { compilePolicies, evaluatePolicies } from '../packages/engine/dist/policy/index.js';
import { FakeRuntime } from '../packages/engine/dist/runtimes/fake-runtime.js';
import { machineLine } from './lib/machine.js';
import { ms, summarize, table } from './lib/stats.js';

const { values: opts } = parseArgs({
  options: {
    resources: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '25' },
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
const spec = {
  resources: [...resources].sort((a, b) => ((a as { id: string }).id < (b as { id: string }).id ? -1 : 1)),
  secretStore: null,
  context: {},
  outputs: {},
} as unknown as Spec;
const workspaceText = stringify({ policies });
const catalogDir = dirname(fileURLToPath(import.meta.resolve('@kusion/catalog')));
const context = {
  project: 'bench',
  stack: 'prod',
  workspace: 'prod',
  baseRevision: 0,
  specDigest: 'sha256:bench',
  stateDigest: 'sha256:bench',
  modules: {},
  outputs: {},
  warnings: [],
};

/** Wall and CPU time of one step, in ms. */
async function timed<T>(step: () => Promise<T>): Promise<{ wall: number; cpu: number; value: T }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await step();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - started, cpu: (used.user + used.system) / 1000, value };
}

/** Preview's planning and its JSON document, against an in-memory runtime (a fresh one: all Creates). */
async function plan() {
  const runtime = new FakeRuntime('Kubernetes');
  const planned = await planChanges({ spec, prior: [], runtimeFor: () => runtime });
  JSON.stringify(previewDocument(planned, context));
  return planned;
}

/** What preview adds for a workspace with policies (no Rego rule here, so no opa). */
async function policyStep(planned: Awaited<ReturnType<typeof plan>>) {
  const loaded = parseWorkspaceText('prod', workspaceText, catalogDir);
  const { policies: compiled } = compilePolicies(loaded.workspace.document.policies ?? []);
  return evaluatePolicies(compiled, {
    project: 'bench',
    stack: 'prod',
    workspace: 'prod',
    spec,
    plan: planned,
  });
}

type Sample = { wall: number; cpu: number };
const without: Sample[] = [];
const withPolicies: Sample[] = [];
const step: Sample[] = [];
let report: Awaited<ReturnType<typeof policyStep>> | undefined;
// Warm-up: module loading and JIT are paid once per process, not per preview.
for (let i = 0; i < 3; i++) await policyStep(await plan());
for (let round = 0; round < runs; round++) {
  without.push(await timed(plan));
  let policy: Sample = { wall: 0, cpu: 0 };
  withPolicies.push(
    await timed(async () => {
      const planned = await plan();
      const evaluated = await timed(() => policyStep(planned));
      policy = evaluated;
      report = evaluated.value;
    }),
  );
  step.push(policy);
}
const row = (label: string, samples: readonly Sample[]) => {
  const wall = summarize(samples.map((s) => s.wall));
  const cpu = summarize(samples.map((s) => s.cpu));
  return {
    wall,
    cpu,
    cells: [label, String(wall.runs), ms(wall.median), ms(wall.min), ms(cpu.median), ms(cpu.min)],
  };
};
const a = row('preview without policies', without);
const b = row('preview with 20 CEL + baseline', withPolicies);
const c = row('policy step alone', step);
const added = b.wall.median - a.wall.median;
const violations = report?.violations ?? [];
process.stdout.write(
  [
    machineLine(),
    `plan: ${spec.resources.length} resources (all Create); policies: ${celRules.length} CEL rules + baseline; ` +
      `${violations.length} violations (${violations.filter((v) => v.severity === 'deny').length} deny)`,
    '',
    table(['', 'runs', 'wall median', 'wall min', 'CPU median', 'CPU min'], [a.cells, b.cells, c.cells]),
    '',
    `added by policies (difference of medians): wall ${ms(added)}, CPU ${ms(b.cpu.median - a.cpu.median)}; ` +
      `policy step median: wall ${ms(c.wall.median)}, CPU ${ms(c.cpu.median)}`,
    `verdict: ${added < budgetMs && c.wall.median < budgetMs ? 'PASS' : 'FAIL'} (budget: adds < ${budgetMs} ms)`,
    '',
  ].join('\n'),
);
if (added >= budgetMs || c.wall.median >= budgetMs) process.exitCode = 1;
