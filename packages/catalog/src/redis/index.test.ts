import { assertDeterministic, testRequest } from '@kusion/module-sdk/testing';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import redis from './index.js';
import type { RedisInput, RedisPlatform } from './schema.js';

const request = (inputs: RedisInput, platform: RedisPlatform = {}, accessory = 'redis') =>
  testRequest<RedisInput, RedisPlatform>({ role: 'accessory', accessory, inputs, platform });

describe('redis', () => {
  it('generates the Secret, Deployment and Service of a local server (golden)', async () => {
    const result = await assertDeterministic(redis, request({}));
    await expect(stringify(result, { lineWidth: 0 })).toMatchFileSnapshot('./__snapshots__/redis.yaml.snap');
  });

  it('stores host, port and a derived 32-character password, and injects them', async () => {
    const result = await redis.generate(request({ version: '7.4' }, {}, 'cache'));
    const secret = result.resources.find((r) => r.id === 'v1:Secret:shop:shop-prod-web-cache-redis');
    expect(secret?.attributes['stringData']).toEqual({
      hostAddress: 'shop-prod-web-cache.shop.svc',
      port: '6379',
      password: '$kusion_derived.32.shop/prod/web/cache/password',
    });
    expect(result.patcher?.environments).toEqual([
      {
        name: 'KUSION_REDIS_HOST_SHOP_PROD_WEB_CACHE',
        valueFrom: { secretKeyRef: { name: 'shop-prod-web-cache-redis', key: 'hostAddress' } },
      },
      {
        name: 'KUSION_REDIS_PORT_SHOP_PROD_WEB_CACHE',
        valueFrom: { secretKeyRef: { name: 'shop-prod-web-cache-redis', key: 'port' } },
      },
      {
        name: 'KUSION_REDIS_PASSWORD_SHOP_PROD_WEB_CACHE',
        valueFrom: { secretKeyRef: { name: 'shop-prod-web-cache-redis', key: 'password' } },
      },
    ]);
  });

  it('runs the requested version, or the platform image, with the password from the Secret', async () => {
    const image = async (inputs: RedisInput, platform: RedisPlatform = {}) => {
      const result = await redis.generate(request(inputs, platform));
      const deployment = result.resources.find((r) => r.id === 'apps/v1:Deployment:shop:shop-prod-web-redis');
      const spec = deployment?.attributes['spec'] as {
        template: { spec: { containers: Array<{ image: string; args: string[] }> } };
      };
      return spec.template.spec.containers[0];
    };
    expect((await image({}))?.image).toBe('redis:7');
    expect((await image({ version: '7.4' }))?.image).toBe('redis:7.4');
    expect((await image({ version: '7.4' }, { image: 'mirror.acme.io/redis:7.4.1' }))?.image).toBe(
      'mirror.acme.io/redis:7.4.1',
    );
    expect((await image({}))?.args.slice(0, 2)).toEqual(['--requirepass', '$(REDIS_PASSWORD)']);
  });
});
