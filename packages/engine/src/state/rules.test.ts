import { describe, expect, it } from 'vitest';
import type { Release } from '../model/release.js';
import { release, shop } from './contract/support.js';
import { checkReleaseWrite } from './rules.js';

describe('checkReleaseWrite', () => {
  it('returns the release itself, not a copy', () => {
    const written = release(1);
    expect(checkReleaseWrite(shop, written)).toBe(written);
  });

  it('refuses an invalid record, spec or state, also after a valid release shared its other parts', () => {
    const valid = release(1);
    checkReleaseWrite(shop, valid);
    const refused = /refusing to write an invalid release/;
    expect(() => checkReleaseWrite(shop, { ...valid, revision: 0 })).toThrow(refused);
    expect(() =>
      checkReleaseWrite(shop, { ...valid, spec: { resources: [{ id: '' }] } } as unknown as Release),
    ).toThrow(refused);
    expect(() =>
      checkReleaseWrite(shop, {
        ...valid,
        state: { resources: [{ type: 'Helm' }] },
      } as unknown as Release),
    ).toThrow(refused);
  });

  it('refuses a release of another identity', () => {
    expect(() => checkReleaseWrite(shop, release(1, 'generating', { stack: 'other' }))).toThrow(
      /written to the history of/,
    );
  });
});
