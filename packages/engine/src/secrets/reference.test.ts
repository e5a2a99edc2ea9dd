import { describe, expect, it } from 'vitest';
import { isSecretRef, parseSecretRef } from './reference.js';

describe('parseSecretRef', () => {
  it('splits name and key at the last segment', () => {
    expect(parseSecretRef('ref://clusters/prod/kubeconfig')).toEqual({
      text: 'ref://clusters/prod/kubeconfig',
      name: 'clusters/prod',
      key: 'kubeconfig',
    });
  });

  it('reads a single segment as the whole value, without a key', () => {
    expect(parseSecretRef('ref://api-token')).toEqual({ text: 'ref://api-token', name: 'api-token' });
  });

  it('takes ?version=', () => {
    expect(parseSecretRef('ref://db/password?version=uuid/01234567')).toMatchObject({
      name: 'db',
      key: 'password',
      version: 'uuid/01234567',
    });
  });

  it.each([
    ['ref://', 'a path segment is empty'],
    ['ref://db//password', 'a path segment is empty'],
    ['ref://db/password?stage=x', 'unknown parameter "stage"'],
    ['ref://db/password?version=', 'version is empty'],
    ['vault://db/password', 'does not start with ref://'],
  ])('refuses %s with KUS7002', (text, why) => {
    expect(() => parseSecretRef(text)).toThrow(
      expect.objectContaining({ code: 'KUS7002', message: expect.stringContaining(why) }),
    );
  });

  it('recognises references only as whole strings starting with ref://', () => {
    expect(isSecretRef('ref://a/b')).toBe(true);
    expect(isSecretRef(' ref://a/b')).toBe(false);
    expect(isSecretRef(42)).toBe(false);
  });
});
