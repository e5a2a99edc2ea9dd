import { readdirSync, readFileSync } from 'node:fs';
import { isModuleDefinition } from '@kusion/module-sdk';
import { describe, expect, it } from 'vitest';
import { builtinModuleNames, catalogVersion, k8sManifest, network, postgres, service } from './index.js';
import jobModule from './job/index.js';
import k8sManifestModule from './k8s-manifest/index.js';
import monitoringModule from './monitoring/index.js';
import mysqlModule from './mysql/index.js';
import networkModule from './network/index.js';
import postgresModule from './postgres/index.js';
import redisModule from './redis/index.js';
import serviceModule from './service/index.js';

/** The default export of each folder's `index.ts`, as the engine loads it from `dist/<name>/index.js`. */
const defaultExports: Record<string, unknown> = {
  job: jobModule,
  'k8s-manifest': k8sManifestModule,
  monitoring: monitoringModule,
  mysql: mysqlModule,
  network: networkModule,
  postgres: postgresModule,
  redis: redisModule,
  service: serviceModule,
};

const srcDir = new URL('.', import.meta.url);

/** Folders holding an `index.ts`: exactly what the engine lists as built-ins in `dist`. */
function moduleFolders(): string[] {
  return readdirSync(srcDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .filter((entry) => readdirSync(new URL(`${entry.name}/`, srcDir)).includes('index.ts'))
    .map((entry) => entry.name)
    .sort();
}

describe('catalog', () => {
  it('lists every module folder, sorted, and nothing else has an index', () => {
    expect([...builtinModuleNames]).toEqual(moduleFolders());
  });

  it('default-exports from each folder a module definition of that name and the catalog version', () => {
    expect(Object.keys(defaultExports)).toEqual([...builtinModuleNames]);
    for (const name of builtinModuleNames) {
      const definition = defaultExports[name];
      expect(isModuleDefinition(definition), name).toBe(true);
      expect(definition).toMatchObject({ name, version: catalogVersion, apiVersion: 'kusion.io/module/v1' });
    }
  });

  it('has the version of its package', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(catalogVersion).toBe(pkg.version);
  });

  it('builders return {module, ...inputs} under the module name', () => {
    expect(service({ containers: { main: { image: 'nginx:1.27' } } })).toEqual({
      module: 'service',
      containers: { main: { image: 'nginx:1.27' } },
    });
    expect(network({ ports: [{ port: 80 }] }).module).toBe('network');
    expect(postgres({ type: 'local', version: '16' }).module).toBe('postgres');
    expect(k8sManifest({ paths: ['a.yaml'] }).module).toBe('k8s-manifest');
  });

  it('keeps the builders cheap: index.ts imports module folders for types only', () => {
    const source = readFileSync(new URL('index.ts', srcDir), 'utf8');
    const runtimeImports = [...source.matchAll(/^import (?!type )[^;]*from '([^']+)'/gm)].map(
      (match) => match[1],
    );
    expect(runtimeImports).toEqual(['@kusion/module-sdk']);
  });
});
