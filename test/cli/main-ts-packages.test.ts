/**
 * main.ts imports of a third-party module package resolve to the version the workspace selected (SPEC §3.4,
 * §5.5), not to whichever copy Node would find from the stack directory.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertCliBuilt,
  lines,
  type PrintedSpec,
  removeProjects,
  resourceById,
  shopProject,
} from './helpers.js';

afterAll(removeProjects);

/** A module package `@acme/kusion-banner` of this version, with a builder and its version for main.ts. */
async function writeBannerPackage(dir: string, version: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: '@acme/kusion-banner', version, type: 'module', exports: { '.': './index.js' } }),
  );
  await writeFile(
    join(dir, 'index.js'),
    lines(
      "import { defineModule, kubernetesResource } from '@kusion/module-sdk';",
      `export const bannerVersion = '${version}';`,
      "export const banner = (inputs) => ({ module: 'banner', ...inputs });",
      'export default defineModule({',
      "  name: 'banner',",
      `  version: '${version}',`,
      "  developerSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },",
      "  platformSchema: { type: 'object', additionalProperties: false },",
      '  generate(req) {',
      "    return { resources: [kubernetesResource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: req.app + '-banner', namespace: req.namespace }, data: { text: req.inputs.text } })] };",
      '  },',
      '});',
    ),
  );
}

describe('main.ts imports of a module package', { timeout: 300_000 }, () => {
  beforeAll(assertCliBuilt);

  it("resolve to the workspace's version from Kusion's cache, though the stack has another installed", async () => {
    // given 2.1.4 installed beside the stack (where Node would look) and 3.0.0 in Kusion's module cache
    const project = await shopProject({
      'dev/main.ts': lines(
        "import { defineApps } from '@kusion/module-sdk';",
        "import { service } from '@kusion/catalog';",
        "import { banner, bannerVersion } from '@acme/kusion-banner';",
        'export default defineApps({',
        '  web: {',
        "    workload: service({ containers: { main: { image: 'nginx:1.27' } } }),",
        '    accessories: { banner: banner({ text: `built with ${bannerVersion}` }) },',
        '  },',
        '});',
      ),
      'workspaces/prod.yaml': lines(
        'modules:',
        '  banner:',
        '    source: "npm:@acme/kusion-banner"',
        '    version: "^3.0.0"',
      ),
    });
    await writeBannerPackage(project.path('dev/node_modules/@acme/kusion-banner'), '2.1.4');
    const cached = join(project.kusionHome, 'modules/npm/@acme/kusion-banner/3.0.0');
    await writeBannerPackage(join(cached, 'node_modules/@acme/kusion-banner'), '3.0.0');

    // when generated with the workspace that asks for ^3.0.0
    const result = await project.run([
      'generate',
      '--format',
      'json',
      '--workspace-file',
      '../workspaces/prod.yaml',
    ]);

    // then main.ts built its inputs with 3.0.0, the module that generated them
    expect(result.code, result.stderr).toBe(0);
    const configMap = resourceById(JSON.parse(result.stdout) as PrintedSpec, 'v1:ConfigMap:shop:web-banner');
    expect(configMap.attributes['data']).toEqual({ text: 'built with 3.0.0' });
    expect(configMap.extensions?.['kusion.io/source']).toBe('web/banner/banner@3.0.0');
  });
});
