import { describe, expect, it } from 'vitest';
import type { Resource } from '../model/index.js';
import { Masker } from './masker.js';
import {
  referencePaths,
  resolveContext,
  resolveSecretReferences,
  resourceSecretResolver,
} from './resolve.js';
import { fakeSecretStore } from './stores/fake.js';
import type { SecretStore } from './stores/port.js';

const store = fakeSecretStore({
  data: [
    { key: 'db', valueMap: { password: 'db-Password-42', user: 'app' } },
    { key: 'api-token', value: 'tok-0123456789' },
  ],
});

/** Counts lookups, to show each reference is fetched once. */
function counting(inner: SecretStore): SecretStore & { calls: number } {
  const wrapper = {
    provider: inner.provider,
    calls: 0,
    get: (...args: Parameters<SecretStore['get']>) => {
      wrapper.calls += 1;
      return inner.get(...args);
    },
  };
  return wrapper;
}

const secret = (extra: Record<string, unknown> = {}): Resource => ({
  id: 'v1:Secret:shop:app',
  type: 'Kubernetes',
  attributes: {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'app', annotations: { link: 'ref://not/a-secret-here' } },
    data: { token: 'ref://api-token' },
    stringData: { password: 'ref://db/password', plain: 'literal', same: 'ref://db/password' },
    ...extra,
  },
});

describe('resolveSecretReferences', () => {
  it('replaces references, reports their paths, fetches each once and registers values', async () => {
    const masker = new Masker();
    const counted = counting(store);
    const result = await resolveSecretReferences(
      { a: 'ref://db/password', b: ['ref://db/password', 'x'], c: 'ref://api-token' },
      { store: counted, masker },
    );
    expect(result.value).toEqual({ a: 'db-Password-42', b: ['db-Password-42', 'x'], c: 'tok-0123456789' });
    expect(result.sensitivePaths).toEqual(['a', 'b[0]', 'c']);
    expect(counted.calls).toBe(2);
    expect(masker.has('db-Password-42')).toBe(true);
  });

  it('needs a store for a reference (KUS7001), and a missing key is KUS7002, never empty', async () => {
    const masker = new Masker();
    await expect(
      resolveSecretReferences({ a: 'ref://db/password' }, { store: undefined, masker }),
    ).rejects.toMatchObject({
      code: 'KUS7001',
    });
    await expect(resolveSecretReferences({ a: 'ref://db/pin' }, { store, masker })).rejects.toMatchObject({
      code: 'KUS7002',
      message: expect.stringContaining('ref://db/pin'),
    });
  });
});

describe('resourceSecretResolver', () => {
  it('resolves Secret data (base64) and stringData only, and marks every reference path sensitive', async () => {
    const masker = new Masker();
    const resolve = resourceSecretResolver({ store: () => store, masker });
    const resolved = await resolve(secret({ extra: '$kusion_path.v1:Service:shop:db.spec.clusterIP' }));
    expect(resolved.attributes['data']).toEqual({ token: Buffer.from('tok-0123456789').toString('base64') });
    expect(resolved.attributes['stringData']).toEqual({
      password: 'db-Password-42',
      plain: 'literal',
      same: 'db-Password-42',
    });
    expect((resolved.attributes['metadata'] as { annotations: unknown }).annotations).toEqual({
      link: 'ref://not/a-secret-here',
    });
    expect(resolved.extensions?.['kusion.io/sensitive']).toEqual([
      'data.token',
      'extra',
      'metadata.annotations.link',
      'stringData.password',
      'stringData.same',
    ]);
  });

  it('leaves a resource without references untouched and never opens the store', async () => {
    let opened = 0;
    const resolve = resourceSecretResolver({
      store: () => {
        opened += 1;
        return store;
      },
      masker: new Masker(),
    });
    const plain: Resource = {
      id: 'v1:ConfigMap:shop:c',
      type: 'Kubernetes',
      attributes: { kind: 'ConfigMap', data: { a: 'b' } },
    };
    expect(await resolve(plain)).toBe(plain);
    expect(opened).toBe(0);
  });
});

describe('resolveContext', () => {
  it('resolves references and registers every sensitive context value, literal or resolved', async () => {
    const masker = new Masker();
    const context = await resolveContext(
      { GITHUB_TOKEN: 'ref://api-token', DB_PASSWORD: 'literal-pass', AWS_REGION: 'eu-west-1' },
      { store, masker },
    );
    expect(context).toEqual({
      GITHUB_TOKEN: 'tok-0123456789',
      DB_PASSWORD: 'literal-pass',
      AWS_REGION: 'eu-west-1',
    });
    expect(masker.has('literal-pass')).toBe(true);
    expect(masker.has('eu-west-1')).toBe(false);
  });
});

describe('referencePaths', () => {
  it('finds ref://, $kusion_path and $kusion_derived values only', () => {
    expect(
      referencePaths({
        a: 'ref://x/y',
        b: [{ c: '$kusion_derived.16.l' }],
        d: '$kusion_pathless',
        e: 'https://x',
      }),
    ).toEqual(['a', 'b[0].c']);
  });
});
