/**
 * The examples the docs point at, applied and destroyed on the testbed with the built CLI:
 * wordpress (a workload and a local MySQL on a volume), storefront (two stacks, dev and prod workspaces
 * stored with `kusion workspace create`) and platform-module (a platform team's module from a path).
 * Each copy gets a unique project name; names derived from it in the files are rewritten to match.
 */
import { readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  StorageV1Api,
  type V1Deployment,
} from '@kubernetes/client-node';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { exampleProject } from './helpers.js';

const testbed = inject('testbed');
const kc = new KubeConfig();
kc.loadFromFile(testbed.kubernetes.kubeconfig);
const apps = kc.makeApiClient(AppsV1Api);
const core = kc.makeApiClient(CoreV1Api);
const storage = kc.makeApiClient(StorageV1Api);
const networking = kc.makeApiClient(NetworkingV1Api);
const root = new URL('../../', import.meta.url).pathname;
const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** `<name>` as the catalog writes it inside injected env names: upper case, `-` and `.` as `_`. */
const envPart = (name: string) => name.toUpperCase().replace(/[-.]/g, '_');

/** Rewrites every YAML file of a copied example (goldens and project.yaml aside). */
async function rewriteYaml(dir: string, edit: (text: string) => string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const name = entry.name;
    if (!entry.isFile() || !name.endsWith('.yaml') || name.includes('golden') || name === 'project.yaml')
      continue;
    const path = join(entry.parentPath, name);
    await writeFile(path, edit(await readFile(path, 'utf8')));
  }
}

function isAvailable(d: V1Deployment): boolean {
  const want = d.spec?.replicas ?? 1;
  return d.status?.availableReplicas === want && d.status?.updatedReplicas === want;
}

describe('examples on the testbed', () => {
  it('wordpress: WordPress and a local MySQL on a volume, credentials injected, then destroyed', async () => {
    const p = await exampleProject('wordpress', 'dev');
    // The testbed has no volume provisioner: a platform team would name its StorageClass in the workspace.
    const storageClass = `${p.project}-local`;
    await storage.createStorageClass({
      body: {
        metadata: { name: storageClass },
        provisioner: 'kubernetes.io/no-provisioner',
        volumeBindingMode: 'WaitForFirstConsumer',
      },
    });
    cleanups.push(() => storage.deleteStorageClass({ name: storageClass }));
    await core.createPersistentVolume({
      body: {
        metadata: { name: `${p.project}-pv` },
        spec: {
          capacity: { storage: '5Gi' },
          accessModes: ['ReadWriteOnce'],
          persistentVolumeReclaimPolicy: 'Retain',
          storageClassName: storageClass,
          hostPath: { path: `/tmp/${p.project}` },
        },
      },
    });
    cleanups.push(() => core.deletePersistentVolume({ name: `${p.project}-pv` }));
    await rewriteYaml(p.dir, (text) =>
      text
        .replace(/WORDPRESS_DEV_WORDPRESS_MYSQL/g, `${envPart(p.project)}_DEV_WORDPRESS_MYSQL`)
        .replace('default: {size: 5}', `default: {size: 5, storageClassName: ${storageClass}}`),
    );
    const ws = ['--workspace-file', '../workspace.yaml'];

    const applied = await p.kusion('apply', ...ws, '--yes', '--no-style');
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toMatch(/Apply complete! Resources: \d+ created, 0 updated, 0 deleted\./);
    const unique = `${p.project}-dev-wordpress`;
    const wordpress = await apps.readNamespacedDeployment({ name: unique, namespace: p.project });
    const mysql = await apps.readNamespacedDeployment({ name: `${unique}-mysql`, namespace: p.project });
    expect(isAvailable(wordpress)).toBe(true);
    expect(isAvailable(mysql)).toBe(true);
    const env = wordpress.spec?.template.spec?.containers[0]?.env ?? [];
    // Instance <P>-<S>-<A>-mysql; its connection Secret is <instance>-mysql.
    const injected = `KUSION_DB_HOST_${envPart(unique)}_MYSQL`;
    expect(env.find((e) => e.name === injected)?.valueFrom?.secretKeyRef?.name).toBe(`${unique}-mysql-mysql`);
    expect(env.find((e) => e.name === 'WORDPRESS_DB_HOST')?.value).toBe(`$(${injected})`);
    const claim = await core.readNamespacedPersistentVolumeClaim({
      name: `${unique}-mysql`,
      namespace: p.project,
    });
    expect(claim.status?.phase).toBe('Bound');

    const destroyed = await p.kusion('destroy', ...ws, '--yes', '--no-style');
    expect(destroyed.code, destroyed.stderr + destroyed.stdout).toBe(0);
    expect(destroyed.stdout).toMatch(/Destroy complete! Resources: \d+ deleted\./);
    await expect(core.readNamespace({ name: p.project })).rejects.toMatchObject({ code: 404 });
  }, 300_000);

  it('storefront: two stacks in dev from a stored workspace; prod previews its own differences; destroy keeps the other stack', async () => {
    const p = await exampleProject('storefront', 'backend');
    await rewriteYaml(p.dir, (text) =>
      text.replace(/\bstorefront\b/g, p.project).replace(/STOREFRONT_/g, `${envPart(p.project)}_`),
    );
    for (const ws of ['dev', 'prod']) {
      const created = await p.kusion('workspace', 'create', ws, '-f', `../workspaces/${ws}.yaml`);
      expect(created.code, created.stderr).toBe(0);
    }
    const inStack = (stack: string, ...args: string[]) => p.kusion('-w', `../${stack}`, ...args);

    for (const stack of ['backend', 'frontend']) {
      const applied = await inStack(stack, 'apply', '--workspace', 'dev', '--yes', '--no-style');
      expect(applied.code, `${stack}: ${applied.stderr}${applied.stdout}`).toBe(0);
      expect(applied.stdout).toContain('Apply complete!');
    }
    const backendNs = `${p.project}-backend`;
    const frontendNs = `${p.project}-frontend`;
    const api = await apps.readNamespacedDeployment({
      name: `${p.project}-backend-api`,
      namespace: backendNs,
    });
    expect(api.spec?.replicas).toBe(1);
    expect(api.metadata?.labels?.['env']).toBe('dev');
    expect(isAvailable(api)).toBe(true);
    const web = await apps.readNamespacedDeployment({
      name: `${p.project}-frontend-web`,
      namespace: frontendNs,
    });
    expect(web.spec?.template.metadata?.annotations?.['prometheus.io/scrape']).toBe('true');

    // Release history is per (project, stack, workspace): prod has none yet and plans its own changes.
    const prod = await inStack('backend', 'preview', '--workspace', 'prod', '-o', 'json');
    expect(prod.code, prod.stderr).toBe(0);
    const plan = JSON.parse(prod.stdout) as {
      workspace: string;
      changes: { id: string; action: string; diff: { path: string; after: unknown }[] }[];
    };
    expect(plan.workspace).toBe('prod');
    const deployment = plan.changes.find(
      (c) => c.id === `apps/v1:Deployment:${backendNs}:${p.project}-backend-api`,
    );
    expect(deployment?.action).toBe('Update');
    expect(deployment?.diff).toContainEqual(expect.objectContaining({ path: 'spec.replicas', after: 3 }));
    const devReleases = await inStack('backend', 'release', 'list', '--workspace', 'dev', '-o', 'json');
    expect(JSON.parse(devReleases.stdout)).toMatchObject({ latestRevision: 1 });

    const frontendGone = await inStack('frontend', 'destroy', '--workspace', 'dev', '--yes', '--no-style');
    expect(frontendGone.code, frontendGone.stderr + frontendGone.stdout).toBe(0);
    await expect(core.readNamespace({ name: frontendNs })).rejects.toMatchObject({ code: 404 });
    expect(
      isAvailable(
        await apps.readNamespacedDeployment({ name: `${p.project}-backend-api`, namespace: backendNs }),
      ),
    ).toBe(true);
    const backendGone = await inStack('backend', 'destroy', '--workspace', 'dev', '--yes', '--no-style');
    expect(backendGone.code, backendGone.stderr + backendGone.stdout).toBe(0);
    await expect(core.readNamespace({ name: backendNs })).rejects.toMatchObject({ code: 404 });
  }, 300_000);

  it("platform-module: the platform team's NetworkPolicy module, loaded from a path, applied and destroyed", async () => {
    const p = await exampleProject('platform-module', 'default');
    // The module imports zod: a copy outside the repository resolves it like `npm install` would provide it.
    await symlink(join(root, 'node_modules'), join(p.dir, 'node_modules'), 'dir');
    const ws = ['--workspace-file', '../workspace.yaml'];

    const modules = await p.kusion('mod', 'list', ...ws);
    expect(modules.code, modules.stderr).toBe(0);
    expect(modules.stdout).toMatch(/network-policy\s+\.\/modules\/network-policy\s+.*0\.1\.0\s+path/);

    const applied = await p.kusion('apply', ...ws, '--yes', '--no-style');
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    const name = `${p.project}-default-checkout`;
    const policy = await networking.readNamespacedNetworkPolicy({
      name: `${name}-policy`,
      namespace: p.project,
    });
    expect(policy.spec?.podSelector?.matchLabels).toEqual({
      'app.kubernetes.io/part-of': p.project,
      'app.kubernetes.io/name': 'checkout',
    });
    expect(policy.spec?.ingress?.[0]?.ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    const deployment = await apps.readNamespacedDeployment({ name, namespace: p.project });
    expect(deployment.spec?.template.metadata?.labels?.['acme.io/network-policy']).toBe(`${name}-policy`);
    expect(isAvailable(deployment)).toBe(true);

    const destroyed = await p.kusion('destroy', ...ws, '--yes', '--no-style');
    expect(destroyed.code, destroyed.stderr + destroyed.stdout).toBe(0);
    await expect(core.readNamespace({ name: p.project })).rejects.toMatchObject({ code: 404 });
  }, 300_000);
});
