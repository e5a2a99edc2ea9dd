import { afterAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { makeProject, removeProjects } from '../../cli/helpers.js';

const testbed = inject('testbed');
const kusiontest = testbed.tofu.providers.find((p) => p.source.endsWith('/kusiontest'));
const extensions = (resourceType: string) => ({
  provider: `${kusiontest?.source}/${kusiontest?.version}`,
  providerMeta: {},
  resourceType,
});

afterAll(removeProjects);

/** A spec of Terraform resources only, applied with `--spec-file`: no cluster involved. */
async function terraformProject(filename: string) {
  const file = 'kusion:kusiontest:kusiontest_file:config';
  const spec = {
    resources: [
      {
        id: file,
        type: 'Terraform',
        attributes: { filename, content: 'port=5432\n' },
        extensions: extensions('kusiontest_file'),
      },
      {
        id: 'builtin:terraform:terraform_data:reader',
        type: 'Terraform',
        attributes: { input: `$kusion_path.${file}.id` },
        dependsOn: [file],
        extensions: {
          provider: 'terraform.io/builtin/terraform/builtin',
          providerMeta: {},
          resourceType: 'terraform_data',
        },
      },
      {
        id: 'kusion:kusiontest:kusiontest_password:token',
        type: 'Terraform',
        attributes: { length: 32, special: false },
        extensions: extensions('kusiontest_password'),
      },
    ],
    secretStore: null,
    context: {},
    outputs: {},
  };
  return makeProject(
    {
      'project.yaml': 'name: tf\n',
      'workspace.yaml': stringify({
        runtimes: { terraform: { binary: testbed.tofu.bin, cliConfigFile: testbed.tofu.cliConfigFile } },
      }),
      'prod/stack.yaml': 'name: prod\n',
      'prod/spec.yaml': stringify(spec),
    },
    { cwd: 'prod' },
  );
}

describe('kusion apply of Terraform resources through the CLI (real OpenTofu)', () => {
  it('given a failing provider, then its diagnostic is shown, dependents are skipped, independent resources are applied and recorded exactly; a fixed spec converges', async () => {
    const p = await terraformProject('/proc/kusion-forbidden/app.conf');
    const ws = ['--spec-file', 'spec.yaml', '--workspace-file', '../workspace.yaml'];
    const failed = await p.run(['apply', ...ws, '--yes']);
    expect(failed.code, failed.stdout + failed.stderr).toBe(1);
    expect(failed.stdout + failed.stderr).toContain('KUS6003');
    expect(failed.stdout + failed.stderr).toContain('cannot create directory');
    expect(failed.stdout).toContain(
      'Apply failed! Resources: 1 created, 0 updated, 0 deleted, 1 failed, 1 skipped.',
    );
    const state = JSON.parse(
      (await p.run(['release', 'show', '--workspace', 'workspace', '--state-only', '-o', 'json'])).stdout,
    ) as {
      resources: { id: string }[];
    };
    expect(state.resources.map((r) => r.id)).toEqual(['kusion:kusiontest:kusiontest_password:token']);

    await p.write({
      'prod/spec.yaml': (await p.read('prod/spec.yaml')).replace(
        '/proc/kusion-forbidden/app.conf',
        p.path('app.conf'),
      ),
    });
    const fixed = await p.run(['apply', ...ws, '--yes']);
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('Apply complete! Resources: 2 created, 0 updated, 0 deleted.');
    expect(await p.read('app.conf')).toBe('port=5432\n');
    const unchanged = await p.run(['preview', ...ws, '--detailed-exitcode']);
    expect(unchanged.code, unchanged.stdout).toBe(0);

    const destroyed = await p.run(['destroy', '--workspace-file', '../workspace.yaml', '--yes']);
    expect(destroyed.code, destroyed.stdout + destroyed.stderr).toBe(0);
    expect(destroyed.stdout).toContain('Destroy complete! Resources: 3 deleted.');
    await expect(p.read('app.conf')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('given OpenTofu is missing, then apply fails with KUS6001 and a hint, without a stack trace', async () => {
    const p = await terraformProject('/tmp/never-written');
    await p.write({
      'workspace.yaml': stringify({ runtimes: { terraform: { binary: '/nonexistent/tofu' } } }),
    });
    const result = await p.run([
      'preview',
      '--spec-file',
      'spec.yaml',
      '--workspace-file',
      '../workspace.yaml',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('KUS6001');
    expect(result.stderr).toContain('hint: install OpenTofu');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
