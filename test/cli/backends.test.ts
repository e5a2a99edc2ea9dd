/**
 * Selecting a PostgreSQL backend through the built CLI (SPEC §9.2, §16.1): with `backends.current` and with
 * `KUSION_BACKEND`, workspaces and releases are read from the database, and an unreachable server is one
 * coded line with a hint. Uses the machine's PostgreSQL (KUSION_TEST_PG_URL or the testbed default), one
 * fresh schema per test, dropped afterwards.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomSuffix } from '../testbed/namespace.js';
import { freePorts } from '../testbed/ports.js';
import { pgUrl } from '../testbed/postgres.js';
import {
  assertCliBuilt,
  type CliResult,
  type Project,
  removeProjects,
  shopProject,
  stackTraceLines,
} from './helpers.js';

const schemas: string[] = [];
beforeAll(assertCliBuilt);
afterAll(async () => {
  await removeProjects();
  const client = new pg.Client({ connectionString: pgUrl() });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
});

async function ok(
  project: Project,
  args: readonly string[],
  env?: Record<string, string>,
): Promise<CliResult> {
  const result = await project.run(args, env ? { env } : {});
  expect(result.code, `kusion ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
}

/** A history of `shop/dev/<workspace>` with two finished releases, as `release export` writes it. */
function history(workspace: string): string {
  const release = (revision: number, phase: string) => ({
    project: 'shop',
    stack: 'dev',
    workspace,
    revision,
    phase,
    spec: { resources: [] },
    state: { resources: [] },
    operator: `op${revision}@ci`,
    source: { kind: 'apply' },
    kusionVersion: '0.1.0',
    createTime: `2026-01-0${revision}T00:00:00Z`,
    modifiedTime: `2026-01-0${revision}T00:00:00Z`,
  });
  return JSON.stringify({
    formatVersion: 1,
    kind: 'ReleaseHistory',
    project: 'shop',
    stack: 'dev',
    workspace,
    releases: [release(1, 'succeeded'), release(2, 'failed')],
    unitStates: {},
    seed: JSON.stringify({ $kusion_encrypted: { v: 1, kid: '00000000', nonce: 'AA==', data: 'AA==' } }),
  });
}

/** A project whose home configures backend `team` on a fresh schema. */
async function teamProject(): Promise<Project> {
  const schema = `kt_cli_${randomSuffix(8)}`;
  schemas.push(schema);
  const project = await shopProject({
    'dev/ws.yaml': 'context: {REGION: eu}\n',
    'dev/history.json': history('prod'),
  });
  await ok(project, ['config', 'set', 'backends.team.type', 'postgres']);
  await ok(project, [
    'config',
    'set',
    'backends.team.configs',
    JSON.stringify({ connectionString: pgUrl(), schema }),
  ]);
  return project;
}

describe.concurrent('postgres backend through the CLI', { timeout: 600_000 }, () => {
  it('given backends.current = team, then workspaces and releases live in PostgreSQL', async () => {
    const project = await teamProject();
    await ok(project, ['config', 'set', 'backends.current', 'team']);

    await ok(project, ['workspace', 'create', 'prod', '-f', 'ws.yaml', '--current']);
    const imported = await ok(project, ['release', 'import', '-f', 'history.json']);
    expect(imported.stdout).toBe(
      'Imported 2 release(s) and 0 OpenTofu state(s) of shop/dev/prod into backend "team".\n',
    );

    const workspaces = await ok(project, ['workspace', 'list']);
    expect(
      workspaces.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.trim().split(/\s+/)),
    ).toEqual([['CURRENT', 'NAME'], ['default'], ['*', 'prod']]);
    const listed = await ok(project, ['release', 'list']);
    expect(
      listed.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split(/\s+/)),
    ).toEqual([
      ['REVISION', 'PHASE', 'OPERATOR', 'CREATED'],
      ['2', 'failed', 'op2@ci', '2026-01-02T00:00:00Z'],
      ['1', 'succeeded', 'op1@ci', '2026-01-01T00:00:00Z'],
    ]);
    // The default (local) backend has none of it.
    const local = await ok(project, [
      'release',
      'list',
      '-o',
      'json',
      '--backend',
      'default',
      '--workspace',
      'prod',
    ]);
    expect(JSON.parse(local.stdout)).toEqual({ latestRevision: 0, entries: [] });
  });

  it('given KUSION_BACKEND=team and no current backend, then the same commands read PostgreSQL', async () => {
    const project = await teamProject();
    const env = { KUSION_BACKEND: 'team' };
    await ok(project, ['workspace', 'create', 'prod', '-f', 'ws.yaml'], env);
    await ok(project, ['release', 'import', '-f', 'history.json', '--workspace', 'prod'], env);

    const viaEnv = await ok(project, ['release', 'list', '-o', 'json', '--workspace', 'prod'], env);
    expect(JSON.parse(viaEnv.stdout)).toMatchObject({
      latestRevision: 2,
      entries: [
        { revision: 1, phase: 'succeeded' },
        { revision: 2, phase: 'failed' },
      ],
    });
    expect((await ok(project, ['workspace', 'list', '-o', 'json'], env)).stdout).toContain('prod');
    // Without the variable the default backend is used, which knows neither.
    const local = await ok(project, ['workspace', 'list', '-o', 'json']);
    expect(local.stdout).not.toContain('prod');
    const shown = await ok(
      project,
      ['release', 'show', '--revision', '1', '-o', 'json', '--workspace', 'prod'],
      env,
    );
    expect(JSON.parse(shown.stdout)).toMatchObject({ revision: 1, operator: 'op1@ci' });
  });

  it('given a backend nobody listens on, then KUS4001 in one line with a hint, no trace, no password', async () => {
    const project = await shopProject();
    const [port] = await freePorts(1);
    await ok(project, ['config', 'set', 'backends.down.type', 'postgres']);
    await ok(project, [
      'config',
      'set',
      'backends.down.configs',
      JSON.stringify({
        host: '127.0.0.1',
        port,
        database: 'test',
        user: 'postgres',
        password: 'pw-never-shown-31',
      }),
    ]);

    const result = await project.run(['release', 'list'], { env: { KUSION_BACKEND: 'down' } });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^Error KUS4001: PostgreSQL backend "down" \\(127\\.0\\.0\\.1:${port}/test\\) is unreachable: .*ECONNREFUSED`,
        'm',
      ),
    );
    expect(result.stderr).toMatch(/^ {2}hint: check that the server is running/m);
    expect(stackTraceLines(result.stderr)).toEqual([]);
    expect(`${result.stdout}${result.stderr}`).not.toContain('pw-never-shown-31');
  });
});
