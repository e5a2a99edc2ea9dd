/**
 * The leak test (issue 5, SPEC §14): an app whose Secret comes from `ref://` (fake store) and whose
 * postgres accessory gets a derived password is previewed, saved as a plan, applied, previewed again,
 * shown and destroyed with the built CLI. Then every file under the test's home (KUSION_HOME, the saved
 * plan, the project) and every byte of captured output is searched for each secret value, in clear and
 * base64: zero hits. The values are read back from the cluster first, so the test cannot pass because
 * nothing was resolved.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { describe, expect, inject, it } from 'vitest';
import { randomSuffix } from '../testbed/index.js';
import { type CliResult, exampleProject } from './helpers.js';

const testbed = inject('testbed');
const kc = new KubeConfig();
kc.loadFromFile(testbed.kubernetes.kubeconfig);
const core = kc.makeApiClient(CoreV1Api);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('secret leak test', () => {
  it('never writes or prints a resolved or derived secret', async () => {
    const p = await exampleProject('quickstart', 'default');
    const token = `LeakProbe-Token-${randomSuffix()}-${randomSuffix()}`;
    const contextToken = `LeakProbe-Context-${randomSuffix()}-${randomSuffix()}`;
    await writeFile(
      join(p.dir, 'workspace.yaml'),
      [
        'modules: {}',
        'secretStore:',
        '  provider:',
        '    fake:',
        '      data:',
        `        - {key: api, valueMap: {token: "${token}"}}`,
        `        - {key: ci-token, value: "${contextToken}"}`,
        'context:',
        '  CI_TOKEN: ref://ci-token',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(p.stackDir, 'main.yaml'),
      [
        'web:',
        '  workload:',
        '    module: service',
        '    replicas: 1',
        '    containers:',
        '      app:',
        '        image: nginxinc/nginx-unprivileged:1.27',
        '        env: {API_TOKEN: "secret://api-creds/token"}',
        '    secrets:',
        '      api-creds: {type: external, data: {token: "ref://api/token"}}',
        '  accessories:',
        '    db: {module: postgres, type: local, version: "16"}',
        '',
      ].join('\n'),
    );
    const ws = ['--workspace-file', '../workspace.yaml'];
    const outputs: CliResult[] = [];
    const run = async (...args: string[]) => {
      const result = await p.kusion(...args);
      outputs.push(result);
      expect(result.code, `kusion ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
      return result;
    };

    await run('generate', ...ws);
    const preview = await run('preview', ...ws, '-o', 'json');
    expect(JSON.parse(preview.stdout).summary.create).toBeGreaterThan(0);
    await run('preview', ...ws, '--out', 'plan.json');
    await run('apply', ...ws, '--plan', 'plan.json', '--no-watch');

    // The values really were resolved: read them back from the cluster.
    const secrets = await core.listNamespacedSecret({ namespace: p.project });
    const byName = (suffix: string) => secrets.items.find((s) => s.metadata?.name?.endsWith(suffix));
    const decode = (value: string | undefined) => Buffer.from(value ?? '', 'base64').toString('utf8');
    expect(decode(byName('api-creds')?.data?.['token'])).toBe(token);
    const password = decode(byName('-postgres')?.data?.['password']);
    expect(password).toMatch(/^[0-9A-Za-z]{24}$/);

    await run('preview', ...ws);
    await run('apply', ...ws, '--yes', '--no-watch', '-o', 'json');
    await run('release', 'show', '--workspace', 'workspace', '-o', 'json');
    await run('release', 'show', '--workspace', 'workspace');
    const secretId = `v1:Secret:${p.project}:api-creds`;
    await run('resource', 'show', secretId, '--workspace', 'workspace');
    await run('destroy', ...ws, '--yes');

    const values = [token, contextToken, password].flatMap((v) => [v, Buffer.from(v).toString('base64')]);
    const hits: string[] = [];
    // The workspace file is the user's own source of the fake store's values; everything else must not hold them.
    const source = join(p.dir, 'workspace.yaml');
    for (const file of (await filesUnder(dirname(p.dir))).filter((f) => f !== source)) {
      const text = (await readFile(file)).toString('latin1');
      for (const value of values) if (text.includes(value)) hits.push(`${file} holds ${value}`);
    }
    for (const [i, output] of outputs.entries())
      for (const value of values)
        if (output.stdout.includes(value) || output.stderr.includes(value))
          hits.push(`output ${i} holds ${value}`);
    expect(hits).toEqual([]);
    // State and journal were written, and encrypted, not merely absent.
    const stored = await Promise.all((await filesUnder(p.home)).map((f) => readFile(f, 'utf8')));
    expect(stored.some((text) => text.includes('$kusion_encrypted'))).toBe(true);
  });
});
