import { describe, expect, it } from 'vitest';
import { interpolateArgs, readAppConfiguration } from './app-configuration.js';
import { parseYaml } from './source-document.js';

const load = (text: string) => parseYaml(text, 'main.yaml').document;

describe('readAppConfiguration', () => {
  it('splits apps by name, accessories by key, and drops x- anchor holders', () => {
    const apps = readAppConfiguration(
      load(`x-common: &image {image: nginx}
zeta:
  workload: {module: service, containers: {main: *image}}
alpha:
  workload: {module: job, containers: {main: {image: busybox}}}
  accessories:
    net: {module: network}
    db: {module: postgres, type: local, version: "16"}
  labels: {team: shop}
`),
    );
    expect(apps.apps.map((a) => a.name)).toEqual(['alpha', 'zeta']);
    const alpha = apps.apps[0];
    expect(alpha?.accessories.map(([key]) => key)).toEqual(['db', 'net']);
    expect(alpha?.accessories[0]?.[1]).toMatchObject({
      module: 'postgres',
      inputs: { type: 'local', version: '16' },
    });
    expect(alpha?.labels).toEqual({ team: 'shop' });
    expect(apps.apps[1]?.workload.inputs).toEqual({ containers: { main: { image: 'nginx' } } });
    expect(apps.apps[1]?.workload.document.locate(['containers', 'main'])).toBe('main.yaml:3:50');
  });

  it('reports shape problems and invalid names together', () => {
    expect(() => readAppConfiguration(load('Web:\n  workload: {replicas: 2}\n  extra: 1\n'))).toThrow(
      expect.objectContaining({
        code: 'KUS1005',
        diagnostics: expect.arrayContaining([expect.objectContaining({ location: 'main.yaml:1:1' })]),
      }),
    );
    try {
      readAppConfiguration(load('Web:\n  workload: {replicas: 2}\n  extra: 1\n'));
    } catch (error) {
      expect((error as { diagnostics: unknown[] }).diagnostics).toHaveLength(3);
    }
  });

  it('generates nothing for an empty file', () => {
    expect(readAppConfiguration(load('')).apps).toEqual([]);
  });
});

describe('interpolateArgs', () => {
  it('replaces ${{ args.key }} in strings and fails on unset keys', () => {
    const doc = load('web: {workload: {module: service, image: "nginx:${{ args.tag }}"}}\n');
    expect(interpolateArgs(doc, { tag: '1.27' }).value).toEqual({
      web: { workload: { module: 'service', image: 'nginx:1.27' } },
    });
    expect(() => interpolateArgs(doc, {})).toThrow(
      expect.objectContaining({ code: 'KUS1005', location: 'main.yaml:1:42' }),
    );
  });
});
