import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Codes, KusionError } from '../errors/index.js';

/** A value encrypted at rest (SPEC §14): AES-256-GCM, a random 96-bit nonce per value. */
export interface EncryptedValue {
  readonly $kusion_encrypted: {
    readonly v: 1;
    readonly kid: string;
    readonly nonce: string;
    readonly data: string;
  };
}

/** The key ID: the first 8 hex digits of SHA-256(key), so a wrong key is named, not guessed. */
export function keyId(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export function encrypt(plain: Uint8Array, key: Uint8Array): EncryptedValue {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const data = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return {
    $kusion_encrypted: {
      v: 1,
      kid: keyId(key),
      nonce: nonce.toString('base64'),
      data: data.toString('base64'),
    },
  };
}

export function decrypt(value: EncryptedValue, key: Uint8Array): Buffer {
  const { kid, nonce, data } = value.$kusion_encrypted;
  if (kid !== keyId(key)) {
    throw new KusionError(
      Codes.stateKeyInvalid,
      `state was encrypted with key ${kid}, but the key in use is ${keyId(key)}`,
      {
        hints: ['set KUSION_STATE_KEY to the key your team shares for this backend'],
      },
    );
  }
  const bytes = Buffer.from(data, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64'));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]);
}

export function isEncryptedValue(value: unknown): value is EncryptedValue {
  return typeof value === 'object' && value !== null && '$kusion_encrypted' in value;
}
