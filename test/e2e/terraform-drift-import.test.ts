import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { makeProject, removeProjects } from '../cli/helpers.js';

const testbed = inject('testbed');
const kusiontest = testbed.tofu.providers.find((p) => p.source.endsWith('/kusiontest'));

afterAll(removeProjects);

const file = (name: string, filename: string, content: string) => ({
  id: `kusion:kusiontest:kusiontest_file:${name}`,
  type: 'Terraform',
  attributes: { filename, content },
  extensions: {
    provider: `${kusiontest?.source}/${kusiontest?.version}`,
    providerMeta: {},
    resourceType: 'kusiontest_file',
  },
});
const specOf = (resources: unknown[]) =>
  stringify({ resources, secretStore: null, context: {}, outputs: {} });

interface DriftDocument {
  summary: { inSync: number; drifted: number; missing: number };
  resources: { id: string; status: string }[];
}

describe('drift and import of Terraform resources through the testbed OpenTofu', () => {
  it('finds files changed or deleted outside OpenTofu, remediates them by apply, and imports an existing file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kusion-tf-files-'));
    try {
      const [a, b, c] = ['a.txt', 'b.txt', 'c.txt'].map((n) => join(dir, n)) as [string, string, string];
      const p = await makeProject(
        {
          'project.yaml': 'name: files\n',
          'workspace.yaml': stringify({
            runtimes: { terraform: { binary: testbed.tofu.bin, cliConfigFile: testbed.tofu.cliConfigFile } },
          }),
          'prod/stack.yaml': 'name: prod\n',
          'prod/spec.yaml': specOf([file('a', a, 'alpha\n'), file('b', b, 'beta\n')]),
        },
        { cwd: 'prod' },
      );
      const env = { env: { KUSION_STATE_KEY: Buffer.alloc(32, 3).toString('base64') } };
      const ws = ['--spec-file', 'spec.yaml', '--workspace-file', '../workspace.yaml'];
      const drift = async () => {
        const result = await p.run(['drift', '--workspace-file', '../workspace.yaml', '-o', 'json'], env);
        return { code: result.code, doc: JSON.parse(result.stdout) as DriftDocument, raw: result };
      };

      const applied = await p.run(['apply', ...ws, '--yes'], env);
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      const clean = await drift();
      expect(clean.code, clean.raw.stdout + clean.raw.stderr).toBe(0);
      expect(clean.doc.summary).toEqual({ inSync: 2, drifted: 0, missing: 0 });

      await writeFile(a, 'changed by hand\n');
      await rm(b);
      const drifted = await drift();
      expect(drifted.code, drifted.raw.stdout + drifted.raw.stderr).toBe(2);
      expect(drifted.doc.summary).toEqual({ inSync: 0, drifted: 0, missing: 2 });
      expect(drifted.doc.resources.map((r) => [r.id, r.status])).toEqual([
        ['kusion:kusiontest:kusiontest_file:a', 'Missing'],
        ['kusion:kusiontest:kusiontest_file:b', 'Missing'],
      ]);
      // Drift is read-only: the next preview still plans from the state as recorded.
      const remedied = await p.run(['apply', ...ws, '--yes'], env);
      expect(remedied.code, remedied.stdout + remedied.stderr).toBe(0);
      expect(await readFile(a, 'utf8')).toBe('alpha\n');
      expect(await readFile(b, 'utf8')).toBe('beta\n');
      expect((await drift()).code).toBe(0);

      // A file made outside Kusion, then declared and imported by its path.
      await writeFile(c, 'made by hand\n', { mode: 0o644 });
      await p.write({
        'prod/spec.yaml': specOf([
          file('a', a, 'alpha\n'),
          file('b', b, 'beta\n'),
          file('c', c, 'made by hand\n'),
        ]),
      });
      const id = 'kusion:kusiontest:kusiontest_file:c';
      const noId = await p.run(['import', id, ...ws, '--yes'], env);
      expect(noId.code).toBe(1);
      expect(noId.stderr).toContain('KUS8006');
      const imported = await p.run(['import', id, '--import-id', c, ...ws, '--yes', '-o', 'json'], env);
      expect(imported.code, imported.stdout + imported.stderr).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ kind: 'ImportResult', id, revision: 3 });
      const shown = await p.run(['release', 'show', '--workspace', 'workspace', '-o', 'json'], env);
      const release = JSON.parse(shown.stdout) as {
        source: unknown;
        state: { resources: { id: string; attributes: Record<string, unknown> }[] };
      };
      expect(release.source).toEqual({ kind: 'import' });
      expect(release.state.resources.find((r) => r.id === id)?.attributes).toMatchObject({
        filename: c,
        content: 'made by hand\n',
      });
      const after = await p.run(['preview', ...ws, '--detailed-exitcode'], env);
      expect(after.code, after.stdout + after.stderr).toBe(0);
      expect(after.stdout).toContain('No changes. Infrastructure matches the configuration.');
      expect(await readFile(c, 'utf8')).toBe('made by hand\n');

      const destroyed = await p.run(['destroy', '--workspace-file', '../workspace.yaml', '--yes'], env);
      expect(destroyed.code, destroyed.stdout + destroyed.stderr).toBe(0);
      expect(destroyed.stdout).toContain('Destroy complete! Resources: 3 deleted.');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
