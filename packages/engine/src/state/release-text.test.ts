import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Release } from '../model/release.js';
import { releaseFromText, releaseToText } from './release-text.js';

const release = {
  project: 'shop',
  stack: 'prod',
  workspace: 'dev',
  revision: 3,
  phase: 'succeeded',
  spec: {
    resources: [
      {
        id: 'v1:ConfigMap:shop:tricky',
        type: 'Kubernetes',
        attributes: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'tricky', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'x' } },
          data: {
            multi: 'line one\nline two\n',
            yes: 'yes',
            number: '0123',
            colon: 'a: b',
            empty: '',
            hash: '# not a comment',
          },
        },
        dependsOn: ['v1:Namespace:shop'],
      },
    ],
    secretStore: null,
    context: { replicas: 3, ratio: 0.5, flag: false },
    outputs: {},
  },
  state: { resources: [] },
  modules: { service: { source: 'builtin', version: '0.1.0' } },
  operator: 'me',
  source: { kind: 'apply' },
  kusionVersion: '0.1.0',
  createTime: '2026-12-03T10:00:00.000Z',
  modifiedTime: '2026-12-03T10:00:01.000Z',
} as unknown as Release;

describe('release text', () => {
  it('is byte-identical to what the adapters wrote with `yaml`, so stored histories read and diff alike', () => {
    const before = stringify(release, { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false });
    expect(releaseToText(release)).toBe(before);
  });

  it('reads back the value it wrote', () => {
    expect(releaseFromText(releaseToText(release))).toEqual(release);
  });

  it('reads YAML outside the fast subset (flow style), and throws on text that is not YAML', () => {
    expect(releaseFromText('revision: 1\nsource: {kind: apply}\n')).toEqual({
      revision: 1,
      source: { kind: 'apply' },
    });
    expect(() => releaseFromText('a: [1,\n')).toThrow();
  });
});
