/**
 * Policy guardrails through the built CLI (SPEC §15): `kusion policy test` on a generated stack without a
 * cluster, and rules rejected with their location when a workspace is stored. Rego against the real `opa`
 * is covered by test/integration/policy and test/e2e/policy (the testbed provides the binary).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, lines, parseJsonError, removeProjects, shopProject } from './helpers.js';

beforeAll(assertCliBuilt);
afterAll(removeProjects);

const main = lines(
  'web:',
  '  workload:',
  '    module: service',
  '    replicas: 1',
  '    containers:',
  '      main:',
  '        image: ghcr.io/acme/web:1.4.2',
  '        resources: {cpu: 250m-500m, memory: 128Mi-256Mi}',
  '  accessories:',
  '    net: {module: network, ports: [{port: 80, targetPort: 8080}]}',
  'worker:',
  '  workload:',
  '    module: service',
  '    replicas: 2',
  '    containers:',
  '      main: {image: "ghcr.io/acme/worker:latest"}',
);

const guardrails = lines(
  'policies:',
  '  - name: min-replicas',
  '    severity: deny',
  '    match: {kind: Deployment}',
  '    rule: resource.attributes.spec.replicas >= 2',
  '    message: "{{app}} runs {{resource.id}} with fewer than 2 replicas"',
  '  - name: private-services',
  '    severity: warn',
  '    match: {kind: Service, module: network}',
  '    rule: resource.attributes.spec.type == "ClusterIP"',
  '  - use: baseline',
  '    severity: warn',
  '    except: [run-as-non-root, no-privilege-escalation]',
);

interface PolicyTestJson {
  kind: string;
  denied: boolean;
  resources: number;
  policy: { name: string; severity: string; id: string | null; message: string }[];
  unmatched: string[];
}

describe('kusion policy test', () => {
  it('evaluates CEL rules and the baseline pack on the generated stack: deny exits 2, warnings alone 0', async () => {
    const project = await shopProject({ 'dev/main.yaml': main, 'prod.yaml': guardrails });
    const text = await project.run(['policy', 'test', '-f', '../prod.yaml']);
    expect(text.code, text.stderr).toBe(2);
    expect(text.stdout).toContain('Policy test · Project shop · Stack dev · Workspace prod · 4 resources');
    expect(text.stdout).toMatch(/^RULE\s+SEVERITY\s+RESOURCE\s+MESSAGE$/m);
    expect(text.stdout).toMatch(
      /^min-replicas\s+deny\s+apps\/v1:Deployment:shop:shop-dev-web\s+web runs apps\/v1:Deployment:shop:shop-dev-web with fewer than 2 replicas$/m,
    );
    expect(text.stdout).toContain('Policy: 1 denied, 2 warnings. Apply will refuse this plan.');

    const json = await project.run(['policy', 'test', '-f', '../prod.yaml', '-o', 'json']);
    expect(json.code).toBe(2);
    const report = JSON.parse(json.stdout) as PolicyTestJson;
    expect(report).toMatchObject({ kind: 'PolicyTest', denied: true, resources: 4, unmatched: [] });
    expect(report.policy.map((v) => [v.name, v.severity, v.id])).toEqual([
      ['baseline/pinned-images', 'warn', 'apps/v1:Deployment:shop:shop-dev-worker'],
      ['baseline/resource-limits', 'warn', 'apps/v1:Deployment:shop:shop-dev-worker'],
      ['min-replicas', 'deny', 'apps/v1:Deployment:shop:shop-dev-web'],
    ]);

    await project.write({ 'dev/main.yaml': main.replace('replicas: 1', 'replicas: 2') });
    const passing = await project.run(['policy', 'test', '-f', '../prod.yaml', '-o', 'json']);
    expect(passing.code, passing.stdout).toBe(0);
    expect((JSON.parse(passing.stdout) as PolicyTestJson).policy.every((v) => v.severity === 'warn')).toBe(
      true,
    );
  });

  it('tests a spec file, and prints a markdown section', async () => {
    const project = await shopProject({ 'dev/main.yaml': main, 'prod.yaml': guardrails });
    const generated = await project.run(['generate', '-o', 'spec.yaml', '--workspace-file', '../prod.yaml']);
    expect(generated.code, generated.stderr).toBe(0);
    const markdown = await project.run([
      'policy',
      'test',
      '-f',
      '../prod.yaml',
      '--spec-file',
      'spec.yaml',
      '-o',
      'markdown',
    ]);
    expect(markdown.code).toBe(2);
    expect(markdown.stdout).toContain('#### Policy');
    expect(markdown.stdout).toContain('| min-replicas | deny | `apps/v1:Deployment:shop:shop-dev-web` |');
  });

  it('makes a Rego rule whose opa cannot run a deny carrying the error, never a pass', async () => {
    const project = await shopProject({
      'dev/main.yaml': main.replace('replicas: 1', 'replicas: 2'),
      'prod.yaml': lines(
        'runtimes: {opa: {binary: /nonexistent/bin/opa}}',
        'policies:',
        '  - name: opa-rules',
        '    severity: warn',
        '    rego: {path: ./rego, query: data.kusion.deny}',
      ),
      'rego/main.rego': lines('package kusion', '', 'deny contains "never" if false'),
    });
    const result = await project.run(['policy', 'test', '-f', '../prod.yaml', '-o', 'json']);
    expect(result.code, result.stderr).toBe(2);
    expect((JSON.parse(result.stdout) as PolicyTestJson).policy).toEqual([
      {
        name: 'opa-rules',
        severity: 'deny',
        id: null,
        message:
          'opa failed: the opa binary "/nonexistent/bin/opa" was not found (install OPA, or set runtimes.opa.binary)',
      },
    ]);
  });
});

describe('workspace create with policies', () => {
  it('rejects a CEL rule that does not compile, naming the rule and its location', async () => {
    const project = await shopProject({
      'prod.yaml': lines(
        'policies:',
        '  - name: min-replicas',
        '    severity: deny',
        '    rule: resource.attributes.spec.replicas >=',
        '  - use: baseline',
        '    except: [pinned-image]',
      ),
    });
    const result = await project.run(['workspace', 'create', 'prod', '-f', '../prod.yaml', '-o', 'json']);
    expect(result.code).toBe(1);
    const error = parseJsonError(result.stdout);
    expect(error.code).toBe('KUS2002');
    expect(error.diagnostics.map((d) => [d.code, d.location, d.message])).toEqual([
      ['KUS2002', 'workspace prod:6:14', 'baseline has no rule "pinned-image"'],
      [
        'KUS2002',
        'workspace prod:4:11',
        expect.stringMatching(/^policy "min-replicas": rule does not compile at 1:\d+ of the rule: /),
      ],
    ]);
    const list = await project.run(['workspace', 'list']);
    expect(list.stdout).not.toContain('prod');
  });

  it('rejects Rego rules whose files are missing or cannot be checked, at the rule', async () => {
    const project = await shopProject({
      'prod.yaml': lines(
        'runtimes: {opa: {binary: /nonexistent/bin/opa}}',
        'policies:',
        '  - name: gone',
        '    severity: deny',
        '    rego: {path: ./missing, query: data.kusion.deny}',
      ),
      'checked.yaml': lines(
        'runtimes: {opa: {binary: /nonexistent/bin/opa}}',
        'policies:',
        '  - name: unchecked',
        '    severity: deny',
        '    rego: {path: ./rego/main.rego, query: data.kusion.deny}',
      ),
      'rego/main.rego': lines('package kusion', '', 'deny contains "never" if false'),
    });
    const missing = await project.run(['workspace', 'create', 'prod', '-f', '../prod.yaml']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      'Error KUS2002: workspace prod:5:18: policy "gone": cannot read ./missing: no such file or directory',
    );
    const unchecked = await project.run(['workspace', 'create', 'checked', '-f', '../checked.yaml']);
    expect(unchecked.code).toBe(1);
    expect(unchecked.stderr).toMatch(
      /^Error KUS2002: workspace checked:5:11: policy "unchecked": its Rego files could not be checked: the opa binary/m,
    );
  });
});
