import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { randomSuffix } from '../testbed/index.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'packages/cli/dist/main.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A copy of an example under a unique project name (so its namespace is this suite's), with its own KUSION_HOME. */
export async function exampleProject(
  example: string,
  stack: string,
): Promise<{
  dir: string;
  stackDir: string;
  project: string;
  home: string;
  /** The built CLI and its environment, for tests that drive the process themselves. */
  cli: string;
  env: Record<string, string>;
  kusion: (...args: string[]) => Promise<CliResult>;
}> {
  const base = await mkdtemp(join(tmpdir(), `kusion-e2e-${example}-`));
  const dir = join(base, example);
  await cp(join(root, 'examples', example), dir, { recursive: true });
  const project = `kt-${example}-${randomSuffix()}`.slice(0, 40);
  await writeFile(
    join(dir, 'project.yaml'),
    (await readFile(join(dir, 'project.yaml'), 'utf8')).replace(/^name: .*$/m, `name: ${project}`),
  );
  const home = join(base, 'home');
  const testbed = inject('testbed');
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: base,
    KUSION_HOME: home,
    KUSION_STATE_KEY: Buffer.alloc(32, 7).toString('base64'),
    KUBECONFIG: testbed.kubernetes.kubeconfig,
    AWS_EC2_METADATA_DISABLED: 'true',
    KUSION_OPERATOR: 'e2e@testbed',
  };
  const stackDir = join(dir, stack);
  const kusion = (...args: string[]) =>
    new Promise<CliResult>((resolve) => {
      execFile(
        process.execPath,
        [cli, ...args],
        { cwd: stackDir, env, maxBuffer: 32 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
    });
  return { dir, stackDir, project, home, cli, env, kusion };
}
