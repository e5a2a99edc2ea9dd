import { describe, expect, it } from 'vitest';
import type { Release } from '../model/release.js';
import { checkReleaseWrite } from './rules.js';

const identity = { project: 'p', stack: 's', workspace: 'w' };
const release = (overrides: Record<string, unknown> = {}): Release =>
  ({
    ...identity,
    revision: 1,
    phase: 'generating',
    spec: { resources: [{ id: 'v1:Namespace:a', type: 'Kubernetes', attributes: {} }], secretStore: null },
    state: { resources: [] },
    operator: 'me',
    source: { kind: 'apply' },
    kusionVersion: '0.1.0',
    createTime: '2026-12-03T00:00:00.000Z',
    modifiedTime: '2026-12-03T00:00:00.000Z',
    ...overrides,
  }) as unknown as Release;

describe('checkReleaseWrite', () => {
  it('returns the release itself, not a copy', () => {
    const written = release();
    expect(checkReleaseWrite(identity, written)).toBe(written);
  });

  it('refuses an invalid record, spec or state, also after a valid release shared its other parts', () => {
    const valid = release();
    checkReleaseWrite(identity, valid);
    const refused = /refusing to write an invalid release/;
    expect(() => checkReleaseWrite(identity, { ...valid, revision: 0 })).toThrow(refused);
    expect(() =>
      checkReleaseWrite(identity, { ...valid, spec: { resources: [{ id: '' }] } } as unknown as Release),
    ).toThrow(refused);
    expect(() =>
      checkReleaseWrite(identity, {
        ...valid,
        state: { resources: [{ type: 'Helm' }] },
      } as unknown as Release),
    ).toThrow(refused);
  });

  it('refuses a release of another identity', () => {
    expect(() => checkReleaseWrite(identity, release({ stack: 'other' }))).toThrow(
      /written to the history of/,
    );
  });
});
