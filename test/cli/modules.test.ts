/**
 * Third-party modules through the built CLI (SPEC §4.1, §5): a TypeScript package from a local path, a
 * package installed from an npm tarball (into the stack's node_modules, and into Kusion's cache), and exec
 * modules in Python and POSIX shell speaking the JSON protocol with a scrubbed environment.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greeterModule, pythonExecModule, shellExecModule } from './fixtures.js';
import {
  assertCliBuilt,
  containersOf,
  lines,
  type PrintedSpec,
  removeProjects,
  resourceById,
  runProgram,
  shopProject,
  stackTraceLines,
} from './helpers.js';

afterAll(removeProjects);

/** Runs npm without scripts, audit or funding noise, and never against the registry. */
async function npm(args: readonly string[], cwd: string): Promise<string> {
  const result = await runProgram(
    'npm',
    [...args, '--ignore-scripts', '--no-audit', '--no-fund', '--offline'],
    {
      cwd,
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_loglevel: 'error' },
    },
  );
  if (result.code !== 0) throw new Error(`npm ${args.join(' ')} failed (${result.code}):\n${result.stderr}`);
  return result.stdout;
}

describe('a TypeScript module package from a local path', { timeout: 600_000 }, () => {
  beforeAll(assertCliBuilt);

  it('loads index.ts with its sibling lib.ts imported as ./lib.js, applies its platform configs and patcher', async () => {
    // given the greeter package beside the stack, declared by path with a version range and platform configs
    const project = await shopProject({
      ...greeterModule,
      'workspaces/prod.yaml': lines(
        'modules:',
        '  greeter:',
        '    source: ./modules/greeter',
        '    version: ^1.2.0',
        '    configs:',
        '      default: {suffix: "!"}',
      ),
      'dev/main.yaml': lines(
        'web:',
        '  workload:',
        '    module: service',
        '    containers: {main: {image: nginx:1.27}}',
        '  accessories:',
        '    hi: {module: greeter, message: there}',
      ),
    });

    // when generated and the modules listed
    const ws = ['--workspace-file', '../workspaces/prod.yaml'];
    const [generated, listed] = await Promise.all([
      project.run(['generate', '--format', 'json', ...ws]),
      project.run(['mod', 'list', '-o', 'json', ...ws]),
    ]);

    // then its resource, output and injected variable are in the spec, attributed to greeter@1.2.3
    expect(generated.code, generated.stderr).toBe(0);
    const spec = JSON.parse(generated.stdout) as PrintedSpec;
    const configMap = resourceById(spec, 'v1:ConfigMap:shop:shop-dev-web-greeting');
    expect(configMap.attributes['data']).toEqual({ text: 'hello there!' });
    expect(configMap.extensions?.['kusion.io/source']).toBe('web/hi/greeter@1.2.3');
    expect(configMap.dependsOn).toEqual(['v1:Namespace:shop']);
    expect(spec.outputs['web.hi.configMap']).toBe('shop-dev-web-greeting');
    const container = containersOf(resourceById(spec, 'apps/v1:Deployment:shop:shop-dev-web'))[0];
    expect(container?.env).toEqual([{ name: 'GREETING_CONFIGMAP', value: 'shop-dev-web-greeting' }]);
    // and mod list reports where it came from
    expect(listed.code, listed.stderr).toBe(0);
    const greeter = (JSON.parse(listed.stdout) as { name: string }[]).find((m) => m.name === 'greeter');
    expect(greeter).toMatchObject({
      source: './modules/greeter',
      requested: '^1.2.0',
      resolved: '1.2.3',
      origin: 'path',
    });
  });
});

describe('a module package installed from an npm tarball', { timeout: 600_000 }, () => {
  let tarball = '';
  let packDir = '';

  beforeAll(async () => {
    assertCliBuilt();
    // a tiny module package, packed with the ordinary npm client
    packDir = await mkdtemp(join(tmpdir(), 'kusion-cli-pack-'));
    const source = join(packDir, 'source');
    await mkdir(source, { recursive: true });
    await writeFile(
      join(source, 'package.json'),
      JSON.stringify({
        name: '@acme/kusion-banner',
        version: '2.1.4',
        type: 'module',
        exports: { '.': './index.js' },
        files: ['index.js'],
      }),
    );
    await writeFile(
      join(source, 'index.js'),
      lines(
        "import { defineModule, kubernetesResource } from '@kusion/module-sdk';",
        '',
        'export default defineModule({',
        "  name: 'banner',",
        "  version: '2.1.4',",
        "  developerSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },",
        "  platformSchema: { type: 'object', properties: { color: { type: 'string' } }, additionalProperties: false },",
        '  generate(req) {',
        "    const data = { text: req.inputs.text, color: req.platform.color ?? 'none' };",
        "    return { resources: [kubernetesResource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: req.app + '-banner', namespace: req.namespace }, data })] };",
        '  },',
        '});',
      ),
    );
    const packed = JSON.parse(await npm(['pack', '--json', '--pack-destination', packDir], source)) as {
      filename: string;
    }[];
    tarball = join(packDir, packed[0]?.filename ?? '');
  }, 300_000);

  afterAll(async () => {
    if (packDir) await rm(packDir, { recursive: true, force: true });
  });

  const bannerApp = lines(
    'web:',
    '  workload:',
    '    module: service',
    '    containers: {main: {image: nginx:1.27}}',
    '  accessories:',
    '    banner: {module: banner, text: hello}',
  );
  const bannerWorkspace = (range: string) =>
    lines(
      'modules:',
      '  banner:',
      '    source: "npm:@acme/kusion-banner"',
      `    version: "${range}"`,
      '    configs: {default: {color: blue}}',
    );

  it('resolves from the stack node_modules when the installed version satisfies the range', async () => {
    // given the tarball installed into the stack directory with npm
    const project = await shopProject({
      'dev/main.yaml': bannerApp,
      'dev/package.json': JSON.stringify({ name: 'shop-dev', private: true }),
      'workspaces/prod.yaml': bannerWorkspace('^2.1.0'),
    });
    await npm(['install', tarball], project.path('dev'));

    // when generated and listed
    const ws = ['--workspace-file', '../workspaces/prod.yaml'];
    const [generated, listed] = await Promise.all([
      project.run(['generate', '--format', 'json', ...ws]),
      project.run(['mod', 'list', ...ws]),
    ]);

    // then the module ran with its developer and platform inputs
    expect(generated.code, generated.stderr).toBe(0);
    const spec = JSON.parse(generated.stdout) as PrintedSpec;
    const banner = resourceById(spec, 'v1:ConfigMap:shop:web-banner');
    expect(banner.attributes['data']).toEqual({ text: 'hello', color: 'blue' });
    expect(banner.extensions?.['kusion.io/source']).toBe('web/banner/banner@2.1.4');
    // and mod list shows it resolved from node_modules
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(
      /^banner\s+npm:@acme\/kusion-banner\s+\^2\.1\.0\s+2\.1\.4\s+node_modules$/m,
    );
  });

  it('a range the installed version does not satisfy fails with KUS2005 or KUS2006 and a clear hint', async () => {
    // given version 2.1.4 installed but ^3.0.0 requested
    const project = await shopProject({
      'dev/main.yaml': bannerApp,
      'dev/package.json': JSON.stringify({ name: 'shop-dev', private: true }),
      'workspaces/prod.yaml': bannerWorkspace('^3.0.0'),
    });
    await npm(['install', tarball], project.path('dev'));

    // when generated
    const result = await project.run(['generate', '--workspace-file', '../workspaces/prod.yaml']);

    // then it fails at the module's declaration, naming the range, and says how to install a matching version
    expect(result.code).toBe(1);
    expect(stackTraceLines(result.stderr)).toEqual([]);
    expect(result.stderr).toMatch(/^Error KUS200[56]: workspace prod:2:3: .*\^3\.0\.0/m);
    expect(result.stderr).toMatch(/^ {2}hint: .*kusion mod pull/m);
  });

  it("resolves from Kusion's module cache when the stack has no installed copy", async () => {
    // given the tarball installed into $KUSION_HOME/modules/npm/<package>/<version>/ (where `mod pull` puts it)
    const project = await shopProject({
      'dev/main.yaml': bannerApp,
      'workspaces/prod.yaml': bannerWorkspace('~2.1.0'),
    });
    const cacheDir = join(project.kusionHome, 'modules', 'npm', '@acme', 'kusion-banner', '2.1.4');
    await mkdir(cacheDir, { recursive: true });
    await writeFile(
      join(cacheDir, 'package.json'),
      JSON.stringify({ name: 'kusion-module-cache', private: true }),
    );
    await npm(['install', tarball], cacheDir);

    // when generated and listed
    const ws = ['--workspace-file', '../workspaces/prod.yaml'];
    const [generated, listed] = await Promise.all([
      project.run(['generate', '--format', 'json', ...ws]),
      project.run(['mod', 'list', '-o', 'json', ...ws]),
    ]);

    // then the cached copy is used
    expect(generated.code, generated.stderr).toBe(0);
    expect(
      resourceById(JSON.parse(generated.stdout) as PrintedSpec, 'v1:ConfigMap:shop:web-banner').attributes[
        'data'
      ],
    ).toEqual({
      text: 'hello',
      color: 'blue',
    });
    const banner = (JSON.parse(listed.stdout) as { name: string }[]).find((m) => m.name === 'banner');
    expect(banner).toMatchObject({ resolved: '2.1.4', origin: 'cache' });
  });
});

describe('exec modules in Python and POSIX shell', { timeout: 600_000 }, () => {
  beforeAll(assertCliBuilt);

  it('speak the JSON protocol, inject env into a catalog service workload, and never see the operator env', async () => {
    // given a Python accessory and a shell accessory, declared as exec modules, with a platform config
    const project = await shopProject({
      ...pythonExecModule,
      ...shellExecModule,
      'workspaces/prod.yaml': lines(
        'modules:',
        '  pymod:',
        '    source: exec:./modules/bin/pymod',
        '    version: ">=2.0.0 <3.0.0"',
        '    configs: {default: {tier: gold}}',
        '  shmod:',
        '    source: exec:./modules/bin/shmod',
      ),
      'dev/main.yaml': lines(
        'web:',
        '  workload:',
        '    module: service',
        '    containers:',
        '      main:',
        '        image: nginx:1.27',
        '        env: {OWN: mine, SH_NS: developer-wins}',
        '  accessories:',
        '    py: {module: pymod, greeting: hola}',
        '    sh: {module: shmod, level: debug}',
      ),
    });

    // when generated by a CLI whose environment holds cloud credentials
    const ws = ['--workspace-file', '../workspaces/prod.yaml'];
    const secretEnv = { AWS_SECRET_ACCESS_KEY: 'operator-secret-key', AWS_ACCESS_KEY_ID: 'AKIAOPERATOR' };
    const [generated, listed] = await Promise.all([
      project.run(['generate', '--format', 'json', ...ws], { env: secretEnv }),
      project.run(['mod', 'list', '-o', 'json', ...ws], { env: secretEnv }),
    ]);

    // then the Python module got the request of SPEC §5.2, its platform input, and a scrubbed environment
    expect(generated.code, generated.stderr).toBe(0);
    const spec = JSON.parse(generated.stdout) as PrintedSpec;
    const seen = resourceById(spec, 'v1:ConfigMap:shop:shop-dev-web-py');
    expect(seen.attributes['data']).toEqual({
      greeting: 'hola',
      tier: 'gold',
      role: 'accessory',
      accessory: 'py',
      apiVersion: 'kusion.io/module/v1',
      moduleApi: 'v1',
      awsSecret: 'unset',
      kubeconfig: 'unset',
      cwd: 'dev',
    });
    expect(seen.extensions?.['kusion.io/source']).toBe('web/py/pymod@2.0.0');
    expect(spec.outputs['web.py.configMap']).toBe('shop-dev-web-py');
    // and both modules' variables are prepended in invocation order; the developer's own SH_NS wins
    const container = containersOf(resourceById(spec, 'apps/v1:Deployment:shop:shop-dev-web'))[0];
    expect(container?.env).toEqual([
      { name: 'PY_GREETING', value: 'hola' },
      { name: 'SH_APP', value: 'web' },
      { name: 'SH_SAW_SECRET', value: 'unset' },
      { name: 'OWN', value: 'mine' },
      { name: 'SH_NS', value: 'developer-wins' },
    ]);
    expect(generated.stdout).not.toContain('operator-secret-key');
    expect(generated.stderr).toContain('Warning KUS3013');
    // and mod list describes both through the protocol
    expect(listed.code, listed.stderr).toBe(0);
    const modules = JSON.parse(listed.stdout) as { name: string }[];
    expect(modules.find((m) => m.name === 'pymod')).toMatchObject({
      resolved: '2.0.0',
      origin: 'exec',
      requested: '>=2.0.0 <3.0.0',
    });
    expect(modules.find((m) => m.name === 'shmod')).toMatchObject({ resolved: '0.1.0', origin: 'exec' });
  });

  it('an exec workload module may leave its single resource unmarked', async () => {
    // given an exec module used as the workload, emitting one Deployment without the workload mark
    const project = await shopProject({
      'modules/bin/deploy': {
        mode: 0o755,
        content: lines(
          '#!/bin/sh',
          'if [ "$1" = describe ]; then',
          '  echo \'{"name":"deploy","version":"1.0.0","developerSchema":{"type":"object"},"platformSchema":{"type":"object"}}\'',
          '  exit 0',
          'fi',
          'cat >/dev/null',
          'echo \'{"resources":[{"id":"apps/v1:Deployment:shop:legacy","type":"Kubernetes","attributes":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"legacy","namespace":"shop"},"spec":{"template":{"spec":{"containers":[{"name":"app","image":"busybox"}]}}}}}]}\'',
        ),
      },
      'workspaces/prod.yaml': lines('modules:', '  deploy: {source: "exec:./modules/bin/deploy"}'),
      'dev/main.yaml': lines('legacy:', '  workload: {module: deploy}', '  labels: {team: legacy}'),
    });

    // when generated
    const result = await project.run([
      'generate',
      '--format',
      'json',
      '--workspace-file',
      '../workspaces/prod.yaml',
    ]);

    // then the Deployment is taken as the workload and gets the app labels on its pod template
    expect(result.code, result.stderr).toBe(0);
    const deployment = resourceById(
      JSON.parse(result.stdout) as PrintedSpec,
      'apps/v1:Deployment:shop:legacy',
    );
    expect(deployment.extensions?.['kusion.io/is-workload']).toBe(true);
    expect(JSON.stringify(deployment.attributes)).toContain('"team":"legacy"');
  });
});
