import { describe, expect, it } from 'vitest';
import type { Resource } from '../../model/index.js';
import { refreshArgs, refreshedResources } from './refresh.js';

const resource = (name: string): Resource => ({
  id: `kusion:kusiontest:kusiontest_file:${name}`,
  type: 'Terraform',
  attributes: {},
});

const shown = JSON.stringify({
  resource_drift: [
    {
      address: 'kusiontest_file.gone',
      mode: 'managed',
      change: { actions: ['delete'], before: { content: 'x', id: '1' }, after: null, before_sensitive: {} },
    },
    {
      address: 'kusiontest_password.pw',
      mode: 'managed',
      change: {
        actions: ['update'],
        before: { result: 'old', length: 8, note: null },
        after: { result: 'new', length: 8, note: null },
        before_sensitive: { result: true },
        after_sensitive: { result: true },
      },
    },
  ],
  prior_state: {
    values: {
      root_module: {
        resources: [
          {
            address: 'kusiontest_file.same',
            mode: 'managed',
            values: { content: 'y', id: '2', extra: null },
          },
          { address: 'kusiontest_password.pw', mode: 'managed', values: { result: 'new', length: 8 } },
        ],
      },
    },
  },
});

describe('refreshedResources', () => {
  it('gives drifted resources OpenTofu’s before and after, unchanged ones their refreshed values, unknown ones nothing', () => {
    const pw: Resource = {
      id: 'kusion:kusiontest:kusiontest_password:pw',
      type: 'Terraform',
      attributes: {},
    };
    const result = refreshedResources([resource('gone'), resource('same'), pw, resource('never')], shown);
    expect(result.get(resource('gone').id)).toEqual({
      before: { content: 'x', id: '1' },
      after: null,
      sensitivePaths: [],
    });
    expect(result.get(resource('same').id)).toEqual({
      before: { content: 'y', id: '2' },
      after: { content: 'y', id: '2' },
      sensitivePaths: [],
    });
    expect(result.get(pw.id)).toEqual({
      before: { result: 'old', length: 8 },
      after: { result: 'new', length: 8 },
      sensitivePaths: ['result'],
    });
    expect(result.get(resource('never').id)).toEqual({ before: null, after: null, sensitivePaths: [] });
  });

  it('targets every recorded resource in a refresh-only plan saved for show', () => {
    expect(refreshArgs([resource('a'), resource('b')], 4)).toEqual([
      'plan',
      '-refresh-only',
      '-json',
      '-input=false',
      '-lock=false',
      '-out=refresh.bin',
      '-parallelism=4',
      '-target=kusiontest_file.a',
      '-target=kusiontest_file.b',
    ]);
  });
});
