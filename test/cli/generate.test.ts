/**
 * `kusion generate` through the built CLI (SPEC §3.3, §3.4, §7.5, §8, §16.2): both AppConfiguration forms,
 * arguments, output formats and files, workspace files, determinism and masking.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { probeModule, probeWorkspace } from './fixtures.js';
import {
  assertCliBuilt,
  containersOf,
  lines,
  type PrintedSpec,
  removeProjects,
  resourceById,
  shopProject,
  stackTraceLines,
} from './helpers.js';

beforeAll(assertCliBuilt);
afterAll(removeProjects);

/** Two apps in YAML form: a service with a network accessory, and a cron job. `-D tag` picks the image. */
const appsYaml = lines(
  'x-image: &busybox busybox:1.36',
  'web:',
  '  workload:',
  '    module: service',
  '    replicas: 2',
  '    containers:',
  '      main:',
  '        image: "nginx:${{ args.tag }}"',
  '        env: {MODE: prod, API_TOKEN: secret://api-token/token}',
  '        resources: {cpu: 250m-500m, memory: 256Mi}',
  '    secrets: {api-token: {type: token}}',
  '  accessories:',
  '    net: {module: network, ports: [{port: 80, targetPort: 8080}]}',
  '  labels: {team: shop}',
  'worker:',
  '  workload:',
  '    module: job',
  '    schedule: "0 * * * *"',
  '    containers: {main: {image: *busybox, command: [sh, -c, echo hi]}}',
);

/** The same apps in TypeScript form (SPEC §3.4). */
const appsTs = lines(
  "import { args, defineApps } from '@kusion/module-sdk';",
  "import { job, network, service } from '@kusion/catalog';",
  '',
  "const busybox = 'busybox:1.36';",
  '',
  'export default defineApps({',
  '  worker: {',
  "    workload: job({ schedule: '0 * * * *', containers: { main: { image: busybox, command: ['sh', '-c', 'echo hi'] } } }),",
  '  },',
  '  web: {',
  '    workload: service({',
  '      replicas: 2,',
  '      containers: {',
  '        main: {',
  "          image: 'nginx:' + args().tag,",
  "          env: { MODE: 'prod', API_TOKEN: 'secret://api-token/token' },",
  "          resources: { cpu: '250m-500m', memory: '256Mi' },",
  '        },',
  '      },',
  "      secrets: { 'api-token': { type: 'token' } },",
  '    }),',
  '    accessories: { net: network({ ports: [{ port: 80, targetPort: 8080 }] }) },',
  "    labels: { team: 'shop' },",
  '  },',
  '});',
);

// The machines running this suite are small and shared: CLI runs queue behind each other (see helpers.ts).
describe.concurrent('kusion generate', { timeout: 600_000 }, () => {
  it('main.yaml and main.ts give the same spec for the same apps and -D arguments', async () => {
    // given the same two apps as main.yaml in one project and as main.ts in another
    const [yamlProject, tsProject] = await Promise.all([
      shopProject({ 'dev/main.yaml': appsYaml }),
      shopProject({ 'dev/main.ts': appsTs }),
    ]);

    // when both are generated with the same argument
    const [fromYaml, fromTs] = await Promise.all([
      yamlProject.run(['generate', '-D', 'tag=1.27']),
      tsProject.run(['generate', '-D', 'tag=1.27']),
    ]);

    // then both succeed and print byte-identical specs
    expect(fromYaml.code, fromYaml.stderr).toBe(0);
    expect(fromTs.code, fromTs.stderr).toBe(0);
    expect(fromTs.stdout).toBe(fromYaml.stdout);

    // and the argument reached the image in both forms
    const spec = parseYaml(fromTs.stdout) as PrintedSpec;
    const web = resourceById(spec, 'apps/v1:Deployment:shop:shop-dev-web');
    expect(containersOf(web)[0]?.name).toBe('main');
    expect(JSON.stringify(web.attributes)).toContain('"image":"nginx:1.27"');
    expect(resourceById(spec, 'batch/v1:CronJob:shop:shop-dev-worker').attributes['kind']).toBe('CronJob');
    expect(spec.outputs).toEqual({ 'web.net.privateHost': 'shop-dev-web-private.shop.svc' });
  });

  it('-D values are interpolated into ${{ args.key }}, and repeated -D flags all apply', async () => {
    // given a main.yaml using two arguments
    const project = await shopProject({
      'dev/main.yaml': lines(
        'web:',
        '  workload:',
        '    module: service',
        '    containers: {main: {image: "${{ args.registry }}/web:${{ args.tag }}"}}',
      ),
    });

    // when generated with both arguments
    const result = await project.run(['generate', '-D', 'registry=ghcr.io/acme', '-D', 'tag=2.0.1']);

    // then the image holds both values
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('image: ghcr.io/acme/web:2.0.1');
    expect(result.stdout).not.toContain('${{');
  });

  it('--format json prints the same spec as YAML, as canonical JSON', async () => {
    // given a stack
    const project = await shopProject({ 'dev/main.yaml': appsYaml });

    // when generated as YAML and as JSON
    const [asYaml, asJson] = await Promise.all([
      project.run(['generate', '-D', 'tag=1.27']),
      project.run(['generate', '-D', 'tag=1.27', '--format', 'json']),
    ]);

    // then both succeed and hold the same document
    expect(asYaml.code, asYaml.stderr).toBe(0);
    expect(asJson.code, asJson.stderr).toBe(0);
    const fromJson = JSON.parse(asJson.stdout) as PrintedSpec;
    expect(fromJson).toEqual(parseYaml(asYaml.stdout));
    // and the JSON is canonical: 2-space indent, sorted keys, final newline, resources sorted by ID
    expect(asJson.stdout).toBe(`${JSON.stringify(fromJson, null, 2)}\n`);
    expect(Object.keys(fromJson)).toEqual(['context', 'outputs', 'resources', 'secretStore']);
    const ids = fromJson.resources.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
  });

  it('-o <file> writes the spec to the file and nothing to stdout', async () => {
    // given a stack
    const project = await shopProject({ 'dev/main.yaml': appsYaml });

    // when generated to a file, and to stdout
    const [toFile, toStdout] = await Promise.all([
      project.run(['generate', '-D', 'tag=1.27', '-o', 'spec.yaml']),
      project.run(['generate', '-D', 'tag=1.27']),
    ]);

    // then the file holds exactly what stdout would
    expect(toFile.code, toFile.stderr).toBe(0);
    expect(toFile.stdout).toBe('');
    expect(await readFile(project.path('dev/spec.yaml'), 'utf8')).toBe(toStdout.stdout);
  });

  it('--workspace-file applies the platform configs of that workspace, patcher block over default', async () => {
    // given a workspace file whose service configs set replicas and labels, with a patcher for project shop
    const project = await shopProject({
      'dev/main.yaml': lines(
        'web:',
        '  workload:',
        '    module: service',
        '    containers: {main: {image: nginx:1.27}}',
      ),
      'workspaces/staging.yaml': lines(
        'modules:',
        '  service:',
        '    configs:',
        '      default: {replicas: 2, labels: {env: staging, tier: web}}',
        '      shop:',
        '        projectSelector: [shop]',
        '        replicas: 5',
        '        labels: {tier: null, owner: shop-team}',
        'context: {REGION: eu-west-1}',
      ),
    });

    // when generated with that workspace file
    const result = await project.run([
      'generate',
      '--workspace-file',
      '../workspaces/staging.yaml',
      '--format',
      'json',
    ]);

    // then the patcher block wins, maps merge, null deletes, and the context is copied
    expect(result.code, result.stderr).toBe(0);
    const spec = JSON.parse(result.stdout) as PrintedSpec;
    const deployment = resourceById(spec, 'apps/v1:Deployment:shop:shop-dev-web');
    expect((deployment.attributes['spec'] as { replicas: number }).replicas).toBe(5);
    const labels = (deployment.attributes['metadata'] as { labels: Record<string, string> }).labels;
    expect(labels).toMatchObject({ env: 'staging', owner: 'shop-team' });
    expect(labels).not.toHaveProperty('tier');
    expect(spec.context).toEqual({ REGION: 'eu-west-1' });
  });

  it('--verify-determinism passes for a deterministic stack and prints the same spec', async () => {
    // given a stack with catalog modules
    const project = await shopProject({ 'dev/main.yaml': appsYaml });

    // when generated with and without the check
    const [checked, plain] = await Promise.all([
      project.run(['generate', '-D', 'tag=1.27', '--verify-determinism']),
      project.run(['generate', '-D', 'tag=1.27']),
    ]);

    // then the check passes and changes nothing
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toBe(plain.stdout);
  });

  it('--verify-determinism fails with KUS3014 when a module reads a clock the guards do not cover', async () => {
    // given a module whose resource name comes from performance.now()
    const project = await shopProject({
      ...probeModule,
      'workspaces/prod.yaml': probeWorkspace,
      'dev/main.yaml': lines(
        'web:',
        '  workload: {module: service, containers: {main: {image: nginx}}}',
        '  accessories: {one: {module: probe, mode: clock}}',
      ),
    });

    // when generated with the check
    const result = await project.run([
      'generate',
      '--verify-determinism',
      '--workspace-file',
      '../workspaces/prod.yaml',
    ]);

    // then the two runs differ and generate fails
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^Error KUS3014: /m);
    expect(stackTraceLines(result.stderr)).toEqual([]);
    expect(result.stdout).toBe('');
  });

  it('generating twice in two processes gives byte-identical output', async () => {
    // given a stack with secrets, derived values, outputs and two apps
    const project = await shopProject({ 'dev/main.yaml': appsYaml });

    // when generated by two separate processes
    const first = await project.run(['generate', '-D', 'tag=1.27']);
    const second = await project.run(['generate', '-D', 'tag=1.27']);

    // then the bytes are the same, LF-terminated, with the derived secret placeholder (never a random value)
    expect(first.code, first.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout.endsWith('\n')).toBe(true);
    expect(first.stdout).not.toContain('\r');
    expect(first.stdout).toContain('token: $kusion_derived.43.shop/dev/web/workload/secrets/api-token/token');
  });

  it('an empty main.yaml generates an empty spec', async () => {
    // given a stack with no apps
    const project = await shopProject({ 'dev/main.yaml': '# nothing yet\n' });

    // when generated
    const result = await project.run(['generate', '--format', 'json']);

    // then the spec has no resources, not even the namespace
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ context: {}, outputs: {}, resources: [], secretStore: null });
  });

  it('sensitive literal values are masked in the printed spec; references are kept', async () => {
    // given literal secret data, a literal sensitive context value, and references of every kind
    const project = await shopProject({
      'dev/main.yaml': lines(
        'web:',
        '  workload:',
        '    module: service',
        '    containers: {main: {image: nginx:1.27, env: {DB_PASSWORD: secret://db/password}}}',
        '    secrets:',
        '      db: {type: opaque, data: {password: hunter2-literal-pw, user: admin}}',
        '      token: {type: token}',
        '      cloud: {type: external, data: {key: "ref://ci/cloud/key"}}',
      ),
      'workspaces/prod.yaml': lines(
        'secretStore:',
        '  provider:',
        '    fake: {data: [{key: ci, valueMap: {cloud: "{}"}}]}',
        'context:',
        '  AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI-literal',
        '  GITHUB_TOKEN: ref://ci/github/token',
        '  AWS_REGION: eu-west-1',
      ),
    });

    // when generated as YAML, as JSON, and to a file
    const args = ['generate', '--workspace-file', '../workspaces/prod.yaml'];
    const [asYaml, asJson, toFile] = await Promise.all([
      project.run(args),
      project.run([...args, '--format', 'json']),
      project.run([...args, '-o', 'spec.yaml']),
    ]);

    // then no literal secret appears anywhere
    for (const result of [asYaml, asJson, toFile]) expect(result.code, result.stderr).toBe(0);
    const written = await project.read('dev/spec.yaml');
    for (const text of [asYaml.stdout, asJson.stdout, asYaml.stderr, written]) {
      expect(text).not.toContain('hunter2-literal-pw');
      expect(text).not.toContain('wJalrXUtnFEMI-literal');
    }
    // and the masked values are marked, while references and non-sensitive values stay readable
    const spec = JSON.parse(asJson.stdout) as PrintedSpec;
    const db = resourceById(spec, 'v1:Secret:shop:db').attributes;
    expect(JSON.stringify(db)).not.toContain('admin');
    expect(spec.context['AWS_SECRET_ACCESS_KEY']).not.toBe('wJalrXUtnFEMI-literal');
    expect(spec.context['GITHUB_TOKEN']).toBe('ref://ci/github/token');
    expect(spec.context['AWS_REGION']).toBe('eu-west-1');
    expect(JSON.stringify(resourceById(spec, 'v1:Secret:shop:cloud').attributes)).toContain(
      'ref://ci/cloud/key',
    );
    expect(JSON.stringify(resourceById(spec, 'v1:Secret:shop:token').attributes)).toContain(
      '$kusion_derived.43.',
    );
    expect(written).toBe(asYaml.stdout);
  });
});
