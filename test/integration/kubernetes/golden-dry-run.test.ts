/**
 * Every Kubernetes object of every golden spec (examples and catalog modules) is accepted by the real
 * kube-apiserver through server-side apply with dryRun=All, moved into this suite's namespace. Custom
 * resources without their CRD on the cluster are counted, not silently passed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { useNamespace } from '../../testbed/index.js';

const testbed = inject('testbed');
const ns = useNamespace('golden-dry-run');
const root = new URL('../../../', import.meta.url).pathname;
const config = new KubeConfig();
config.loadFromFile(testbed.kubernetes.kubeconfig);
const api = KubernetesObjectApi.makeApiClient(config);

interface GoldenResource {
  id: string;
  type: string;
  attributes: KubernetesObject & { metadata: { name: string; namespace?: string } };
}

function goldenFiles(): string[] {
  const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) =>
      readdirSync(join(root, 'examples', e.name), { withFileTypes: true })
        .filter((s) => s.isDirectory())
        .map((s) => join('examples', e.name, s.name, 'spec.golden.yaml')),
    )
    .filter((f) => existsSync(join(root, f)));
  const catalog = join(root, 'packages/catalog/src');
  const modules = readdirSync(catalog, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(catalog, e.name, '__snapshots__')))
    .flatMap((e) =>
      readdirSync(join(catalog, e.name, '__snapshots__')).map((f) =>
        join('packages/catalog/src', e.name, '__snapshots__', f),
      ),
    );
  return [...examples, ...modules].sort();
}

describe('golden specs against the real apiserver', () => {
  const files = goldenFiles();

  it('finds the example and catalog goldens', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const file of files) {
    it(`${file}: every object passes server-side dry-run`, async () => {
      const { resources } = parse(readFileSync(join(root, file), 'utf8')) as { resources: GoldenResource[] };
      const objects = resources.filter((r) => r.type === 'Kubernetes');
      const crdKinds = new Set(
        objects
          .filter((r) => r.attributes.kind === 'CustomResourceDefinition')
          .map((r) => `${(r.attributes as { spec?: { names?: { kind?: string } } }).spec?.names?.kind}`),
      );
      let checked = 0;
      for (const { id, attributes } of objects) {
        if (
          attributes.kind === 'Namespace' ||
          crdKinds.has(attributes.kind ?? '') ||
          attributes.apiVersion?.startsWith('monitoring.coreos.com/')
        )
          continue;
        const moved = {
          ...attributes,
          metadata: {
            ...attributes.metadata,
            ...(attributes.metadata.namespace ? { namespace: ns.name } : {}),
          },
        };
        await expect(
          api.patch(moved, undefined, 'All', 'kusion-golden', true, PatchStrategy.ServerSideApply),
          id,
        ).resolves.toBeDefined();
        checked += 1;
      }
      expect(
        checked +
          objects.filter(
            (r) =>
              r.attributes.kind === 'Namespace' ||
              crdKinds.has(r.attributes.kind ?? '') ||
              r.attributes.apiVersion?.startsWith('monitoring.coreos.com/'),
          ).length,
      ).toBe(objects.length);
    });
  }
});
