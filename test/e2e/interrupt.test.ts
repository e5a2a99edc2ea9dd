/**
 * Runs that do not finish: a claim that never binds.
 * `--timeout` ends the run with KUS5005 and a failed release; SIGINT stops it with exit 130; either way
 * state records what exists and the lock is released, so the next run proceeds.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleProject } from './helpers.js';

// kwok makes every pod Ready, so the stuck resource is a claim on a StorageClass that does not exist:
// it stays Pending, and Kusion's readiness rules wait for Bound.
const neverReady = (namespace: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: never-ready, namespace: ${namespace}}
spec:
  storageClassName: kusion-test-none
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`;

async function neverReadyProject() {
  const p = await exampleProject('quickstart', 'default');
  await mkdir(join(p.stackDir, 'manifests'), { recursive: true });
  await writeFile(join(p.stackDir, 'manifests', 'never-ready.yaml'), neverReady(p.project));
  await writeFile(
    join(p.stackDir, 'main.yaml'),
    `web:
  workload:
    module: service
    containers: {main: {image: nginxinc/nginx-unprivileged:1.27}}
  accessories:
    stuck: {module: k8s-manifest, paths: [manifests/never-ready.yaml]}
`,
  );
  return p;
}

describe('runs that do not finish', () => {
  it('--timeout fails the release with KUS5005 naming the resource, then the next run proceeds', async () => {
    const p = await neverReadyProject();
    const ws = ['--workspace-file', '../workspace.yaml'];
    const applied = await p.kusion('apply', ...ws, '--yes', '--timeout', '4s');
    expect(applied.code).toBe(1);
    expect(applied.stdout).toContain('Apply failed!');
    expect(applied.stderr).toMatch(/KUS5005.*never-ready/);
    // The reason comes with the cluster's own explanation: the claim's warning event.
    expect(applied.stderr).toMatch(/event ProvisioningFailed: .*kusion-test-none/);
    const releases = JSON.parse(
      (await p.kusion('release', 'list', '--workspace', 'workspace', '-o', 'json')).stdout,
    ) as { entries: { phase: string }[]; lock?: unknown };
    expect(releases.entries.map((e) => e.phase)).toEqual(['failed']);
    expect(releases.lock).toBeUndefined();
    const destroyed = await p.kusion('destroy', ...ws, '--yes');
    expect(destroyed.code, destroyed.stderr).toBe(0);
  });

  it('SIGINT stops scheduling, records a failed release and exits 130', async () => {
    const p = await neverReadyProject();
    const child = spawn(
      process.execPath,
      [p.cli, 'apply', '--workspace-file', '../workspace.yaml', '--yes', '--timeout', '120s'],
      { cwd: p.stackDir, env: p.env },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('never-ready  Waiting') && !child.killed) child.kill('SIGINT');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('KUS8003');
    const releases = JSON.parse(
      (await p.kusion('release', 'list', '--workspace', 'workspace', '-o', 'json')).stdout,
    ) as { entries: { phase: string }[]; lock?: unknown };
    expect(releases.entries.map((e) => e.phase)).toEqual(['failed']);
    expect(releases.lock).toBeUndefined();
    const state = JSON.parse(
      (await p.kusion('release', 'show', '--workspace', 'workspace', '--state-only', '-o', 'json')).stdout,
    ) as { resources: { id: string }[] };
    expect(state.resources.map((r) => r.id)).toContain(`v1:Namespace:${p.project}`);
    expect((await p.kusion('destroy', '--workspace-file', '../workspace.yaml', '--yes')).code).toBe(0);
  });
});
