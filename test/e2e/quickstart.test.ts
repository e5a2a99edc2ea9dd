import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { describe, expect, inject, it } from 'vitest';
import { exampleProject } from './helpers.js';

const testbed = inject('testbed');
const kc = new KubeConfig();
kc.loadFromFile(testbed.kubernetes.kubeconfig);
const apps = kc.makeApiClient(AppsV1Api);
const core = kc.makeApiClient(CoreV1Api);

describe('quickstart: generate → preview → apply → update → destroy with the built CLI', () => {
  it('runs the whole lifecycle against the testbed cluster with local state', async () => {
    const p = await exampleProject('quickstart', 'default');
    const ws = ['--workspace-file', '../workspace.yaml'];

    const refused = await p.kusion('apply', ...ws);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('KUS8002');

    const preview = await p.kusion('preview', ...ws, '-o', 'json');
    expect(preview.code, preview.stderr).toBe(0);
    const plan = JSON.parse(preview.stdout) as {
      summary: Record<string, number>;
      changes: { id: string; action: string }[];
    };
    expect(plan.summary).toEqual({ create: 3, update: 0, replace: 0, delete: 0, unchanged: 0 });

    const applied = await p.kusion('apply', ...ws, '--yes');
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toContain('Apply complete! Resources: 3 created, 0 updated, 0 deleted.');
    const deployment = await apps.readNamespacedDeployment({
      name: `${p.project}-default-web`,
      namespace: p.project,
    });
    expect(deployment.status?.availableReplicas).toBe(2);
    expect(
      deployment.metadata?.managedFields?.some((m) => m.manager === 'kusion' && m.operation === 'Apply'),
    ).toBe(true);

    const again = await p.kusion('preview', ...ws, '--detailed-exitcode');
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes. Infrastructure matches the configuration.');

    const main = join(p.stackDir, 'main.yaml');
    await writeFile(main, (await readFile(main, 'utf8')).replace('replicas: 2', 'replicas: 3'));
    const changed = await p.kusion('preview', ...ws, '--detailed-exitcode', '--no-style');
    expect(changed.code).toBe(2);
    expect(changed.stdout).toContain('~ spec.replicas: 2 → 3');
    expect(changed.stdout).toContain(
      'Plan: 0 to create, 1 to update, 0 to replace, 0 to delete, 2 unchanged.',
    );

    const updated = await p.kusion('apply', ...ws, '--yes', '-o', 'json');
    expect(updated.code, updated.stderr).toBe(0);
    expect(JSON.parse(updated.stdout)).toMatchObject({
      kind: 'ApplyResult',
      revision: 2,
      phase: 'succeeded',
    });

    const releases = await p.kusion('release', 'list', ...['--workspace', 'workspace'], '-o', 'json');
    expect(releases.code, releases.stderr).toBe(0);
    expect(JSON.parse(releases.stdout)).toMatchObject({
      latestRevision: 2,
      entries: [
        { revision: 1, phase: 'succeeded' },
        { revision: 2, phase: 'succeeded' },
      ],
    });

    const destroyed = await p.kusion('destroy', ...ws, '--yes');
    expect(destroyed.code, destroyed.stderr + destroyed.stdout).toBe(0);
    expect(destroyed.stdout).toContain('Destroy complete! Resources: 3 deleted.');
    await expect(core.readNamespace({ name: p.project })).rejects.toMatchObject({ code: 404 });
  });
});
