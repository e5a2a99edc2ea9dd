import type { Resource } from '@kusion/module-sdk';
import { assertDeterministic, testRequest } from '@kusion/module-sdk/testing';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import mysql from './index.js';
import type { MysqlInput, MysqlPlatform } from './schema.js';

const request = (inputs: MysqlInput, platform: MysqlPlatform = {}) =>
  testRequest<MysqlInput, MysqlPlatform>({ role: 'accessory', accessory: 'db', inputs, platform });

const container = (resources: readonly Resource[]) => {
  const deployment = resources.find((r) => r.id.startsWith('apps/v1:Deployment:'));
  const spec = deployment?.attributes['spec'] as {
    template: { spec: { containers: Array<Record<string, unknown>> } };
  };
  return spec.template.spec.containers[0];
};

describe('mysql', () => {
  it('generates a local instance named after the accessory key (golden)', async () => {
    const result = await assertDeterministic(mysql, request({ type: 'local', version: '8.0' }));
    await expect(stringify(result, { lineWidth: 0 })).toMatchFileSnapshot(
      './__snapshots__/mysql-local.yaml.snap',
    );
  });

  it('sets only the root password for root, and creates another account with MYSQL_USER', async () => {
    const envNames = async (platform: MysqlPlatform) => {
      const result = await mysql.generate(request({ type: 'local', version: '8.0' }, platform));
      const env = container(result.resources)!['env'] as Array<{ name: string }>;
      return env.map((entry) => entry.name);
    };
    expect(await envNames({})).toEqual(['MYSQL_ROOT_PASSWORD']);
    expect(await envNames({ username: 'shop' })).toEqual([
      'MYSQL_ROOT_PASSWORD',
      'MYSQL_USER',
      'MYSQL_PASSWORD',
    ]);
  });

  it('injects KUSION_DB_* variables for the instance and listens on 3306', async () => {
    const result = await mysql.generate(request({ type: 'local', version: '8.0' }));
    expect(result.patcher?.environments?.map((env) => env.name)).toEqual([
      'KUSION_DB_HOST_SHOP_PROD_WEB_DB',
      'KUSION_DB_USERNAME_SHOP_PROD_WEB_DB',
      'KUSION_DB_PASSWORD_SHOP_PROD_WEB_DB',
    ]);
    expect(container(result.resources)?.['ports']).toEqual([
      { name: 'mysql', containerPort: 3306, protocol: 'TCP' },
    ]);
  });

  it('creates an AWS mysql instance with a security group on 3306 (golden)', async () => {
    const platform: MysqlPlatform = {
      cloud: 'aws',
      region: 'us-east-1',
      securityIPs: ['0.0.0.0/0'],
      instanceType: 'db.t4g.small',
      skipFinalSnapshot: true,
    };
    const result = await assertDeterministic(mysql, request({ type: 'cloud', version: '8.0.36' }, platform));
    await expect(stringify(result, { lineWidth: 0 })).toMatchFileSnapshot(
      './__snapshots__/mysql-aws.yaml.snap',
    );
    const instance = result.resources.find((r) => r.id === 'hashicorp:aws:aws_db_instance:shop-prod-web-db');
    expect(instance?.attributes).toMatchObject({
      engine: 'mysql',
      engine_version: '8.0.36',
      publicly_accessible: true,
    });
  });

  it('creates an offline stand-in on 3306 from the kusiontest and built-in providers (golden)', async () => {
    const result = await assertDeterministic(
      mysql,
      request({ type: 'cloud', version: '8.0.36' }, { cloud: 'offline', username: 'shop' }),
    );
    await expect(stringify(result, { lineWidth: 0 })).toMatchFileSnapshot(
      './__snapshots__/mysql-offline.yaml.snap',
    );
    const instance = result.resources.find(
      (r) => r.id === 'builtin:terraform:terraform_data:shop-prod-web-db',
    );
    expect(instance?.attributes['input']).toMatchObject({
      address: 'shop-prod-web-db.offline.db.internal',
      port: 3306,
      engine: 'mysql',
      version: '8.0.36',
      username: 'shop',
    });
    const secret = result.resources.find((r) => r.id === 'v1:Secret:shop:shop-prod-web-db-mysql');
    expect(secret?.attributes['stringData']).toEqual({
      hostAddress: '$kusion_path.builtin:terraform:terraform_data:shop-prod-web-db.output.address',
      username: 'shop',
      password: '$kusion_path.kusion:kusiontest:kusiontest_password:shop-prod-web-db.result',
    });
  });
});
