/**
 * Ten applies of one stack at once: exactly one release is written; every other run either fails fast
 * with KUS4002 naming the holder, or (if it started after the first finished) finds nothing to change.
 * And a spec written by the original Kusion is accepted by `preview --spec-file`.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleProject } from './helpers.js';

describe('one stack, many runs', () => {
  it('lets exactly one of ten concurrent applies proceed', async () => {
    const p = await exampleProject('quickstart', 'default');
    const ws = ['--workspace-file', '../workspace.yaml'];
    const runs = await Promise.all(Array.from({ length: 10 }, () => p.kusion('apply', ...ws, '--yes')));
    const completed = runs.filter((r) => r.stdout.includes('Apply complete!'));
    const refused = runs.filter((r) => r.code !== 0);
    expect(completed).toHaveLength(1);
    for (const run of refused) expect(run.stderr).toMatch(/KUS4002.*e2e@testbed/);
    expect(
      refused.length +
        completed.length +
        runs.filter((r) => r.code === 0 && r.stdout.includes('No changes')).length,
    ).toBe(10);
    const releases = JSON.parse(
      (await p.kusion('release', 'list', '--workspace', 'workspace', '-o', 'json')).stdout,
    ) as { latestRevision: number; lock?: unknown };
    expect(releases.latestRevision).toBe(1);
    expect(releases.lock).toBeUndefined();
    expect((await p.kusion('destroy', ...ws, '--yes')).code).toBe(0);
  });

  it('previews a spec file written by the original Kusion, ignoring its kubeConfig extension with a warning', async () => {
    const p = await exampleProject('quickstart', 'default');
    const original = {
      resources: [
        {
          id: `v1:Namespace:${p.project}`,
          type: 'Kubernetes',
          attributes: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: p.project } },
          dependsOn: [],
          extensions: { GVK: 'v1, Kind=Namespace' },
        },
        {
          id: `v1:ConfigMap:${p.project}:legacy`,
          type: 'Kubernetes',
          attributes: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'legacy', namespace: p.project },
            data: { a: 'b' },
          },
          dependsOn: [`v1:Namespace:${p.project}`],
          extensions: { GVK: 'v1, Kind=ConfigMap', kubeConfig: '/home/someone/.kube/config' },
        },
      ],
      secretStore: null,
      context: {},
    };
    await writeFile(join(p.stackDir, 'spec.json'), JSON.stringify(original));
    const preview = await p.kusion(
      'preview',
      '--workspace-file',
      '../workspace.yaml',
      '--spec-file',
      'spec.json',
      '-o',
      'json',
    );
    expect(preview.code, preview.stderr).toBe(0);
    const plan = JSON.parse(preview.stdout) as { summary: { create: number }; warnings: { code: string }[] };
    expect(plan.summary.create).toBe(2);
    expect(plan.warnings.map((w) => w.code)).toContain('KUS5001');
  });
});
