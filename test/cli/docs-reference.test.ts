/**
 * The generated docs and editor schemas are current, and the editor schemas say what the engine says:
 * every example file passes them, typical mistakes fail them, and `kusion init` writes the same schemas
 * into a new project (from the modules the engine loads) as `npm run docs` commits (from their sources).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generatedDocs } from '../../scripts/generated-docs.js';
import { cliEntry, repoRoot } from './helpers.js';

const run = promisify(execFile);
const generated = await generatedDocs();
const schema = (name: string) => JSON.parse(generated[`schemas/${name}`] ?? 'null') as object;
const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
const validateApp = ajv.compile(schema('app-configuration.schema.json'));
const validateWorkspace = ajv.compile(schema('workspace.schema.json'));

/** Every file under examples/ with this name, recursively (node_modules skipped). */
function exampleFiles(test: (name: string) => boolean, dir = join(repoRoot, 'examples')): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? e.name === 'node_modules'
          ? []
          : exampleFiles(test, join(dir, e.name))
        : test(e.name)
          ? [join(dir, e.name)]
          : [],
    )
    .sort();
}

const modeline = /^# yaml-language-server: \$schema=(\S+)$/m;
/** Examples another team owns while the Terraform runtime lands: their content is checked, not their modeline. */
const withoutModeline = ['examples/cloud-database/'];

function expectModeline(file: string, text: string, schemaFile: string): void {
  if (withoutModeline.some((prefix) => file.startsWith(join(repoRoot, prefix)))) return;
  // A module package's own examples are copied into other projects: no path to a schema would hold there.
  if (file.includes('/modules/')) return;
  const ref = text.match(modeline)?.[1];
  expect(ref, 'missing # yaml-language-server line').toBeDefined();
  expect(resolve(dirname(file), ref ?? '')).toBe(join(repoRoot, 'schemas', schemaFile));
}

describe('generated docs and schemas', () => {
  for (const [path, content] of Object.entries(generated)) {
    it(`${path} is current (run \`npm run docs\` after changing a command or a module schema)`, async () => {
      expect(content.length).toBeGreaterThan(100);
      expect(await readFile(join(repoRoot, path), 'utf8')).toBe(content);
    });
  }

  it('the AppConfiguration reference documents every built-in module from its schema', () => {
    const reference = generated['docs/app-configuration.md'] ?? '';
    for (const name of [
      'service',
      'job',
      'network',
      'postgres',
      'mysql',
      'redis',
      'monitoring',
      'k8s-manifest',
    ])
      expect(reference).toContain(`## ${name}\n`);
    expect(reference).toContain('| `containers.<key>.image` | string | yes |');
    expect(reference).toMatch(/\| `ports\[\]\.port` \| integer \| {2}\| `80` \|/);
  });
});

describe('editor schema for main.yaml', () => {
  const mains = exampleFiles((n) => n === 'main.yaml');

  it('finds the examples', () => {
    expect(mains.length).toBeGreaterThanOrEqual(6);
  });

  for (const file of mains) {
    const rel = file.slice(repoRoot.length + 1);
    it(`${rel} passes it and names it in its modeline`, () => {
      const text = readFileSync(file, 'utf8');
      expect(validateApp(parse(text)), JSON.stringify(validateApp.errors)).toBe(true);
      expectModeline(file, text, 'app-configuration.schema.json');
    });
  }

  it('rejects a misspelt field, a wrong type and a missing workload, like generate does', () => {
    const app = (workload: object) => ({ web: { workload } });
    const ok = { module: 'service', containers: { main: { image: 'nginx:1.27' } } };
    expect(validateApp(app(ok))).toBe(true);
    expect(validateApp(app({ ...ok, replica: 2 }))).toBe(false);
    expect(validateApp(app({ ...ok, replicas: 'two' }))).toBe(false);
    expect(validateApp({ web: { accessories: {} } })).toBe(false);
    expect(
      validateApp({ web: { workload: ok, accessories: { db: { module: 'postgres', type: 'local' } } } }),
    ).toBe(false);
    // A module the schema does not know (declared in some workspace) is not second-guessed.
    expect(validateApp(app({ module: 'kafka-topic', partitions: 3 }))).toBe(true);
    expect(validateApp({ 'x-defaults': { anything: true }, web: { workload: ok } })).toBe(true);
  });
});

describe('editor schema for workspace files', () => {
  const workspaces = exampleFiles((n) => /^workspace.*\.yaml$/.test(n) || /^(dev|prod)\.yaml$/.test(n));

  for (const file of workspaces) {
    const rel = file.slice(repoRoot.length + 1);
    it(`${rel} passes it and names it in its modeline`, () => {
      const text = readFileSync(file, 'utf8');
      expect(validateWorkspace(parse(text) ?? {}), JSON.stringify(validateWorkspace.errors)).toBe(true);
      expectModeline(file, text, 'workspace.schema.json');
    });
  }

  it('rejects a misspelt platform input, a patcher without projectSelector and an unknown top-level key', () => {
    const ws = (configs: object) => ({ modules: { service: { configs } } });
    expect(
      validateWorkspace(ws({ default: { replicas: 2 }, big: { projectSelector: ['a'], replicas: 4 } })),
    ).toBe(true);
    expect(validateWorkspace(ws({ default: { replicaz: 2 } }))).toBe(false);
    expect(validateWorkspace(ws({ big: { replicas: 4 } }))).toBe(false);
    expect(validateWorkspace({ module: {} })).toBe(false);
    expect(
      validateWorkspace({ modules: { mine: { source: './mine', configs: { default: { any: 1 } } } } }),
    ).toBe(true);
  });
});

describe('kusion init', () => {
  it('writes a main.yaml naming the project schemas, and schemas equal to the committed ones', async () => {
    const base = await mkdtemp(join(tmpdir(), 'kusion-init-schemas-'));
    const env = { PATH: process.env['PATH'] ?? '', HOME: base, KUSION_HOME: join(base, 'home') };
    await run(process.execPath, [cliEntry, 'init', 'shop'], { cwd: base, env });
    const main = await readFile(join(base, 'shop/default/main.yaml'), 'utf8');
    expect(main.match(modeline)?.[1]).toBe('../schemas/app-configuration.schema.json');
    for (const name of ['app-configuration.schema.json', 'workspace.schema.json'])
      expect(await readFile(join(base, 'shop/schemas', name), 'utf8')).toBe(generated[`schemas/${name}`]);
    // The modeline is a comment: generate still reads the file.
    const { stdout } = await run(process.execPath, [cliEntry, 'generate'], {
      cwd: join(base, 'shop/default'),
      env,
    });
    expect(stdout).toContain('apps/v1:Deployment:shop:shop-default-web');
    // The template leaves replicas to the workspace, so environments differ by their workspace alone.
    await writeFile(join(base, 'prod.yaml'), 'modules: {service: {configs: {default: {replicas: 3}}}}\n');
    const prod = await run(process.execPath, [cliEntry, 'generate', '--workspace-file', '../../prod.yaml'], {
      cwd: join(base, 'shop/default'),
      env,
    });
    expect(prod.stdout).toMatch(/^ {8}replicas: 3$/m);
  });
});
