import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, keyId } from './cipher.js';

describe('AES-256-GCM values', () => {
  it('round-trips with the same key and uses a fresh nonce per value', () => {
    const key = randomBytes(32);
    const a = encrypt(Buffer.from('hunter2'), key);
    const b = encrypt(Buffer.from('hunter2'), key);
    expect(a.$kusion_encrypted.nonce).not.toBe(b.$kusion_encrypted.nonce);
    expect(JSON.stringify(a)).not.toContain('hunter2');
    expect(decrypt(a, key).toString()).toBe('hunter2');
    expect(a.$kusion_encrypted.kid).toBe(keyId(key));
  });

  it('names the expected key on a key mismatch (KUS4004)', () => {
    const value = encrypt(Buffer.from('x'), randomBytes(32));
    expect(() => decrypt(value, randomBytes(32))).toThrow(expect.objectContaining({ code: 'KUS4004' }));
  });
});
