import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { makeProject, removeProjects } from '../cli/helpers.js';
import { randomSuffix } from '../testbed/index.js';

const testbed = inject('testbed');
const kc = new KubeConfig();
kc.loadFromFile(testbed.kubernetes.kubeconfig);
const core = kc.makeApiClient(CoreV1Api);
const kusiontest = testbed.tofu.providers.find((p) => p.source.endsWith('/kusiontest'));

afterAll(removeProjects);

describe('$kusion_path across runtimes, both directions, on the testbed', () => {
  it('feeds a Kubernetes server response into OpenTofu and OpenTofu results into Kubernetes, with no diff afterwards', async () => {
    const ns = `kt-cross-${randomSuffix()}`;
    const source = `v1:ConfigMap:${ns}:source`;
    const echo = 'builtin:terraform:terraform_data:echo';
    const password = 'kusion:kusiontest:kusiontest_password:app';
    const builtin = {
      provider: 'terraform.io/builtin/terraform/builtin',
      providerMeta: {},
      resourceType: 'terraform_data',
    };
    const k8s = (kind: string, name: string, body: Record<string, unknown>) => ({
      id: `v1:${kind}:${ns}:${name}`,
      type: 'Kubernetes',
      attributes: { apiVersion: 'v1', kind, metadata: { name, namespace: ns }, ...body },
      dependsOn: [`v1:Namespace:${ns}`],
    });
    const spec = {
      resources: [
        {
          id: `v1:Namespace:${ns}`,
          type: 'Kubernetes',
          attributes: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
        },
        k8s('ConfigMap', 'source', { data: { greeting: 'hello' } }),
        {
          id: echo,
          type: 'Terraform',
          attributes: { input: `$kusion_path.${source}.metadata.uid` },
          dependsOn: [source],
          extensions: builtin,
        },
        {
          ...k8s('ConfigMap', 'sink', { data: { uid: `$kusion_path.${echo}.output` } }),
          dependsOn: [`v1:Namespace:${ns}`, echo],
        },
        {
          id: password,
          type: 'Terraform',
          attributes: { length: 20, special: false },
          extensions: {
            provider: `${kusiontest?.source}/${kusiontest?.version}`,
            providerMeta: {},
            resourceType: 'kusiontest_password',
          },
        },
        {
          ...k8s('Secret', 'app', { stringData: { password: `$kusion_path.${password}.result` } }),
          dependsOn: [`v1:Namespace:${ns}`, password],
        },
      ],
      secretStore: null,
      context: {},
      outputs: {},
    };
    const p = await makeProject(
      {
        'project.yaml': 'name: cross\n',
        'workspace.yaml': stringify({
          runtimes: { terraform: { binary: testbed.tofu.bin, cliConfigFile: testbed.tofu.cliConfigFile } },
        }),
        'prod/stack.yaml': 'name: prod\n',
        'prod/spec.yaml': stringify(spec),
      },
      { cwd: 'prod' },
    );
    const env = {
      env: {
        KUBECONFIG: testbed.kubernetes.kubeconfig,
        KUSION_STATE_KEY: Buffer.alloc(32, 9).toString('base64'),
      },
    };
    const ws = ['--spec-file', 'spec.yaml', '--workspace-file', '../workspace.yaml'];

    const preview = await p.run(['preview', ...ws, '-o', 'json'], env);
    expect(preview.code, preview.stderr).toBe(0);
    const changes = (
      JSON.parse(preview.stdout) as {
        changes: { id: string; action: string; diff: { path: string; after: unknown }[] }[];
      }
    ).changes;
    expect(changes.map((c) => c.action)).toEqual(Array(6).fill('Create'));
    expect(changes.find((c) => c.id === `v1:ConfigMap:${ns}:sink`)?.diff).toContainEqual(
      expect.objectContaining({ path: 'data.uid', after: '(known after apply)' }),
    );

    const applied = await p.run(['apply', ...ws, '--yes'], env);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Apply complete! Resources: 6 created, 0 updated, 0 deleted.');
    const sourceMap = await core.readNamespacedConfigMap({ name: 'source', namespace: ns });
    const sinkMap = await core.readNamespacedConfigMap({ name: 'sink', namespace: ns });
    expect(sinkMap.data?.['uid']).toBe(sourceMap.metadata?.uid);
    const secret = await core.readNamespacedSecret({ name: 'app', namespace: ns });
    const value = Buffer.from(secret.data?.['password'] ?? '', 'base64').toString('utf8');
    expect(value).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(applied.stdout + applied.stderr).not.toContain(value);

    const again = await p.run(['preview', ...ws, '--detailed-exitcode'], env);
    expect(again.code, again.stdout + again.stderr).toBe(0);

    const destroyed = await p.run(['destroy', '--workspace-file', '../workspace.yaml', '--yes'], env);
    expect(destroyed.code, destroyed.stdout + destroyed.stderr).toBe(0);
    expect(destroyed.stdout).toContain('Destroy complete! Resources: 6 deleted.');
    await expect(core.readNamespace({ name: ns })).rejects.toMatchObject({ code: 404 });
  });
});
