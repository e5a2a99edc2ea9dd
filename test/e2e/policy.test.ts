/**
 * Policy guardrails end to end (SPEC §15) with the built CLI, the testbed cluster and the testbed's real
 * `opa`: rules stored with the workspace in the backend (Rego files included), judged at preview, and
 * enforced by apply — a compliant stack applies normally; a denied apply changes neither the cluster nor
 * the state.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { describe, expect, inject, it } from 'vitest';
import { exampleProject } from './helpers.js';

const testbed = inject('testbed');
const kc = new KubeConfig();
kc.loadFromFile(testbed.kubernetes.kubeconfig);
const apps = kc.makeApiClient(AppsV1Api);
const core = kc.makeApiClient(CoreV1Api);

/** Production guardrails: CEL and Rego rules that deny fewer than 2 replicas, warnings, and the baseline. */
const guardrails = (opa: string) => `modules: {}
runtimes:
  opa: {binary: ${opa}}
policies:
  - name: min-replicas
    severity: deny
    match: {kind: Deployment, module: service}
    rule: resource.attributes.spec.replicas >= 2
    message: "{{app}}: {{resource.id}} needs at least 2 replicas"
  - name: private-by-default
    severity: warn
    match: {kind: Service}
    rule: resource.attributes.spec.type != "LoadBalancer"
  - name: opa-production
    severity: deny
    rego: {path: ./rego, query: data.kusion.production.deny}
  - use: baseline
    # The catalog's service module sets no security context yet.
    except: [run-as-non-root, no-privilege-escalation]
`;

const productionRego = `package kusion.production

import rego.v1

deny contains {"id": r.id, "msg": sprintf("%d replica(s) is not highly available", [r.attributes.spec.replicas])} if {
	some r in input.spec.resources
	r.attributes.kind == "Deployment"
	r.attributes.spec.replicas < 2
}

deny contains {"id": c.id, "msg": "namespaces are never deleted by an apply"} if {
	some c in input.plan.changes
	c.action == "Delete"
	startswith(c.id, "v1:Namespace:")
}
`;

interface PreviewJson {
  summary: Record<string, number>;
  policy: { name: string; severity: string; id: string | null; message: string }[];
}

/** The quickstart with the guardrails stored as workspace `guard`; the Rego sources are deleted after. */
async function guardedQuickstart() {
  const p = await exampleProject('quickstart', 'default');
  await mkdir(join(p.dir, 'rego'), { recursive: true });
  await writeFile(join(p.dir, 'rego', 'production.rego'), productionRego);
  await writeFile(join(p.dir, 'guard.yaml'), guardrails(testbed.opa.bin));
  const created = await p.kusion('workspace', 'create', 'guard', '-f', '../guard.yaml');
  expect(created.code, created.stderr).toBe(0);
  // Everyone using the backend enforces the stored rules: the local sources are no longer needed.
  await rm(join(p.dir, 'rego'), { recursive: true });
  const ws = ['--workspace', 'guard'];
  const releases = async () =>
    JSON.parse((await p.kusion('release', 'list', ...ws, '-o', 'json')).stdout) as {
      latestRevision: number;
      lock?: unknown;
    };
  return { p, ws, releases };
}

describe('policy guardrails on the testbed', () => {
  it('applies a stack that satisfies every rule, judged by rules stored in the backend', async () => {
    const { p, ws, releases } = await guardedQuickstart();
    const preview = await p.kusion('preview', ...ws, '-o', 'json');
    expect(preview.code, preview.stderr).toBe(0);
    const plan = JSON.parse(preview.stdout) as PreviewJson;
    expect(plan.summary).toMatchObject({ create: 3 });
    expect(plan.policy).toEqual([]);

    const human = await p.kusion('preview', ...ws, '--no-style');
    expect(human.stdout).toContain('Policy\nAll policies pass.');

    const applied = await p.kusion('apply', ...ws, '--yes');
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toContain('All policies pass.');
    expect(applied.stdout).toContain('Apply complete! Resources: 3 created, 0 updated, 0 deleted.');
    const deployment = await apps.readNamespacedDeployment({
      name: `${p.project}-default-web`,
      namespace: p.project,
    });
    expect(deployment.spec?.replicas).toBe(2);
    expect((await releases()).latestRevision).toBe(1);

    // A plan that changes nothing is judged and reported too.
    const again = await p.kusion('apply', ...ws, '--yes');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(
      'No changes. Infrastructure matches the configuration.\n\nPolicy\nAll policies pass.',
    );

    expect((await p.kusion('destroy', ...ws, '--yes')).code).toBe(0);
  });

  it('refuses a denied apply with KUS8004 listing every violation, leaving cluster and state untouched', async () => {
    const { p, ws, releases } = await guardedQuickstart();
    expect((await p.kusion('apply', ...ws, '--yes')).code).toBe(0);
    const name = `${p.project}-default-web`;
    const before = await apps.readNamespacedDeployment({ name, namespace: p.project });

    const main = join(p.stackDir, 'main.yaml');
    await writeFile(main, (await readFile(main, 'utf8')).replace('replicas: 2', 'replicas: 1'));
    const preview = await p.kusion('preview', ...ws, '--no-style');
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toMatch(/^RULE\s+SEVERITY\s+RESOURCE\s+MESSAGE$/m);
    expect(preview.stdout).toContain('Policy: 2 denied, 0 warnings. Apply will refuse this plan.');

    const refused = await p.kusion('apply', ...ws, '--yes');
    expect(refused.code).toBe(1);
    const deploymentId = `apps/v1:Deployment:${p.project}:${name}`;
    expect(refused.stderr).toContain(
      `Error KUS8004: ${deploymentId}: policy min-replicas: web: ${deploymentId} needs at least 2 replicas`,
    );
    expect(refused.stderr).toContain(
      `Error KUS8004: ${deploymentId}: policy opa-production: 1 replica(s) is not highly available`,
    );
    expect(refused.stdout).not.toContain('Apply complete');

    const after = await apps.readNamespacedDeployment({ name, namespace: p.project });
    expect(after.spec?.replicas).toBe(2);
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    const state = await releases();
    expect(state.latestRevision).toBe(1);
    expect(state.lock).toBeUndefined();

    const json = await p.kusion('apply', ...ws, '--yes', '-o', 'json');
    expect(json.code).toBe(1);
    const error = (JSON.parse(json.stdout) as { error: { code: string; diagnostics: unknown[] } }).error;
    expect(error.code).toBe('KUS8004');
    expect(error.diagnostics).toHaveLength(2);

    await writeFile(main, (await readFile(main, 'utf8')).replace('replicas: 1', 'replicas: 2'));
    expect((await p.kusion('destroy', ...ws, '--yes')).code).toBe(0);
  });

  it('rejects a Rego file that opa cannot compile at workspace create, located in the file', async () => {
    const p = await exampleProject('quickstart', 'default');
    await mkdir(join(p.dir, 'rego'), { recursive: true });
    await writeFile(join(p.dir, 'rego', 'production.rego'), productionRego);
    await writeFile(
      join(p.dir, 'rego', 'broken.rego'),
      'package kusion.broken\n\ndeny contains x if {\n  x :=\n}\n',
    );
    await writeFile(join(p.dir, 'guard.yaml'), guardrails(testbed.opa.bin));
    const created = await p.kusion('workspace', 'create', 'guard', '-f', '../guard.yaml');
    expect(created.code).toBe(1);
    expect(created.stderr).toMatch(
      /^Error KUS2002: \.\.\/rego\/broken\.rego:5:1: policy "opa-production": rego_parse_error: unexpected } token$/m,
    );
    const list = await p.kusion('workspace', 'list');
    expect(list.stdout).not.toContain('guard');
  });

  it('refuses a first apply before creating anything', async () => {
    const { p, ws, releases } = await guardedQuickstart();
    const main = join(p.stackDir, 'main.yaml');
    await writeFile(
      main,
      (await readFile(main, 'utf8'))
        .replace('replicas: 2', 'replicas: 1')
        .replace('nginxinc/nginx-unprivileged:1.27', 'nginxinc/nginx-unprivileged:latest'),
    );
    const refused = await p.kusion('apply', ...ws, '--yes');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /Error KUS8004: .*policy baseline\/pinned-images: container "nginx" uses image/,
    );
    await expect(core.readNamespace({ name: p.project })).rejects.toMatchObject({ code: 404 });
    expect((await releases()).latestRevision).toBe(0);
  });
});
