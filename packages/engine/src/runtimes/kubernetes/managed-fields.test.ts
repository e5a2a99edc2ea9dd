import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../model/index.js';
import { managedFieldsUpgradePatch, unionFields, upgradedManagedFields } from './managed-fields.js';

const object = (entries: JsonObject[]): JsonObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'm', namespace: 'n', resourceVersion: '42', managedFields: entries },
});
const entry = (manager: string, operation: string, fieldsV1: JsonObject, extra: JsonObject = {}) => ({
  manager,
  operation,
  apiVersion: 'v1',
  time: '2024-05-01T10:00:00Z',
  fieldsType: 'FieldsV1',
  fieldsV1,
  ...extra,
});

describe('managed-fields upgrade (SPEC §13.1)', () => {
  it('given only Apply entries, when checked, then nothing is upgraded', () => {
    const live = object([entry('kusion', 'Apply', { 'f:data': { 'f:a': {} } })]);
    expect(upgradedManagedFields(live, 'kusion')).toBeUndefined();
    expect(managedFieldsUpgradePatch(live, 'kusion')).toBeUndefined();
  });

  it("given the original's Update entry, when upgraded, then an Apply entry owns its fields and others stay", () => {
    const other = entry('kubectl-edit', 'Update', { 'f:data': { 'f:other': {} } });
    const status = entry('kusion', 'Update', { 'f:status': {} }, { subresource: 'status' });
    const live = object([entry('kusion', 'Update', { 'f:data': { 'f:a': {}, 'f:b': {} } }), other, status]);
    expect(upgradedManagedFields(live, 'kusion')).toEqual([
      other,
      status,
      {
        manager: 'kusion',
        operation: 'Apply',
        apiVersion: 'v1',
        time: '2024-05-01T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:a': {}, 'f:b': {} } },
      },
    ]);
  });

  it('given both an Update and an Apply entry of kusion, when upgraded, then one Apply entry holds the union', () => {
    const live = object([
      entry('kusion', 'Apply', { 'f:data': { 'f:a': {} } }, { time: '2024-06-01T00:00:00Z' }),
      entry('kusion', 'Update', { 'f:data': { 'f:b': {} }, 'f:metadata': { 'f:labels': { 'f:x': {} } } }),
    ]);
    const upgraded = upgradedManagedFields(live, 'kusion');
    expect(upgraded).toHaveLength(1);
    expect(upgraded?.[0]).toMatchObject({
      operation: 'Apply',
      time: '2024-06-01T00:00:00Z',
      fieldsV1: { 'f:data': { 'f:a': {}, 'f:b': {} }, 'f:metadata': { 'f:labels': { 'f:x': {} } } },
    });
  });

  it('when patched, then the resourceVersion guards the replacement and Dates become RFC 3339 seconds', () => {
    const live = object([
      entry('kusion', 'Update', { 'f:data': {} }),
      { ...entry('other', 'Update', {}), time: new Date('2024-05-02T03:04:05.678Z') as unknown as string },
    ]);
    const patch = managedFieldsUpgradePatch(live, 'kusion');
    expect(patch?.[1]).toEqual({ op: 'replace', path: '/metadata/resourceVersion', value: '42' });
    expect(patch?.[0]?.path).toBe('/metadata/managedFields');
    const entries = (patch?.[0]?.value ?? []) as JsonObject[];
    expect(entries[0]?.['time']).toBe('2024-05-02T03:04:05Z');
  });

  it('unions nested field sets without losing either side', () => {
    expect(unionFields({ 'f:a': { 'f:b': {} } }, { 'f:a': { 'f:c': {} }, 'f:d': {} })).toEqual({
      'f:a': { 'f:b': {}, 'f:c': {} },
      'f:d': {},
    });
  });
});
