import { describe, expect, it } from 'vitest';
import { parseSecretRef } from '../reference.js';
import { fakeSecretStore } from './fake.js';

const store = fakeSecretStore({
  data: [
    { key: 'token', value: 'v1-token', version: '1' },
    { key: 'token', value: 'current-token' },
    { key: 'json', value: '{"user":"app","port":5432}' },
    { key: 'map', valueMap: { user: 'app' } },
  ],
});
const get = (text: string) => store.get(parseSecretRef(text));

describe('fake secret store', () => {
  it('returns the unversioned entry by default and a named version on request', async () => {
    expect(await get('ref://token')).toBe('current-token');
    expect(await get('ref://token?version=1')).toBe('v1-token');
  });

  it('reads keys from valueMap or from a JSON value', async () => {
    expect(await get('ref://map/user')).toBe('app');
    expect(await get('ref://json/user')).toBe('app');
    expect(await get('ref://json/port')).toBe('5432');
  });

  it.each([
    ['ref://nope', 'no secret nope'],
    ['ref://token?version=9', 'no version 9'],
    ['ref://map/password', 'no key "password"'],
    ['ref://map', 'is a map of values'],
    ['ref://token/field', 'not a JSON object'],
    ['ref://json/missing', 'no key "missing"'],
  ])('%s is KUS7002 (%s)', async (text, why) => {
    await expect(get(text)).rejects.toMatchObject({ code: 'KUS7002', message: expect.stringContaining(why) });
  });

  it('refuses a malformed configuration with KUS2002', () => {
    expect(() => fakeSecretStore({ data: [{ value: 'x' }] })).toThrow(
      expect.objectContaining({ code: 'KUS2002' }),
    );
  });
});
