import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { describe, expect, inject, it } from 'vitest';
import { exampleProject } from './helpers.js';

const testbed = inject('testbed');
const kc = new KubeConfig();
kc.loadFromFile(testbed.kubernetes.kubeconfig);
const apps = kc.makeApiClient(AppsV1Api);
const core = kc.makeApiClient(CoreV1Api);

/** Every file below `dir`, recursively, as text. */
async function filesUnder(dir: string): Promise<{ path: string; text: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => {
        const path = join(e.parentPath, e.name);
        return { path, text: await readFile(path, 'latin1') };
      }),
  );
}

describe('cloud database through Terraform (offline providers) feeding a workload on the testbed cluster', () => {
  it('applies OpenTofu and Kubernetes resources in one graph, never keeps the password in clear, and destroys both', async () => {
    const p = await exampleProject('cloud-database', 'default');
    const workspaceFile = join(p.dir, 'workspace.yaml');
    const workspace = (await readFile(workspaceFile, 'utf8'))
      .replace(/binary: .*/, `binary: ${testbed.tofu.bin}`)
      .replace(/cliConfigFile: .*/, `cliConfigFile: ${testbed.tofu.cliConfigFile}`);
    await writeFile(workspaceFile, workspace);
    const ws = ['--workspace-file', '../workspace.yaml'];
    const output: string[] = [];
    const run = async (...args: string[]) => {
      const result = await p.kusion(...args);
      output.push(result.stdout, result.stderr);
      return result;
    };
    const instance = `${p.project}-default-api-postgres`;
    const passwordId = `kusion:kusiontest:kusiontest_password:${instance}`;
    const instanceId = `builtin:terraform:terraform_data:${instance}`;

    const preview = await run('preview', ...ws, '-o', 'json');
    expect(preview.code, preview.stderr).toBe(0);
    const plan = JSON.parse(preview.stdout) as {
      changes: { id: string; action: string; diff: { path: string; after: unknown }[] }[];
    };
    const passwordChange = plan.changes.find((c) => c.id === passwordId);
    expect(passwordChange?.action).toBe('Create');
    expect(passwordChange?.diff.find((d) => d.path === 'id')?.after).toBe('(known after apply)');
    expect(passwordChange?.diff.find((d) => d.path === 'result')?.after).toBe('(sensitive)');
    expect(plan.changes.find((c) => c.id === instanceId)?.action).toBe('Create');

    const applied = await run('apply', ...ws, '--yes');
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toContain('Apply complete! Resources: 5 created, 0 updated, 0 deleted.');

    const secret = await core.readNamespacedSecret({ name: `${instance}-postgres`, namespace: p.project });
    const decoded = (key: string) => Buffer.from(secret.data?.[key] ?? '', 'base64').toString('utf8');
    const password = decoded('password');
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(decoded('hostAddress')).toBe(`${instance}.offline.db.internal`);
    const deployment = await apps.readNamespacedDeployment({
      name: `${p.project}-default-api`,
      namespace: p.project,
    });
    expect(deployment.status?.availableReplicas).toBe(1);
    const env = deployment.spec?.template.spec?.containers[0]?.env?.map((e) => e.name) ?? [];
    expect(env).toEqual(
      expect.arrayContaining([
        `KUSION_DB_HOST_${instance.toUpperCase().replaceAll('-', '_')}`,
        `KUSION_DB_PASSWORD_${instance.toUpperCase().replaceAll('-', '_')}`,
      ]),
    );

    const again = await run('preview', ...ws, '--detailed-exitcode');
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes. Infrastructure matches the configuration.');

    const destroyed = await run('destroy', ...ws, '--yes');
    expect(destroyed.code, destroyed.stderr + destroyed.stdout).toBe(0);
    expect(destroyed.stdout).toContain('Destroy complete! Resources: 5 deleted.');
    await expect(core.readNamespace({ name: p.project })).rejects.toMatchObject({ code: 404 });
    const fresh = await run('preview', ...ws, '-o', 'json');
    expect(JSON.parse(fresh.stdout).changes.find((c: { id: string }) => c.id === passwordId)?.action).toBe(
      'Create',
    );

    // The leak test: the password is nowhere under KUSION_HOME (state, journal, tofu working files) nor in
    // anything the CLI printed.
    const leaks = (await filesUnder(p.home)).filter((f) => f.text.includes(password)).map((f) => f.path);
    expect(leaks).toEqual([]);
    expect(output.filter((text) => text.includes(password))).toEqual([]);
  });
});
