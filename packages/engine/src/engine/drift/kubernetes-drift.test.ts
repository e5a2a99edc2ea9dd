import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../model/index.js';
import { objectDrift } from './kubernetes-drift.js';
import { declaredPaths, fieldPaths } from './owned-fields.js';

const deployment = (image: string, replicas = 2): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' }, resourceVersion: '10' },
  spec: {
    replicas,
    template: {
      spec: {
        containers: [
          { name: 'web', image, ports: [{ containerPort: 8080, protocol: 'TCP' }] },
          { name: 'sidecar', image: 'proxy:1' },
        ],
      },
    },
  },
  status: { readyReplicas: replicas },
});

const kusionFields = {
  'f:metadata': { 'f:labels': { 'f:app': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:template': {
      'f:spec': {
        'f:containers': {
          'k:{"name":"web"}': {
            '.': {},
            'f:name': {},
            'f:image': {},
            'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
          },
        },
      },
    },
  },
};

const withManagers = (object: JsonObject, entries: JsonObject[]): JsonObject => ({
  ...object,
  metadata: { ...(object['metadata'] as JsonObject), managedFields: entries },
});

const entry = (manager: string, time: string, fieldsV1: JsonObject, operation = 'Apply'): JsonObject => ({
  manager,
  operation,
  apiVersion: 'apps/v1',
  time,
  fieldsType: 'FieldsV1',
  fieldsV1,
});

const notSensitive = () => false;

describe('fieldPaths', () => {
  it('resolves map fields, keyed list items and nested keys against an object', () => {
    expect(fieldPaths(kusionFields, deployment('web:1')).sort()).toEqual([
      'metadata.labels.app',
      'spec.replicas',
      'spec.template.spec.containers[0].image',
      'spec.template.spec.containers[0].name',
      'spec.template.spec.containers[0].ports[0].containerPort',
    ]);
  });

  it('locates items by value and by index, and skips keys the object lacks', () => {
    const object = { spec: { finalizers: ['a', 'b'], args: ['x', 'y'], containers: [] } };
    expect(
      fieldPaths(
        {
          'f:spec': {
            'f:finalizers': { 'v:"b"': {} },
            'f:args': { 'i:1': {} },
            'f:containers': { 'k:{"name":"gone"}': { 'f:image': {} } },
          },
        },
        object,
      ),
    ).toEqual(['spec.finalizers[1]', 'spec.args[1]']);
  });
});

describe('declaredPaths', () => {
  it('lists the leaves a manifest declares, lists by index', () => {
    expect(declaredPaths({ a: { b: 1, c: [{ d: 'x' }, 'y'] }, e: {} })).toEqual([
      'a.b',
      'a.c[0].d',
      'a.c[1]',
      'e',
    ]);
  });
});

describe('objectDrift', () => {
  it('is empty when the fields Kusion owns hold their recorded values, whatever else changed', () => {
    const recorded = deployment('web:1');
    const live = withManagers(
      {
        ...deployment('web:1'),
        metadata: {
          name: 'web',
          namespace: 'shop',
          labels: { app: 'web', team: 'x' },
          resourceVersion: '12',
        },
        status: { readyReplicas: 1 },
      },
      [
        entry('kusion', '2026-01-01T00:00:00Z', kusionFields),
        entry('labeller', '2026-01-02T00:00:00Z', {
          'f:metadata': { 'f:labels': { 'f:team': {} } },
        }),
      ],
    );
    expect(objectDrift({ recorded, live, fieldManager: 'kusion', isSensitive: notSensitive })).toEqual([]);
  });

  it('reports a field another manager took over with its new value, naming that manager', () => {
    const recorded = deployment('web:1');
    const stolen = {
      'f:spec': {
        'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } },
      },
    };
    const ours = structuredClone(kusionFields) as JsonObject;
    // The server moved the image out of Kusion's entry when the other manager forced it.
    delete (
      (
        (((ours['f:spec'] as JsonObject)['f:template'] as JsonObject)['f:spec'] as JsonObject)[
          'f:containers'
        ] as JsonObject
      )['k:{"name":"web"}'] as JsonObject
    )['f:image'];
    const live = withManagers(deployment('web:2'), [
      entry('kusion', '2026-01-01T00:00:00Z', ours),
      entry('intruder', '2026-01-03T00:00:00Z', stolen),
    ]);
    const declared = deployment('web:1');
    const drift = objectDrift({
      recorded,
      live,
      declared,
      fieldManager: 'kusion',
      isSensitive: notSensitive,
    });
    expect(drift).toEqual([
      {
        path: 'spec.template.spec.containers[0].image',
        op: 'change',
        before: 'web:1',
        after: 'web:2',
        sensitive: false,
        manager: 'intruder',
      },
    ]);
  });

  it('without the declared spec, relies on the live entry of Kusion (an update that left ownership shared)', () => {
    const live = withManagers(deployment('web:1', 5), [
      entry('kusion', '2026-01-01T00:00:00Z', kusionFields),
      entry('kubectl-scale', '2026-01-04T00:00:00Z', { 'f:spec': { 'f:replicas': {} } }, 'Update'),
    ]);
    expect(
      objectDrift({ recorded: deployment('web:1'), live, fieldManager: 'kusion', isSensitive: notSensitive }),
    ).toEqual([
      {
        path: 'spec.replicas',
        op: 'change',
        before: 2,
        after: 5,
        sensitive: false,
        manager: 'kubectl-scale',
      },
    ]);
  });

  it('attributes a removed field to the latest other writer after Kusion, and masks sensitive values', () => {
    const recorded: JsonObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'shop' },
      data: { password: 'b2xk', user: 'dQ==' },
    };
    const live = withManagers({ ...recorded, data: { user: 'dQ==' } }, [
      entry('kusion', '2026-01-01T00:00:00Z', { 'f:data': { 'f:user': {} } }),
      entry('kubectl-edit', '2026-01-05T00:00:00Z', {}, 'Update'),
      entry('old-tool', '2025-01-01T00:00:00Z', {}, 'Update'),
    ]);
    const drift = objectDrift({
      recorded,
      live,
      declared: recorded,
      fieldManager: 'kusion',
      isSensitive: (p) => p.startsWith('data'),
    });
    expect(drift).toEqual([
      {
        path: 'data.password',
        op: 'remove',
        before: '(sensitive)',
        sensitive: true,
        manager: 'kubectl-edit',
      },
    ]);
  });
});
