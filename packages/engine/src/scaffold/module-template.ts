import type { FileSet } from './stack-templates.js';

/**
 * The package `kusion mod init` writes: a TypeScript module with zod schemas, a golden-file test and a
 * determinism test, an example workspace block and an example main.yaml (SPEC §16.2).
 */
export function moduleFiles(name: string, sdkVersion: string): FileSet {
  return {
    'package.json': `${JSON.stringify(
      {
        name: `kusion-module-${name}`,
        version: '0.1.0',
        description: `Kusion module ${name}`,
        type: 'module',
        exports: { '.': './src/index.ts' },
        files: ['src', '!src/**/*.test.ts'],
        scripts: { test: 'node --import tsx --test src/*.test.ts' },
        dependencies: { '@kusion/module-sdk': sdkVersion, zod: '^4.6.0' },
        devDependencies: { tsx: '^4.23.0', typescript: '~6.0.3', '@types/node': '^20.0.0' },
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `${JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true }, include: ['src'] }, null, 2)}\n`,
    'src/index.ts': `import { accessoryInstanceName, appLabels, defineModule, kubernetesResource } from '@kusion/module-sdk';
import { z } from 'zod';

/** What app developers write in main.yaml under this accessory. */
export const DeveloperInputs = z.strictObject({
  greeting: z.string().default('hello').describe('the greeting to publish'),
});

/** What platform engineers set in the workspace under modules.${name}.configs. */
export const PlatformInputs = z.strictObject({
  audience: z.string().default('world').describe('who is greeted in this environment'),
});

/** A pure function of its request: same request, same bytes. No clock, randomness, network or env. */
export default defineModule<z.output<typeof DeveloperInputs>, z.output<typeof PlatformInputs>>({
  name: '${name}',
  version: '0.1.0',
  developerSchema: DeveloperInputs,
  platformSchema: PlatformInputs,
  generate(req) {
    const configMapName = accessoryInstanceName(req, '${name}');
    const configMap = kubernetesResource({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: configMapName, namespace: req.namespace, labels: appLabels(req) },
      data: { message: \`\${req.inputs.greeting}, \${req.platform.audience}\` },
    });
    return {
      resources: [configMap],
      patcher: { environments: [{ name: 'GREETING', valueFrom: { configMapKeyRef: { name: configMapName, key: 'message' } } }] },
      outputs: { configMap: configMapName },
    };
  },
});
`,
    'src/index.test.ts': `import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { assertDeterministic, testRequest } from '@kusion/module-sdk/testing';
import module from './index.js';

const request = testRequest({ role: 'accessory', accessory: '${name}', inputs: { greeting: 'hi' }, platform: { audience: 'team' } });

test('generate matches the golden file', async () => {
  const result = await module.generate(request);
  const actual = \`\${JSON.stringify(result, null, 2)}\\n\`;
  const golden = new URL('./golden.json', import.meta.url);
  if (process.env.UPDATE_GOLDEN) await writeFile(golden, actual);
  assert.equal(actual, await readFile(golden, 'utf8'));
});

test('generate is deterministic', async () => {
  await assertDeterministic(module, request);
});
`,
    'src/golden.json': `${JSON.stringify(goldenOf(name), null, 2)}\n`,
    'examples/workspace.yaml': `# Declare the module once, in the workspace (kusion workspace create dev -f examples/workspace.yaml)
modules:
  ${name}:
    source: ./path/to/this/package   # or npm:kusion-module-${name} with a version range once published
    configs:
      default:
        audience: world
`,
    'examples/main.yaml': `web:
  workload:
    module: service
    containers:
      main: {image: nginxinc/nginx-unprivileged:1.27}
  accessories:
    ${name}:
      module: ${name}
      greeting: hello
`,
    'README.md': `# kusion-module-${name}

A Kusion module. \`src/index.ts\` holds its schemas and its pure \`generate\`.

- Test: \`npm install && npm test\` (golden file and determinism; refresh the golden file with \`UPDATE_GOLDEN=1 npm test\`).
  If \`npm install\` cannot find \`@kusion/module-sdk\` (it is not on the public registry yet), install the SDK's
  tarball first: \`npm install <path>/kusion-module-sdk-<version>.tgz\` (Kusion's docs/module-authoring.md).
- Use it: declare it in a workspace (\`examples/workspace.yaml\`) and name it in a stack's \`main.yaml\` (\`examples/main.yaml\`).
- Publish: \`npm publish\`, then declare \`source: npm:kusion-module-${name}\` with a \`version\` range and run \`kusion mod pull\`.
`,
  };
}

/** The golden result of the scaffolded module for its test request (project shop, stack prod, app web). */
function goldenOf(name: string): unknown {
  const instance = `shop-prod-web-${name}`;
  return {
    resources: [
      {
        id: `v1:ConfigMap:shop:${instance}`,
        type: 'Kubernetes',
        attributes: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: instance,
            namespace: 'shop',
            labels: {
              'app.kubernetes.io/part-of': 'shop',
              'app.kubernetes.io/name': 'web',
              'app.kubernetes.io/instance': 'shop-prod-web',
            },
          },
          data: { message: 'hi, team' },
        },
        extensions: { GVK: 'v1, Kind=ConfigMap' },
      },
    ],
    patcher: {
      environments: [
        { name: 'GREETING', valueFrom: { configMapKeyRef: { name: instance, key: 'message' } } },
      ],
    },
    outputs: { configMap: instance },
  };
}
