import { assertDeterministic, testRequest } from '@kusion/module-sdk/testing';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import k8sManifest from './index.js';
import type { K8sManifestInput, K8sManifestPlatform } from './schema.js';

const files: Record<string, string> = {
  'manifests/app.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: settings}',
    'data: {mode: fast}',
    '---',
    '# an empty document is skipped',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: copy, namespace: elsewhere}',
    'data: {mode: slow}',
    '---',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: ClusterRole',
    'metadata: {name: reader}',
    'rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]',
  ].join('\n'),
  'manifests/crd.json': JSON.stringify({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.acme.io' },
    spec: {
      group: 'acme.io',
      scope: 'Cluster',
      names: { kind: 'Widget', plural: 'widgets' },
      versions: [
        { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
    },
  }),
  'platform/list.yml': [
    'apiVersion: v1',
    'kind: List',
    'items:',
    '  - {apiVersion: acme.io/v1, kind: Widget, metadata: {name: w1, labels: &team {team: shop}}}',
    '  - {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot, labels: *team}}',
  ].join('\n'),
};

const readFile = (path: string): string => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: ${path}`);
  return text;
};

const request = (inputs: K8sManifestInput, platform: K8sManifestPlatform = {}) =>
  testRequest<K8sManifestInput, K8sManifestPlatform>({
    role: 'accessory',
    accessory: 'manifests',
    inputs,
    platform,
    readFile,
  });

describe('k8s-manifest', () => {
  it('turns every document of the platform and developer files into a resource (golden)', async () => {
    // given developer files (one listed twice) and a platform file
    const inputs = { paths: ['manifests/crd.json', './manifests/app.yaml', 'manifests/app.yaml'] };
    // when generated
    const result = await assertDeterministic(k8sManifest, request(inputs, { paths: ['platform/list.yml'] }));
    // then files are read once each, in sorted order
    await expect(stringify(result, { lineWidth: 0 })).toMatchFileSnapshot(
      './__snapshots__/k8s-manifest.yaml.snap',
    );
    expect(result.resources.map((r) => r.id)).toEqual([
      'v1:ConfigMap:shop:settings',
      'v1:ConfigMap:elsewhere:copy',
      'rbac.authorization.k8s.io/v1:ClusterRole:reader',
      'apiextensions.k8s.io/v1:CustomResourceDefinition:widgets.acme.io',
      'acme.io/v1:Widget:w1',
      'v1:ServiceAccount:shop:robot',
    ]);
  });

  it('gives namespaced objects the target namespace and leaves cluster-scoped ones alone', async () => {
    const result = await k8sManifest.generate(request({ paths: ['manifests/app.yaml'] }));
    const namespaces = result.resources.map(
      (r) => (r.attributes['metadata'] as { namespace?: string }).namespace ?? '(cluster)',
    );
    expect(namespaces).toEqual(['shop', 'elsewhere', '(cluster)']);
  });

  it('copies YAML aliases instead of sharing them between objects', async () => {
    const result = await k8sManifest.generate(request({}, { paths: ['platform/list.yml'] }));
    const [first, second] = result.resources.map(
      (r) => (r.attributes['metadata'] as { labels: unknown }).labels,
    );
    expect(first).toEqual({ team: 'shop' });
    expect(first).toEqual(second);
    expect(first).not.toBe(second);
  });

  it('emits nothing without paths', async () => {
    expect(await k8sManifest.generate(request({}))).toEqual({ resources: [] });
  });

  it('explains directories, unreadable files, bad documents and duplicates', async () => {
    const fails =
      (paths: string[], extra: Record<string, string> = {}) =>
      async () =>
        k8sManifest.generate(
          testRequest<K8sManifestInput, K8sManifestPlatform>({
            inputs: { paths },
            readFile: (path) => extra[path] ?? readFile(path),
          }),
        );
    await expect(fails(['manifests/'])).rejects.toThrow(
      'k8s-manifest: "manifests/" is not a .yaml, .yml or .json file; paths name files',
    );
    await expect(fails(['manifests'])).rejects.toThrow('is not a .yaml, .yml or .json file');
    await expect(fails(['missing.yaml'])).rejects.toThrow(
      'k8s-manifest: cannot read missing.yaml: ENOENT: missing.yaml',
    );
    await expect(fails(['bad.yaml'], { 'bad.yaml': 'a: [1, 2' })).rejects.toThrow(/^bad\.yaml: /);
    await expect(
      fails(['alias.yaml'], { 'alias.yaml': 'apiVersion: v1\nkind: A\nmetadata: {name: &x a}\n---\nb: *x' }),
    ).rejects.toThrow(/^alias\.yaml \(document 2\): Unresolved alias/);
    await expect(fails(['list.yaml'], { 'list.yaml': '- 1\n- 2' })).rejects.toThrow(
      'list.yaml: expected a Kubernetes object (a mapping)',
    );
    await expect(
      fails(['anon.yaml'], { 'anon.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {generateName: x-}' }),
    ).rejects.toThrow('anon.yaml: Pod has no metadata.name (generateName is not supported)');
    await expect(fails(['nokind.yaml'], { 'nokind.yaml': 'metadata: {name: x}' })).rejects.toThrow(
      'nokind.yaml: a Kubernetes object needs apiVersion and kind',
    );
    const twice =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}';
    await expect(fails(['twice.yaml'], { 'twice.yaml': twice })).rejects.toThrow(
      'k8s-manifest: v1:ConfigMap:shop:a is defined twice, in twice.yaml (document 1) and in twice.yaml (document 2)',
    );
  });
});
