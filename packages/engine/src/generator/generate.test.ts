import {
  defineModule,
  envName,
  kubernetesResource,
  terraformResource,
  uniqueAppName,
} from '@kusion/module-sdk';
import { describe, expect, it } from 'vitest';
import { parseYaml, readAppConfiguration } from '../config/index.js';
import { parseWorkspace } from '../config/workspace.js';
import type { JsonObject, StackContext } from '../model/index.js';
import type { LoadedModule, ModuleProvider } from '../modules/index.js';
import { toCanonicalYaml } from './canonical.js';
import { generateSpec } from './generate.js';

const open = { type: 'object' };

/** A tiny workload module: a Deployment per app, marked as the workload. */
const workload = defineModule({
  name: 'service',
  version: '1.0.0',
  developerSchema: {
    type: 'object',
    properties: { image: { type: 'string' }, replicas: { type: 'integer', default: 1 }, secrets: open },
  },
  platformSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { replicas: { type: 'integer' } },
  },
  generate: (req) => ({
    resources: [
      kubernetesResource(
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: uniqueAppName(req), namespace: req.namespace },
          spec: {
            replicas: (req.platform['replicas'] ?? req.inputs['replicas']) as number,
            template: {
              spec: {
                containers: [
                  {
                    name: 'main',
                    image: req.inputs['image'] as string,
                    env: [
                      { name: 'OWN', value: 'x' },
                      { name: 'KUSION_DB_HOST_SHOP_PROD_WEB_DB', value: 'mine' },
                    ],
                  },
                ],
              },
            },
          },
        },
        { workload: true },
      ),
    ],
  }),
});

/** A tiny accessory: a Terraform password plus a Secret referencing it, and injected env. */
const database = defineModule({
  name: 'database',
  version: '2.0.0',
  developerSchema: open,
  platformSchema: open,
  generate: (req) => {
    const name = `${uniqueAppName(req)}-${req.accessory}`;
    const password = terraformResource({
      provider: { source: 'hashicorp/random', version: '3.6.0' },
      type: 'random_password',
      name,
      attributes: { length: 16 },
    });
    return {
      resources: [
        password,
        kubernetesResource({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name, namespace: req.namespace },
          stringData: { password: `$kusion_path.${password.id}.result` },
        }),
      ],
      patcher: {
        environments: [
          { name: envName('DB', 'HOST', name), valueFrom: { secretKeyRef: { name, key: 'hostAddress' } } },
          { name: envName('DB', 'PASSWORD', name), valueFrom: { secretKeyRef: { name, key: 'password' } } },
        ],
        podLabels: { 'db-client': 'true' },
      },
      outputs: { host: `${name}.${req.namespace}.svc` },
    };
  },
});

function provider(...definitions: (typeof workload | typeof database)[]): ModuleProvider {
  const byName = new Map(definitions.map((d) => [d.name, d]));
  return {
    async load(name) {
      const d = byName.get(name);
      if (!d) throw Object.assign(new Error(`module "${name}" is not declared`), { code: 'KUS2004' });
      return {
        name: d.name,
        version: d.version,
        source: 'builtin',
        origin: 'builtin',
        isExec: false,
        developerSchema: d.developerJsonSchema,
        platformSchema: d.platformJsonSchema,
        generate: async (request: JsonObject) =>
          JSON.parse(JSON.stringify(await d.generate({ ...request, readFile: () => '' } as never))),
      } satisfies LoadedModule;
    },
  };
}

const stack: StackContext = {
  projectDir: '/p',
  stackDir: '/p/prod',
  project: { name: 'shop' },
  stack: { name: 'prod' },
  namespace: 'shop',
  createNamespace: true,
  metadata: { labels: { owner: 'platform' }, annotations: {} },
};

async function run(mainYaml: string, workspaceYaml = '') {
  const apps = readAppConfiguration(parseYaml(mainYaml, 'main.yaml').document);
  const parsed = parseWorkspace('prod', workspaceYaml, { builtinModules: ['service', 'database'] });
  if (!parsed.workspace || !parsed.document) throw new Error(JSON.stringify(parsed.diagnostics));
  return generateSpec({
    stack,
    apps,
    workspace: parsed.workspace,
    workspaceDocument: parsed.document,
    modules: provider(workload, database),
    builtinModules: ['database', 'service'],
  });
}

const main = `web:
  workload:
    module: service
    image: nginx:1.27
    secrets: {api-token: {type: token}}
  accessories:
    db: {module: database}
  labels: {team: shop}
`;

describe('generateSpec', () => {
  it('produces a sorted spec with namespace, workload secrets, patched workload and inferred dependencies', async () => {
    const { spec, modules, warnings } = await run(main);
    expect(spec.resources.map((r) => r.id)).toEqual([
      'apps/v1:Deployment:shop:shop-prod-web',
      'hashicorp:random:random_password:shop-prod-web-db',
      'v1:Namespace:shop',
      'v1:Secret:shop:api-token',
      'v1:Secret:shop:shop-prod-web-db',
    ]);
    const deployment = spec.resources[0];
    const container = (
      deployment!.attributes as {
        spec: { template: { spec: { containers: { env: { name: string }[] }[] } } };
      }
    ).spec.template.spec.containers[0];
    // Injected env is prepended; the developer's own var of the same name wins (warning KUS3013).
    expect(container?.env.map((e) => e.name)).toEqual([
      'KUSION_DB_PASSWORD_SHOP_PROD_WEB_DB',
      'OWN',
      'KUSION_DB_HOST_SHOP_PROD_WEB_DB',
    ]);
    expect(warnings.map((w) => w.code)).toEqual(['KUS3013']);
    expect(deployment?.dependsOn).toEqual(['v1:Namespace:shop', 'v1:Secret:shop:shop-prod-web-db']);
    expect(deployment?.extensions?.['kusion.io/source']).toBe('web/workload/service@1.0.0');
    expect(spec.resources[4]?.dependsOn).toEqual([
      'hashicorp:random:random_password:shop-prod-web-db',
      'v1:Namespace:shop',
    ]);
    expect(spec.outputs).toEqual({ 'web.db.host': 'shop-prod-web-db.shop.svc' });
    expect(modules).toEqual({
      database: { source: 'builtin', version: '2.0.0' },
      service: { source: 'builtin', version: '1.0.0' },
    });
  });

  it('adds app labels and kubernetesMetadata where absent, including the pod template', async () => {
    const { spec } = await run(main);
    const deployment = spec.resources[0]!.attributes as {
      metadata: { labels: object };
      spec: { template: { metadata: { labels: object } } };
    };
    expect(deployment.metadata.labels).toEqual({ owner: 'platform', team: 'shop' });
    expect(deployment.spec.template.metadata.labels).toEqual({
      'db-client': 'true',
      owner: 'platform',
      team: 'shop',
    });
  });

  it('emits token secrets as stable derived placeholders, never random values', async () => {
    const { spec } = await run(main);
    const secret = spec.resources.find((r) => r.id === 'v1:Secret:shop:api-token')?.attributes;
    expect(secret?.['stringData']).toEqual({
      token: '$kusion_derived.43.shop/prod/web/workload/secrets/api-token/token',
    });
  });

  it('applies platform inputs from the patcher block selecting the project, and import IDs', async () => {
    const { spec } = await run(
      main,
      `modules:
  service:
    configs:
      default: {replicas: 2}
      shop: {projectSelector: [shop], replicas: 5, importedResources: {"v1:Secret:shop:api-token": "shop/api-token"}}
`,
    );
    expect((spec.resources[0]!.attributes as { spec: { replicas: number } }).spec.replicas).toBe(5);
    expect(
      spec.resources.find((r) => r.id === 'v1:Secret:shop:api-token')?.extensions?.[
        'kusionstack.io/import-id'
      ],
    ).toBe('shop/api-token');
  });

  it('reports invalid platform inputs located in the workspace', async () => {
    await expect(
      run(main, 'modules:\n  service:\n    configs:\n      default: {replica: 2}\n'),
    ).rejects.toMatchObject({
      code: 'KUS3002',
      location: 'workspace prod:4:17',
      hints: ['did you mean "replicas"?'],
    });
  });

  it('is byte-identical across runs', async () => {
    const a = toCanonicalYaml((await run(main)).spec);
    const b = toCanonicalYaml((await run(main)).spec);
    expect(a).toBe(b);
  });

  it('generates an empty spec for zero apps', async () => {
    expect((await run('')).spec.resources).toEqual([]);
  });

  it('attaches health policies to the workload and rejects ones that do not compile (KUS3012)', async () => {
    const { spec } = await run(
      main,
      'modules:\n  service:\n    configs:\n      default: {healthPolicy: {cel: "res.status.readyReplicas == res.spec.replicas"}}\n',
    );
    expect(spec.resources[0]?.extensions?.['healthPolicy']).toEqual({
      cel: 'res.status.readyReplicas == res.spec.replicas',
    });
    await expect(
      run(main, 'modules:\n  service:\n    configs:\n      default: {healthPolicy: {cel: "res.status >"}}\n'),
    ).rejects.toMatchObject({ code: 'KUS3012' });
  });
});
