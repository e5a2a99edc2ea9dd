import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runTofu } from '../../testbed/index.js';

const testbed = inject('testbed');
const exec = promisify(execFile);

describe('testbed OpenTofu (offline, provider mirror)', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('inits and applies a password, terraform_data with a provisioner, and a file', async () => {
    dir = await mkdtemp(path.join(testbed.runDir, 'tofu-'));
    const provider = testbed.tofu.providers.find((p) => p.source.endsWith('/kusiontest'));
    expect(provider).toBeDefined();
    await writeFile(
      path.join(dir, 'main.tf'),
      `terraform {
  required_providers {
    kusiontest = { source = "${provider?.source}", version = "${provider?.version}" }
  }
}
resource "kusiontest_password" "db" {
  length  = 24
  special = false
}
resource "terraform_data" "marker" {
  triggers_replace = [kusiontest_password.db.id]
  input            = "ready"
  provisioner "local-exec" {
    command = "echo provisioned > \${path.module}/provisioned.txt"
  }
}
resource "kusiontest_file" "out" {
  filename = "\${path.module}/out.txt"
  content  = "length=\${length(kusiontest_password.db.result)} marker=\${terraform_data.marker.output}"
}
output "password" {
  value     = kusiontest_password.db.result
  sensitive = true
}
`,
    );
    const init = await runTofu(testbed, ['init', '-no-color'], { cwd: dir });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const apply = await runTofu(testbed, ['apply', '-auto-approve', '-no-color'], { cwd: dir });
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply complete! Resources: 3 added');
    expect(await readFile(path.join(dir, 'out.txt'), 'utf8')).toBe('length=24 marker=ready');
    expect((await readFile(path.join(dir, 'provisioned.txt'), 'utf8')).trim()).toBe('provisioned');
    const out = await runTofu(testbed, ['output', '-raw', 'password'], { cwd: dir });
    expect(out.stdout).toMatch(/^[A-Za-z0-9]{24}$/);
    const plan = await runTofu(testbed, ['plan', '-detailed-exitcode', '-no-color'], { cwd: dir });
    expect(plan.code).toBe(0);
  });

  it('fails at once for a provider the mirror lacks, without going to the network', async () => {
    const other = await mkdtemp(path.join(testbed.runDir, 'tofu-missing-'));
    await writeFile(
      path.join(other, 'main.tf'),
      'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n',
    );
    const started = Date.now();
    const init = await runTofu(testbed, ['init', '-no-color'], { cwd: other });
    expect(init.code).not.toBe(0);
    expect(init.stderr).toMatch(/hashicorp\/aws/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

describe('testbed binaries', () => {
  it('kubectl reports the pinned client version and reaches the apiserver', async () => {
    const { stdout } = await exec(testbed.kubernetes.kubectl, [
      '--kubeconfig',
      testbed.kubernetes.kubeconfig,
      'version',
      '-o',
      'json',
    ]);
    const v = JSON.parse(stdout) as {
      clientVersion?: { gitVersion?: string };
      serverVersion?: { gitVersion?: string };
    };
    expect(v.clientVersion?.gitVersion).toBe(testbed.kubernetes.version);
    expect(v.serverVersion?.gitVersion).toBe(testbed.kubernetes.version);
  });

  it('opa evaluates a Rego policy', async () => {
    const dir = await mkdtemp(path.join(testbed.runDir, 'opa-'));
    await writeFile(
      path.join(dir, 'p.rego'),
      'package kusion\n\ndeny contains msg if {\n  input.replicas < 1\n  msg := "replicas must be positive"\n}\n',
    );
    await writeFile(path.join(dir, 'input.json'), '{"replicas": 0}');
    const { stdout } = await exec(testbed.opa.bin, [
      'eval',
      '-f',
      'json',
      '-d',
      path.join(dir, 'p.rego'),
      '-i',
      path.join(dir, 'input.json'),
      'data.kusion.deny',
    ]);
    expect(stdout).toContain('replicas must be positive');
  });
});
