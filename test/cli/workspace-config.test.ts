/**
 * Workspaces (SPEC §4, §16.2) and `$KUSION_HOME/config.yaml` (SPEC §9.2, §16.2) through the built CLI. Each
 * test has its own Kusion home, so tests run concurrently; steps inside a test share that home.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertCliBuilt,
  type CliResult,
  lines,
  makeProject,
  type Project,
  removeProjects,
  shopProject,
} from './helpers.js';

beforeAll(assertCliBuilt);
afterAll(removeProjects);

/** The rows of `workspace list`: name → whether it is marked current. */
function listed(result: CliResult): Record<string, boolean> {
  expect(result.code, result.stderr).toBe(0);
  const [header, ...rows] = result.stdout.trimEnd().split('\n');
  expect(header?.split(/\s+/)).toEqual(['CURRENT', 'NAME']);
  return Object.fromEntries(
    rows.map((row) => {
      const cells = row.trim().split(/\s+/);
      return cells.length === 2 ? [cells[1], cells[0] === '*'] : [cells[0], false];
    }),
  );
}

async function ok(project: Project, args: readonly string[]): Promise<CliResult> {
  const result = await project.run(args);
  expect(result.code, `kusion ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
}

async function fails(project: Project, args: readonly string[], code: string): Promise<CliResult> {
  const result = await project.run(args);
  expect(result.code, `kusion ${args.join(' ')}\n${result.stdout}`).toBe(1);
  expect(result.stderr).toMatch(new RegExp(`^Error ${code}: `, 'm'));
  return result;
}

const prodWorkspace = lines(
  'modules:',
  '  service:',
  '    configs:',
  '      default: {replicas: 3}',
  'context:',
  '  AWS_REGION: eu-west-1',
  '  AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI-literal',
  '  GITHUB_TOKEN: ref://ci/github/token',
  "  DB_PASSWORD: 'ref://db/password'",
);

describe.concurrent('kusion workspace', { timeout: 600_000 }, () => {
  it('default always exists and is current in a fresh home, and cannot be created, deleted or renamed', async () => {
    // given a fresh Kusion home
    const project = await makeProject({ 'ws.yaml': 'context: {REGION: eu}\n' });

    // when listing and showing
    const list = await ok(project, ['workspace', 'list']);
    const json = await ok(project, ['workspace', 'list', '-o', 'json']);
    const show = await ok(project, ['workspace', 'show', 'default']);

    // then default exists, is current, and is empty
    expect(listed(list)).toEqual({ default: true });
    expect(JSON.parse(json.stdout)).toEqual({ current: 'default', workspaces: ['default'] });
    expect(show.stdout).toBe('');

    // and it cannot be created, deleted or renamed
    await fails(project, ['workspace', 'create', 'default', '-f', 'ws.yaml'], 'KUS2002');
    await fails(project, ['workspace', 'delete', 'default', '--yes'], 'KUS2002');
    await fails(project, ['workspace', 'update', 'default', '-f', 'ws.yaml', '--rename', 'other'], 'KUS2002');
  });

  it('create from a file (--current, --dry-run); list marks the current one; switch moves the mark', async () => {
    // given two workspace files
    const project = await makeProject({
      'prod.yaml': prodWorkspace,
      'dev.yaml': 'context: {AWS_REGION: us-east-1}\n',
    });

    // when prod is created as current and dev is created plainly
    const created = await ok(project, ['workspace', 'create', 'prod', '-f', 'prod.yaml', '--current']);
    await ok(project, ['workspace', 'create', 'dev', '-f', 'dev.yaml']);

    // then both are listed, prod marked current
    expect(created.stdout).toContain('Created workspace prod.');
    expect(listed(await ok(project, ['workspace', 'list']))).toEqual({
      default: false,
      dev: false,
      prod: true,
    });
    // and the literal secret in the context is flagged at create (KUS7004), located in the workspace
    expect(created.stderr).toContain(
      'Warning KUS7004: workspace prod:7:26: context.AWS_SECRET_ACCESS_KEY holds a literal secret',
    );

    // when switching to dev
    const switched = await ok(project, ['workspace', 'switch', 'dev']);

    // then dev is current
    expect(switched.stdout).toContain('Switched to workspace dev.');
    expect(listed(await ok(project, ['workspace', 'list']))).toEqual({
      default: false,
      dev: true,
      prod: false,
    });
    // and an existing name cannot be created again, nor an unknown one switched to
    await fails(project, ['workspace', 'create', 'dev', '-f', 'dev.yaml'], 'KUS2002');
    await fails(project, ['workspace', 'switch', 'qa'], 'KUS2001');

    // when a third one is created with --dry-run
    const dryRun = await ok(project, [
      'workspace',
      'create',
      'qa',
      '-f',
      'dev.yaml',
      '--dry-run',
      '--current',
    ]);

    // then it is reported valid but neither stored nor made current
    expect(dryRun.stdout).toContain('Workspace qa is valid.');
    expect(listed(await ok(project, ['workspace', 'list']))).toEqual({
      default: false,
      dev: true,
      prod: false,
    });
  });

  it('show masks sensitive literal context values and keeps ref:// references and other text verbatim', async () => {
    // given a stored workspace with literal and referenced sensitive values
    const project = await makeProject({ 'prod.yaml': prodWorkspace });
    await ok(project, ['workspace', 'create', 'prod', '-f', 'prod.yaml']);

    // when shown as text and as JSON
    const text = await ok(project, ['workspace', 'show', 'prod']);
    const json = await ok(project, ['workspace', 'show', 'prod', '-o', 'json']);

    // then the literal is masked everywhere, references and other values are kept
    for (const output of [text.stdout, json.stdout]) {
      expect(output).not.toContain('wJalrXUtnFEMI-literal');
      expect(output).toContain('ref://ci/github/token');
      expect(output).toContain('ref://db/password');
      expect(output).toContain('AWS_REGION: eu-west-1');
      expect(output).toContain('default: {replicas: 3}');
    }
    expect(JSON.parse(json.stdout)).toMatchObject({ name: 'prod', current: false });
  });

  it('show masks sensitive literals written in flow style and in block scalars too', async () => {
    // given sensitive literals in a flow map and in a block scalar (a kubeconfig pasted inline)
    const project = await makeProject({
      'flow.yaml': 'context: {DB_PASSWORD: flow-hunter2-literal, REGION: eu}\n',
      'block.yaml': lines(
        'context:',
        '  KUBECONFIG_CONTENT: |',
        '    apiVersion: v1',
        '    users: [{name: admin, user: {token: block-supersecret-literal}}]',
        '  REGION: eu',
      ),
    });
    await ok(project, ['workspace', 'create', 'flow', '-f', 'flow.yaml']);
    await ok(project, ['workspace', 'create', 'block', '-f', 'block.yaml']);

    // when shown
    const flow = await ok(project, ['workspace', 'show', 'flow']);
    const block = await ok(project, ['workspace', 'show', 'block']);

    // then neither literal is printed, and the non-sensitive key still is
    expect(flow.stdout).not.toContain('flow-hunter2-literal');
    expect(block.stdout).not.toContain('block-supersecret-literal');
    expect(flow.stdout).toContain('REGION: eu');
    expect(block.stdout).toContain('REGION: eu');
  });

  it('update validates and replaces the whole document; --rename moves it and keeps it current', async () => {
    // given a current workspace prod
    const project = await makeProject({
      'prod.yaml': prodWorkspace,
      'prod-v2.yaml': 'context: {AWS_REGION: ap-south-1}\n',
      'bad.yaml': 'modles: {}\n',
    });
    await ok(project, ['workspace', 'create', 'prod', '-f', 'prod.yaml', '--current']);

    // when updated with a new file
    const updated = await ok(project, ['workspace', 'update', 'prod', '-f', 'prod-v2.yaml']);

    // then the document is replaced, not merged
    expect(updated.stdout).toContain('Updated workspace prod.');
    expect((await ok(project, ['workspace', 'show', 'prod'])).stdout).toBe(
      'context: {AWS_REGION: ap-south-1}\n',
    );

    // when updated with an invalid file
    const invalid = await fails(project, ['workspace', 'update', 'prod', '-f', 'bad.yaml'], 'KUS2002');

    // then the error is located in the new document and the stored one is kept
    expect(invalid.stderr).toContain('Error KUS2002: workspace prod:1:1: document: unknown field "modles"');
    expect((await ok(project, ['workspace', 'show', 'prod'])).stdout).toBe(
      'context: {AWS_REGION: ap-south-1}\n',
    );

    // when renamed (no name: the current one)
    const renamed = await ok(project, [
      'workspace',
      'update',
      '-f',
      'prod-v2.yaml',
      '--rename',
      'production',
    ]);

    // then the old name is gone and the new one is current
    expect(renamed.stdout).toContain('Updated workspace production.');
    expect(listed(await ok(project, ['workspace', 'list']))).toEqual({ default: false, production: true });
    await fails(project, ['workspace', 'show', 'prod'], 'KUS2001');
    // and an update of an unknown workspace fails
    await fails(project, ['workspace', 'update', 'qa', '-f', 'prod-v2.yaml'], 'KUS2001');
  });

  it('delete needs --yes without a terminal; deleting the current one makes default current', async () => {
    // given a current workspace prod
    const project = await makeProject({ 'prod.yaml': 'context: {AWS_REGION: eu}\n' });
    await ok(project, ['workspace', 'create', 'prod', '-f', 'prod.yaml', '--current']);

    // when deleted without --yes and no terminal
    const refused = await fails(project, ['workspace', 'delete', 'prod'], 'KUS8002');

    // then nothing is deleted and the hint says how to confirm
    expect(refused.stderr).toContain('hint: pass --yes');
    expect(listed(await ok(project, ['workspace', 'list']))).toEqual({ default: false, prod: true });

    // when deleted with --yes
    const deleted = await ok(project, ['workspace', 'delete', 'prod', '--yes']);

    // then it is gone and default is current again
    expect(deleted.stdout).toContain('Deleted workspace prod.');
    expect(listed(await ok(project, ['workspace', 'list']))).toEqual({ default: true });
    await fails(project, ['workspace', 'delete', 'prod', '--yes'], 'KUS2001');
  });

  it('generate uses --workspace, then KUSION_WORKSPACE, then the current workspace', async () => {
    // given stored workspaces that set different service replicas, prod current
    const project = await shopProject({
      'dev/main.yaml': lines(
        'web:',
        '  workload:',
        '    module: service',
        '    containers: {main: {image: nginx:1.27}}',
      ),
      'prod.yaml': 'modules: {service: {configs: {default: {replicas: 3}}}}\n',
      'qa.yaml': 'modules: {service: {configs: {default: {replicas: 2}}}}\n',
    });
    await ok(project, ['workspace', 'create', 'prod', '-f', '../prod.yaml', '--current']);
    await ok(project, ['workspace', 'create', 'qa', '-f', '../qa.yaml']);

    // when generating with each way of choosing the workspace
    const [current, flag, env] = await Promise.all([
      project.run(['generate']),
      project.run(['generate', '--workspace', 'qa']),
      project.run(['generate'], { env: { KUSION_WORKSPACE: 'default' } }),
    ]);

    // then each picks its workspace's replicas
    for (const result of [current, flag, env]) expect(result.code, result.stderr).toBe(0);
    expect(current.stdout).toContain('replicas: 3');
    expect(flag.stdout).toContain('replicas: 2');
    expect(env.stdout).toContain('replicas: 1');
  });
});

describe.concurrent('kusion config', { timeout: 600_000 }, () => {
  it('set, get and unset backend keys; values are JSON when they parse', async () => {
    // given a fresh Kusion home
    const project = await makeProject({});

    // when a postgres backend is configured
    await ok(project, ['config', 'set', 'backends.team.type', 'postgres']);
    await ok(project, ['config', 'set', 'backends.team.configs.port', '5432']);
    await ok(project, ['config', 'set', 'backends.team.configs.host', 'db.internal']);
    await ok(project, ['config', 'set', 'backends.team.configs.sslMode', 'require']);

    // then get returns each value with its JSON type
    expect((await ok(project, ['config', 'get', 'backends.team.type'])).stdout).toBe('postgres\n');
    expect((await ok(project, ['config', 'get', 'backends.team.configs.port', '-o', 'json'])).stdout).toBe(
      '5432\n',
    );
    const backend = JSON.parse((await ok(project, ['config', 'get', 'backends.team', '-o', 'json'])).stdout);
    expect(backend).toEqual({
      type: 'postgres',
      configs: { port: 5432, host: 'db.internal', sslMode: 'require' },
    });

    // when a config key is unset
    await ok(project, ['config', 'unset', 'backends.team.configs.sslMode']);

    // then it is gone and the rest is kept
    const after = JSON.parse(
      (await ok(project, ['config', 'get', 'backends.team.configs', '-o', 'json'])).stdout,
    );
    expect(after).toEqual({ port: 5432, host: 'db.internal' });
  });

  it('list masks secrets', async () => {
    // given a backend with a password and an S3 secret key
    const project = await makeProject({});
    await ok(project, ['config', 'set', 'backends.team.type', 'postgres']);
    await ok(project, ['config', 'set', 'backends.team.configs.password', 'pg-hunter2-literal']);
    await ok(project, ['config', 'set', 'backends.bucket.type', 's3']);
    await ok(project, ['config', 'set', 'backends.bucket.configs.accessKeySecret', 's3-secret-literal']);
    await ok(project, ['config', 'set', 'backends.bucket.configs.bucket', 'kusion-state']);

    // when listed as YAML and as JSON
    const [yaml, json] = await Promise.all([
      project.run(['config', 'list']),
      project.run(['config', 'list', '-o', 'json']),
    ]);

    // then the secrets are masked and the rest is shown
    for (const result of [yaml, json]) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).not.toContain('pg-hunter2-literal');
      expect(result.stdout).not.toContain('s3-secret-literal');
      expect(result.stdout).toContain('kusion-state');
    }
    const listedConfig = JSON.parse(json.stdout) as { backends: { team: { configs: { password: string } } } };
    expect(listedConfig.backends.team.configs.password).toMatch(/^\*+$/);
  });

  it('default is immutable, unknown keys are refused with a suggestion, the current backend cannot be unset', async () => {
    // given a configured backend made current
    const project = await makeProject({});
    await ok(project, ['config', 'set', 'backends.team.type', 'local']);
    await ok(project, ['config', 'set', 'backends.current', 'team']);

    // when changing default, setting unknown keys, or unsetting the current backend
    const immutable = await fails(project, ['config', 'set', 'backends.default.type', 'postgres'], 'KUS4001');
    const unknownKey = await fails(project, ['config', 'set', 'backend.current', 'team'], 'KUS4001');
    const unknownField = await fails(project, ['config', 'set', 'backends.team.typ', 'local'], 'KUS4001');
    const unknownConfig = await fails(
      project,
      ['config', 'set', 'backends.team.configs.pth', '/tmp/x'],
      'KUS4001',
    );
    const badType = await fails(project, ['config', 'set', 'backends.other.type', 'oss'], 'KUS4001');
    const unsetCurrent = await fails(project, ['config', 'unset', 'backends.team'], 'KUS4001');
    const currentUnknown = await fails(project, ['config', 'set', 'backends.current', 'nowhere'], 'KUS4001');

    // then each is refused with a useful message or hint
    expect(immutable.stderr).toContain('the default backend is built in and cannot be changed');
    expect(unknownKey.stderr).toContain('unknown config key "backend.current"');
    expect(unknownField.stderr).toContain('did you mean "backends.team.type"?');
    expect(unknownConfig.stderr).toContain('did you mean "path"?');
    expect(badType.stderr).toContain('must be one of local, postgres, s3');
    expect(unsetCurrent.stderr).toContain('is current');
    expect(currentUnknown.stderr).toContain('backend "nowhere" is not configured');
    // and the config is unchanged
    const config = JSON.parse((await ok(project, ['config', 'list', '-o', 'json'])).stdout);
    expect(config).toEqual({ backends: { current: 'team', team: { type: 'local' } } });
  });
});
