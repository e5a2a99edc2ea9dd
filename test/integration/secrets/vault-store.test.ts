/**
 * The vault secret store against a KV server speaking Vault's HTTP API (see kv-server.ts for why not
 * OpenBao itself): KV v2 with versions and a namespace, KV v1, missing secrets and refused tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSecretRef } from '../../../packages/engine/src/secrets/index.js';
import { vaultSecretStore } from '../../../packages/engine/src/secrets/stores/index.js';
import { type KvServer, startKvServer } from './kv-server.js';

describe('vault secret store, KV v2', () => {
  let server: KvServer;
  beforeAll(async () => {
    server = await startKvServer({
      token: 's.good-token',
      mount: 'secret',
      kvVersion: 2,
      namespace: 'team-a',
    });
    server.put('shop/db', { password: 'first-Password', user: 'app' });
    server.put('shop/db', { password: 'second-Password', user: 'app', port: 5432 });
  });
  afterAll(() => server.close());

  const store = (token = 's.good-token', config: Record<string, unknown> = {}) =>
    vaultSecretStore({ server: server.url, namespace: 'team-a', ...config }, { VAULT_TOKEN: token });
  const get = (text: string, token?: string, config?: Record<string, unknown>) =>
    store(token, config).get(parseSecretRef(text));

  it('reads the latest version of a field, the mount being the first segment', async () => {
    expect(await get('ref://secret/shop/db/password')).toBe('second-Password');
    expect(server.requests.at(-1)).toEqual({
      method: 'GET',
      url: '/v1/secret/data/shop/db',
      namespace: 'team-a',
    });
  });

  it('reads an older version with ?version=, and the configured mount from path', async () => {
    expect(await get('ref://shop/db/password?version=1', undefined, { path: 'secret' })).toBe(
      'first-Password',
    );
    expect(server.requests.at(-1)?.url).toBe('/v1/secret/data/shop/db?version=1');
  });

  it('returns non-string fields as JSON text', async () => {
    expect(await get('ref://secret/shop/db/port')).toBe('5432');
  });

  it('is KUS7002 for a missing secret, version or field, never an empty string', async () => {
    await expect(get('ref://secret/shop/none/password')).rejects.toMatchObject({ code: 'KUS7002' });
    await expect(get('ref://secret/shop/db/password?version=7')).rejects.toMatchObject({ code: 'KUS7002' });
    await expect(get('ref://secret/shop/db/pin')).rejects.toMatchObject({
      code: 'KUS7002',
      message: expect.stringContaining('no field "pin"'),
    });
  });

  it('is KUS7003 for a refused or missing token, and the message holds no secret', async () => {
    const refused = get('ref://secret/shop/db/password', 's.bad-token');
    await expect(refused).rejects.toMatchObject({ code: 'KUS7003', message: expect.stringContaining('403') });
    await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining('s.bad-token') });
    await expect(
      vaultSecretStore({ server: server.url }, {}).get(parseSecretRef('ref://secret/shop/db/password')),
    ).rejects.toMatchObject({ code: 'KUS7003', message: expect.stringContaining('VAULT_TOKEN') });
  });
});

describe('vault secret store, KV v1', () => {
  let server: KvServer;
  beforeAll(async () => {
    server = await startKvServer({ token: 'root', mount: 'kv', kvVersion: 1 });
    server.put('ci/aws', { secret_access_key: 'v1-Secret-Key' });
  });
  afterAll(() => server.close());

  it('reads a field without the data/ segment and refuses versions', async () => {
    const store = vaultSecretStore({ server: server.url, version: 'v1' }, { VAULT_TOKEN: 'root' });
    expect(await store.get(parseSecretRef('ref://kv/ci/aws/secret_access_key'))).toBe('v1-Secret-Key');
    expect(server.requests.at(-1)?.url).toBe('/v1/kv/ci/aws');
    await expect(
      store.get(parseSecretRef('ref://kv/ci/aws/secret_access_key?version=2')),
    ).rejects.toMatchObject({
      code: 'KUS7002',
    });
  });
});
