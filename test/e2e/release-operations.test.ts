import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { makeProject, removeProjects } from '../cli/helpers.js';
import { randomSuffix } from '../testbed/index.js';
import { exampleProject } from './helpers.js';

const testbed = inject('testbed');
const kc = new KubeConfig();
kc.loadFromFile(testbed.kubernetes.kubeconfig);
const apps = kc.makeApiClient(AppsV1Api);
const core = kc.makeApiClient(CoreV1Api);
const objects = KubernetesObjectApi.makeApiClient(kc);

afterAll(removeProjects);

interface DriftDocument {
  kind: string;
  revision: number;
  summary: { inSync: number; drifted: number; missing: number };
  resources: {
    id: string;
    status: string;
    manager?: string;
    diff: { path: string; before: unknown; after: unknown }[];
  }[];
}

describe('release rollback and drift on the testbed cluster (quickstart)', () => {
  it('rolls an image change back as revision 3, then detects another manager’s change and remediates it', async () => {
    const p = await exampleProject('quickstart', 'default');
    const ws = ['--workspace-file', '../workspace.yaml'];
    const name = `${p.project}-default-web`;
    const image = async () =>
      (await apps.readNamespacedDeployment({ name, namespace: p.project })).spec?.template.spec?.containers[0]
        ?.image;

    expect((await p.kusion('apply', ...ws, '--yes')).code).toBe(0);
    const main = join(p.stackDir, 'main.yaml');
    await writeFile(
      main,
      (await readFile(main, 'utf8')).replace('nginx-unprivileged:1.27', 'nginx-unprivileged:1.26'),
    );
    const second = await p.kusion('apply', ...ws, '--yes');
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(await image()).toBe('nginxinc/nginx-unprivileged:1.26');

    const needsYes = await p.kusion('release', 'rollback', '--revision', '1', ...ws);
    expect(needsYes.code).toBe(1);
    expect(needsYes.stderr).toContain('KUS8002');
    const missing = await p.kusion('release', 'rollback', '--revision', '7', ...ws, '--yes');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('KUS4005');

    const rolledBack = await p.kusion('release', 'rollback', '--revision', '1', ...ws, '--yes', '--no-style');
    expect(rolledBack.code, rolledBack.stdout + rolledBack.stderr).toBe(0);
    expect(rolledBack.stdout).toContain('Rolling back to revision 1.');
    expect(rolledBack.stdout).toMatch(/revision 2 → 3 · modules network@[^,]+, service@/);
    expect(rolledBack.stdout).toContain(
      '~ spec.template.spec.containers[0].image: nginxinc/nginx-unprivileged:1.26 → nginxinc/nginx-unprivileged:1.27',
    );
    expect(rolledBack.stdout).toContain('Rollback complete! Resources: 0 created, 1 updated, 0 deleted.');
    expect(await image()).toBe('nginxinc/nginx-unprivileged:1.27');
    const shown = await p.kusion(
      'release',
      'show',
      '--revision',
      '3',
      ...['--workspace', 'workspace'],
      '-o',
      'json',
    );
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      revision: 3,
      phase: 'succeeded',
      source: { kind: 'rollback', fromRevision: 1 },
    });

    const inSync = await p.kusion('drift', ...ws, '-o', 'json');
    expect(inSync.code, inSync.stdout + inSync.stderr).toBe(0);
    expect((JSON.parse(inSync.stdout) as DriftDocument).summary).toEqual({
      inSync: 3,
      drifted: 0,
      missing: 0,
    });

    // Someone edits the Deployment (kubectl edit style, their own field manager): drops a label Kusion set
    // and adds their own.
    const deploymentId = `apps/v1:Deployment:${p.project}:${name}`;
    const labels =
      (await apps.readNamespacedDeployment({ name, namespace: p.project })).metadata?.labels ?? {};
    const [dropped, value] = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))[0] ?? ['', ''];
    expect(dropped).not.toBe('');
    await apps.patchNamespacedDeployment(
      {
        name,
        namespace: p.project,
        fieldManager: 'intruder',
        body: [
          { op: 'remove', path: `/metadata/labels/${dropped.replaceAll('~', '~0').replaceAll('/', '~1')}` },
          { op: 'add', path: '/metadata/labels/edited-by', value: 'intruder' },
        ],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    const edited = await p.kusion('drift', ...ws, '-o', 'json');
    expect(edited.code, edited.stdout + edited.stderr).toBe(2);
    const report = JSON.parse(edited.stdout) as DriftDocument;
    expect(report).toMatchObject({
      kind: 'Drift',
      revision: 3,
      summary: { inSync: 2, drifted: 1, missing: 0 },
    });
    expect(report.resources.find((r) => r.id === deploymentId)).toMatchObject({
      status: 'Drifted',
      manager: 'intruder',
      diff: [{ path: `metadata.labels.${dropped}`, op: 'remove', before: value, manager: 'intruder' }],
    });
    const text = await p.kusion('drift', ...ws, '--no-style');
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(`- metadata.labels.${dropped}: ${value}`);
    expect(text.stdout).toContain('Drift: 2 in sync, 1 drifted, 0 missing.');

    // Remediation is a normal apply of the configuration (revision 1's image again).
    await writeFile(
      main,
      (await readFile(main, 'utf8')).replace('nginx-unprivileged:1.26', 'nginx-unprivileged:1.27'),
    );
    const remedied = await p.kusion('apply', ...ws, '--yes');
    expect(remedied.code, remedied.stdout + remedied.stderr).toBe(0);
    const restored = await apps.readNamespacedDeployment({ name, namespace: p.project });
    expect(restored.metadata?.labels?.[dropped]).toBe(value);
    const after = await p.kusion('drift', ...ws);
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect(after.stdout).toContain('No drift.');

    // A field taken over with server-side apply and --force-conflicts: drift names the new owner, and the
    // Service deleted behind Kusion's back is Missing.
    await objects.patch(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: p.project },
        spec: { replicas: 1 },
      },
      undefined,
      undefined,
      'scaler',
      true,
      PatchStrategy.ServerSideApply,
    );
    const service = report.resources.find((r) => r.id.includes(':Service:'))?.id ?? '';
    const [, , serviceNs = '', serviceName = ''] = service.split(':');
    await core.deleteNamespacedService({ name: serviceName, namespace: serviceNs });
    const taken = JSON.parse((await p.kusion('drift', ...ws, '-o', 'json')).stdout) as DriftDocument;
    expect(taken.summary).toEqual({ inSync: 1, drifted: 1, missing: 1 });
    expect(taken.resources.find((r) => r.id === deploymentId)).toMatchObject({
      manager: 'scaler',
      diff: [{ path: 'spec.replicas', op: 'change', before: 2, after: 1, manager: 'scaler' }],
    });
    expect(taken.resources.find((r) => r.id === service)).toMatchObject({ status: 'Missing', diff: [] });

    // Without force the field stays the scaler's (KUS5003 naming it); with --force-conflicts Kusion wins it back.
    const refused = await p.kusion('apply', ...ws, '--yes');
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toContain('KUS5003');
    expect(refused.stdout + refused.stderr).toContain('scaler');
    const forced = await p.kusion('apply', ...ws, '--yes', '--force-conflicts');
    expect(forced.code, forced.stdout + forced.stderr).toBe(0);
    expect((await p.kusion('drift', ...ws)).code).toBe(0);

    expect((await p.kusion('destroy', ...ws, '--yes')).code).toBe(0);
  });
});

const namespace = (name: string) => ({
  id: `v1:Namespace:${name}`,
  type: 'Kubernetes',
  attributes: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
});
const configMap = (ns: string, name: string, data: Record<string, string>) => ({
  id: `v1:ConfigMap:${ns}:${name}`,
  type: 'Kubernetes',
  attributes: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data },
  dependsOn: [`v1:Namespace:${ns}`],
});
const specOf = (resources: unknown[]) =>
  stringify({ resources, secretStore: null, context: {}, outputs: {} });

describe('rollback guard and import on the testbed cluster', () => {
  const env = {
    env: {
      KUBECONFIG: testbed.kubernetes.kubeconfig,
      KUSION_STATE_KEY: Buffer.alloc(32, 5).toString('base64'),
    },
  };

  it('refuses a rollback that deletes a Namespace without --allow-destructive, and runs it with the flag', async () => {
    const a = `kt-rb-${randomSuffix()}`;
    const b = `${a}-extra`;
    const p = await makeProject(
      {
        'project.yaml': 'name: guard\n',
        'workspace.yaml': 'modules: {}\n',
        'prod/stack.yaml': 'name: prod\n',
        'prod/spec.yaml': specOf([namespace(a), configMap(a, 'settings', { level: 'info' })]),
      },
      { cwd: 'prod' },
    );
    const ws = ['--spec-file', 'spec.yaml', '--workspace-file', '../workspace.yaml'];
    expect((await p.run(['apply', ...ws, '--yes'], env)).code).toBe(0);
    await p.write({
      'prod/spec.yaml': specOf([
        namespace(a),
        configMap(a, 'settings', { level: 'info' }),
        namespace(b),
        configMap(b, 'more', { x: '1' }),
      ]),
    });
    const second = await p.run(['apply', ...ws, '--yes'], env);
    expect(second.code, second.stdout + second.stderr).toBe(0);

    const refused = await p.run(
      ['release', 'rollback', '--revision', '1', '--workspace-file', '../workspace.yaml', '--yes'],
      env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('KUS8005');
    expect(refused.stderr).toContain(`Delete of Namespace v1:Namespace:${b} loses its data`);
    expect((await core.readNamespace({ name: b })).metadata?.name).toBe(b);
    const list = await p.run(['release', 'list', '--workspace', 'workspace', '-o', 'json'], env);
    expect(JSON.parse(list.stdout)).toMatchObject({ latestRevision: 2 });

    const accepted = await p.run(
      [
        'release',
        'rollback',
        '--revision',
        '1',
        '--workspace-file',
        '../workspace.yaml',
        '--yes',
        '--allow-destructive',
        '-o',
        'json',
      ],
      env,
    );
    expect(accepted.code, accepted.stdout + accepted.stderr).toBe(0);
    expect(JSON.parse(accepted.stdout)).toMatchObject({
      kind: 'RollbackResult',
      revision: 3,
      fromRevision: 1,
      phase: 'succeeded',
      risks: [{ id: `v1:Namespace:${b}`, action: 'Delete', kind: 'Namespace' }],
    });
    await expect(core.readNamespace({ name: b })).rejects.toMatchObject({ code: 404 });
    expect((await p.run(['destroy', '--workspace-file', '../workspace.yaml', '--yes'], env)).code).toBe(0);
  });

  it('imports a ConfigMap created outside Kusion; the next preview shows no diff', async () => {
    const ns = `kt-imp-${randomSuffix()}`;
    await core.createNamespace({ body: { metadata: { name: ns } } });
    try {
      await core.createNamespacedConfigMap({
        namespace: ns,
        body: { metadata: { name: 'legacy' }, data: { color: 'blue' } },
      });
      const p = await makeProject(
        {
          'project.yaml': 'name: adopt\n',
          'workspace.yaml': 'modules: {}\n',
          'prod/stack.yaml': 'name: prod\n',
          'prod/spec.yaml': specOf([{ ...configMap(ns, 'legacy', { color: 'blue' }), dependsOn: [] }]),
        },
        { cwd: 'prod' },
      );
      const ws = ['--spec-file', 'spec.yaml', '--workspace-file', '../workspace.yaml'];
      const id = `v1:ConfigMap:${ns}:legacy`;
      const before = await p.run(['preview', ...ws, '-o', 'json'], env);
      expect(JSON.parse(before.stdout).changes).toEqual([
        expect.objectContaining({ id, action: 'UnChanged', notes: ['will be adopted'] }),
      ]);

      const unknown = await p.run(['import', `v1:ConfigMap:${ns}:nope`, ...ws, '--yes'], env);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('KUS8006');

      const imported = await p.run(['import', id, ...ws, '--yes', '-o', 'json'], env);
      expect(imported.code, imported.stdout + imported.stderr).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ kind: 'ImportResult', id, revision: 1 });
      const shown = await p.run(['release', 'show', '--workspace', 'workspace', '-o', 'json'], env);
      const release = JSON.parse(shown.stdout) as {
        source: unknown;
        state: { resources: { id: string; attributes: { data: unknown } }[] };
      };
      expect(release.source).toEqual({ kind: 'import' });
      expect(release.state.resources).toEqual([
        expect.objectContaining({ id, attributes: expect.objectContaining({ data: { color: 'blue' } }) }),
      ]);
      const again = await p.run(['import', id, ...ws, '--yes'], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('already managed');

      const after = await p.run(['preview', ...ws, '--detailed-exitcode'], env);
      expect(after.code, after.stdout + after.stderr).toBe(0);
      expect(after.stdout).toContain('No changes. Infrastructure matches the configuration.');
      const live = await core.readNamespacedConfigMap({ name: 'legacy', namespace: ns });
      expect(live.data).toEqual({ color: 'blue' });
    } finally {
      await core.deleteNamespace({ name: ns }).catch(() => undefined);
    }
  });
});
