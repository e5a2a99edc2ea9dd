import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Resource, Spec } from '../model/index.js';
import { isEncryptedValue, keyId } from './cipher.js';
import { digestView, hideSealedValues, sealResource, sealSpec, unsealResource, unsealSpec } from './seal.js';

const key = randomBytes(32);
const secret: Resource = {
  id: 'v1:Secret:shop:db',
  type: 'Kubernetes',
  attributes: {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'shop' },
    data: { password: 'aHVudGVyMg==' },
    stringData: { user: 'app', token: '$kusion_derived.24.shop/token' },
  },
};
const terraform: Resource = {
  id: 'hashicorp:random:random_password:db',
  type: 'Terraform',
  attributes: { length: 16, result: 'Zq8wLx3vPm', nested: { list: ['one', 'two'] } },
  extensions: { 'kusion.io/sensitive': ['result', 'nested.list'] },
};

describe('sealResource / unsealResource', () => {
  it('encrypts Secret data and stringData leaf by leaf, keeping references readable', () => {
    const sealed = sealResource(secret, key);
    const attributes = sealed.attributes as Record<string, Record<string, unknown>>;
    expect(isEncryptedValue(attributes['data']?.['password'])).toBe(true);
    expect(isEncryptedValue(attributes['stringData']?.['user'])).toBe(true);
    expect(attributes['stringData']?.['token']).toBe('$kusion_derived.24.shop/token');
    expect(attributes['metadata']).toEqual({ name: 'db', namespace: 'shop' });
    expect(JSON.stringify(sealed)).not.toContain('aHVudGVyMg==');
    expect(unsealResource(sealed, key)).toEqual(secret);
  });

  it('encrypts the kusion.io/sensitive paths, lists included, and restores their types', () => {
    const sealed = sealResource(terraform, key);
    const text = JSON.stringify(sealed);
    for (const value of ['Zq8wLx3vPm', 'one', 'two']) expect(text).not.toContain(value);
    expect(sealed.attributes['length']).toBe(16);
    expect(unsealResource(sealed, key)).toEqual(terraform);
  });

  it('gives each value its own nonce and leaves sealed values alone when sealed twice', () => {
    const once = sealResource(terraform, key);
    expect(sealResource(once, key)).toEqual(once);
    expect(JSON.stringify(sealResource(terraform, key))).not.toEqual(JSON.stringify(once));
  });

  it('refuses another key with KUS4004, naming the key the state was written with', () => {
    const sealed = sealResource(secret, key);
    expect(() => unsealResource(sealed, randomBytes(32))).toThrow(
      expect.objectContaining({ code: 'KUS4004', message: expect.stringContaining(keyId(key)) }),
    );
  });

  it('reports an altered ciphertext as KUS4008, not as a crash', () => {
    const sealed = sealResource(terraform, key);
    const result = sealed.attributes['result'] as { $kusion_encrypted: { data: string } };
    const altered = {
      ...sealed,
      attributes: {
        ...sealed.attributes,
        result: {
          $kusion_encrypted: {
            ...result.$kusion_encrypted,
            data: Buffer.from('garbage-garbage-garbage').toString('base64'),
          },
        },
      },
    };
    expect(() => unsealResource(altered, key)).toThrow(expect.objectContaining({ code: 'KUS4008' }));
  });
});

describe('sealSpec', () => {
  it('encrypts literal sensitive context values, not references or other keys', () => {
    const spec: Spec = {
      resources: [secret],
      secretStore: null,
      context: {
        AWS_SECRET_ACCESS_KEY: 'literal-secret',
        GITHUB_TOKEN: 'ref://ci/token',
        AWS_REGION: 'eu-west-1',
      },
      outputs: {},
    };
    const sealed = sealSpec(spec, key);
    expect(isEncryptedValue(sealed.context['AWS_SECRET_ACCESS_KEY'])).toBe(true);
    expect(sealed.context['GITHUB_TOKEN']).toBe('ref://ci/token');
    expect(sealed.context['AWS_REGION']).toBe('eu-west-1');
    expect(unsealSpec(sealed, key)).toEqual(spec);
  });
});

describe('hideSealedValues', () => {
  it('shows encrypted values as a placeholder, without the key', () => {
    const hidden = hideSealedValues(sealResource(terraform, key), '(sensitive)') as Resource;
    expect(hidden.attributes).toEqual({
      length: 16,
      result: '(sensitive)',
      nested: { list: ['(sensitive)', '(sensitive)'] },
    });
  });
});

describe('digestView', () => {
  it('replaces sensitive leaves with a keyed HMAC: stable for one key, different for another', () => {
    const view = digestView([terraform], key);
    expect(JSON.stringify(view)).not.toContain('Zq8wLx3vPm');
    expect(view[0]?.attributes['length']).toBe(16);
    expect(digestView([terraform], key)).toEqual(view);
    expect(digestView([terraform], randomBytes(32))).not.toEqual(view);
    const changed = { ...terraform, attributes: { ...terraform.attributes, result: 'other' } };
    expect(digestView([changed], key)).not.toEqual(view);
  });
});
