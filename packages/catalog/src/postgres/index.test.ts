import type { Resource } from '@kusion/module-sdk';
import { assertDeterministic, testRequest } from '@kusion/module-sdk/testing';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import postgres from './index.js';
import type { PostgresInput, PostgresPlatform } from './schema.js';

const cloudPlatform: PostgresPlatform = { cloud: 'aws', region: 'eu-west-1', securityIPs: ['10.0.0.0/8'] };
const offlinePlatform: PostgresPlatform = { cloud: 'offline' };

const request = (inputs: PostgresInput, platform: PostgresPlatform = {}, accessory = 'postgres') =>
  testRequest<PostgresInput, PostgresPlatform>({ role: 'accessory', accessory, inputs, platform });

const byId = (resources: readonly Resource[], id: string) => {
  const found = resources.find((r) => r.id === id);
  if (!found) throw new Error(`no ${id} in ${resources.map((r) => r.id).join(', ')}`);
  return found;
};

describe('postgres, local', () => {
  it('generates the connection Secret, PVC, Deployment and Service (golden)', async () => {
    const result = await assertDeterministic(postgres, request({ type: 'local', version: '16' }));
    await expect(stringify(result, { lineWidth: 0 })).toMatchFileSnapshot(
      './__snapshots__/postgres-local.yaml.snap',
    );
  });

  it('injects KUSION_DB_* variables read from the connection Secret', async () => {
    const result = await postgres.generate(request({ type: 'local', version: '16' }));
    expect(result.patcher?.environments).toEqual([
      {
        name: 'KUSION_DB_HOST_SHOP_PROD_WEB_POSTGRES',
        valueFrom: { secretKeyRef: { name: 'shop-prod-web-postgres-postgres', key: 'hostAddress' } },
      },
      {
        name: 'KUSION_DB_USERNAME_SHOP_PROD_WEB_POSTGRES',
        valueFrom: { secretKeyRef: { name: 'shop-prod-web-postgres-postgres', key: 'username' } },
      },
      {
        name: 'KUSION_DB_PASSWORD_SHOP_PROD_WEB_POSTGRES',
        valueFrom: { secretKeyRef: { name: 'shop-prod-web-postgres-postgres', key: 'password' } },
      },
    ]);
  });

  it('stores the service address, the user and a derived 24-character password', async () => {
    const result = await postgres.generate(request({ type: 'local', version: '16' }, { username: 'shop' }));
    const secret = byId(result.resources, 'v1:Secret:shop:shop-prod-web-postgres-postgres');
    expect(secret.attributes['stringData']).toEqual({
      hostAddress: 'shop-prod-web-postgres.shop.svc',
      username: 'shop',
      password: '$kusion_derived.24.shop/prod/web/postgres/password',
    });
  });

  it('names the instance after the accessory key when it differs from the module, or after databaseName', async () => {
    const ids = async (accessory: string, platform: PostgresPlatform = {}) =>
      (await postgres.generate(request({ type: 'local', version: '16' }, platform, accessory))).resources.map(
        (r) => r.id,
      );
    expect(await ids('orders-db')).toContain('apps/v1:Deployment:shop:shop-prod-web-orders-db');
    expect(await ids('postgres', { databaseName: 'legacy-orders' })).toEqual([
      'v1:Secret:shop:legacy-orders-postgres',
      'v1:PersistentVolumeClaim:shop:legacy-orders',
      'apps/v1:Deployment:shop:legacy-orders',
      'v1:Service:shop:legacy-orders',
    ]);
  });

  it('uses the platform image, storage class and size, and retains the volume when asked', async () => {
    const platform: PostgresPlatform = {
      image: 'mirror.acme.io/postgres:16.4',
      storageClassName: 'fast',
      size: 50,
      retain: true,
    };
    const result = await postgres.generate(request({ type: 'local', version: '16' }, platform));
    const claim = byId(result.resources, 'v1:PersistentVolumeClaim:shop:shop-prod-web-postgres');
    expect(claim.attributes['spec']).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'fast',
      resources: { requests: { storage: '50Gi' } },
    });
    expect(claim.extensions?.['kusion.io/retain']).toBe(true);
    const deployment = byId(result.resources, 'apps/v1:Deployment:shop:shop-prod-web-postgres');
    expect(JSON.stringify(deployment.attributes)).toContain('"image":"mirror.acme.io/postgres:16.4"');
  });

  it('never marks a workload and keeps its pods out of the app selectors', async () => {
    const result = await postgres.generate(request({ type: 'local', version: '16' }));
    expect(result.resources.every((r) => r.extensions?.['kusion.io/is-workload'] === undefined)).toBe(true);
    const deployment = byId(result.resources, 'apps/v1:Deployment:shop:shop-prod-web-postgres');
    const spec = deployment.attributes['spec'] as {
      template: { metadata: { labels: Record<string, string> } };
    };
    expect(spec.template.metadata.labels['app.kubernetes.io/name']).toBe('shop-prod-web-postgres');
  });
});

describe('postgres, cloud', () => {
  it('generates random_password, security group, DB instance and connection Secret (golden)', async () => {
    const platform: PostgresPlatform = { ...cloudPlatform, subnetGroupName: 'private-db', size: 20 };
    const result = await assertDeterministic(postgres, request({ type: 'cloud', version: '16.3' }, platform));
    await expect(stringify(result, { lineWidth: 0 })).toMatchFileSnapshot(
      './__snapshots__/postgres-aws.yaml.snap',
    );
  });

  it('wires password, security group and host address with $kusion_path', async () => {
    const result = await postgres.generate(request({ type: 'cloud', version: '16.3' }, cloudPlatform));
    expect(result.resources.map((r) => r.id)).toEqual([
      'hashicorp:random:random_password:shop-prod-web-postgres',
      'hashicorp:aws:aws_security_group:shop-prod-web-postgres',
      'hashicorp:aws:aws_db_instance:shop-prod-web-postgres',
      'v1:Secret:shop:shop-prod-web-postgres-postgres',
    ]);
    const instance = byId(result.resources, 'hashicorp:aws:aws_db_instance:shop-prod-web-postgres');
    expect(instance.attributes['password']).toBe(
      '$kusion_path.hashicorp:random:random_password:shop-prod-web-postgres.result',
    );
    expect(instance.attributes['vpc_security_group_ids']).toEqual([
      '$kusion_path.hashicorp:aws:aws_security_group:shop-prod-web-postgres.id',
    ]);
    expect(instance.extensions?.['providerMeta']).toEqual({ region: 'eu-west-1' });
    expect(instance.extensions?.['provider']).toBe('registry.terraform.io/hashicorp/aws/5.100.0');
    const secret = byId(result.resources, 'v1:Secret:shop:shop-prod-web-postgres-postgres');
    expect(secret.attributes['stringData']).toEqual({
      hostAddress: '$kusion_path.hashicorp:aws:aws_db_instance:shop-prod-web-postgres.address',
      username: 'root',
      password: '$kusion_path.hashicorp:random:random_password:shop-prod-web-postgres.result',
    });
  });

  it('is publicly accessible only when a security CIDR is public', async () => {
    const accessible = async (securityIPs: string[]) => {
      const result = await postgres.generate(
        request({ type: 'cloud', version: '16' }, { ...cloudPlatform, securityIPs }),
      );
      return byId(result.resources, 'hashicorp:aws:aws_db_instance:shop-prod-web-postgres').attributes[
        'publicly_accessible'
      ];
    };
    expect(await accessible(['10.0.0.0/8', '192.168.0.0/16'])).toBe(false);
    expect(await accessible(['10.0.0.0/8', '0.0.0.0/0'])).toBe(true);
    expect(await accessible(['203.0.113.7'])).toBe(true);
  });

  it('pins provider versions unless providerVersions overrides them', async () => {
    const providers = async (platform: PostgresPlatform) =>
      (await postgres.generate(request({ type: 'cloud', version: '16' }, platform))).resources
        .filter((r) => r.type === 'Terraform')
        .map((r) => r.extensions?.['provider']);
    expect(await providers(cloudPlatform)).toEqual([
      'registry.terraform.io/hashicorp/random/3.6.3',
      'registry.terraform.io/hashicorp/aws/5.100.0',
      'registry.terraform.io/hashicorp/aws/5.100.0',
    ]);
    expect(
      await providers({ ...cloudPlatform, providerVersions: { random: '3.9.0', aws: '5.0.1' } }),
    ).toEqual([
      'registry.terraform.io/hashicorp/random/3.9.0',
      'registry.terraform.io/hashicorp/aws/5.0.1',
      'registry.terraform.io/hashicorp/aws/5.0.1',
    ]);
  });

  it('names the final snapshot unless skipFinalSnapshot is set', async () => {
    const attributes = async (skipFinalSnapshot: boolean) =>
      byId(
        (
          await postgres.generate(
            request({ type: 'cloud', version: '16' }, { ...cloudPlatform, skipFinalSnapshot }),
          )
        ).resources,
        'hashicorp:aws:aws_db_instance:shop-prod-web-postgres',
      ).attributes;
    expect(await attributes(false)).toMatchObject({
      skip_final_snapshot: false,
      final_snapshot_identifier: 'shop-prod-web-postgres-final',
    });
    expect(await attributes(true)).not.toHaveProperty('final_snapshot_identifier');
  });

  it('allocates at least 20 GiB, the smallest volume RDS accepts', async () => {
    const storage = async (size: number) =>
      byId(
        (await postgres.generate(request({ type: 'cloud', version: '16' }, { ...cloudPlatform, size })))
          .resources,
        'hashicorp:aws:aws_db_instance:shop-prod-web-postgres',
      ).attributes['allocated_storage'];
    expect(await storage(10)).toBe(20);
    expect(await storage(100)).toBe(100);
  });

  it('refuses instance names RDS cannot use, pointing at databaseName', async () => {
    const fails = (platform: PostgresPlatform) => async () =>
      postgres.generate(request({ type: 'cloud', version: '16' }, { ...cloudPlatform, ...platform }));
    await expect(fails({ databaseName: '1orders' })).rejects.toThrow(
      'postgres: "1orders" cannot name an RDS instance',
    );
    await expect(fails({ databaseName: 'orders--db' })).rejects.toThrow(
      'set the platform input databaseName',
    );
    await expect(fails({ databaseName: 'orders-' })).rejects.toThrow('cannot name an RDS instance');
    await expect(fails({ databaseName: 'orders-db' })()).resolves.toBeDefined();
  });

  it('explains which cloud settings are missing, and rejects CIDRs with host bits', async () => {
    await expect(async () =>
      postgres.generate(request({ type: 'cloud', version: '16' }, { cloud: 'aws' })),
    ).rejects.toThrow(
      "postgres: type cloud needs the platform inputs region, securityIPs in the workspace's postgres module config",
    );
    await expect(async () =>
      postgres.generate(request({ type: 'cloud', version: '16' }, { cloud: 'aws', region: 'eu-west-1' })),
    ).rejects.toThrow('needs the platform inputs securityIPs in');
    await expect(async () => postgres.generate(request({ type: 'cloud', version: '16' }))).rejects.toThrow(
      "postgres: type cloud needs the platform input cloud in the workspace's postgres module config (aws for a " +
        'managed instance, offline for the provider-neutral stand-in)',
    );
    await expect(async () =>
      postgres.generate(
        request({ type: 'cloud', version: '16' }, { ...cloudPlatform, securityIPs: ['10.0.0.1/8'] }),
      ),
    ).rejects.toThrow('securityIPs entry 10.0.0.1/8 has host bits set; did you mean 10.0.0.0/8?');
  });
});

describe('postgres, cloud: offline', () => {
  const passwordId = 'kusion:kusiontest:kusiontest_password:shop-prod-web-postgres';
  const instanceId = 'builtin:terraform:terraform_data:shop-prod-web-postgres';

  it('generates kusiontest_password, terraform_data and connection Secret (golden)', async () => {
    const result = await assertDeterministic(
      postgres,
      request({ type: 'cloud', version: '16.3' }, { ...offlinePlatform, username: 'shop' }),
    );
    await expect(stringify(result, { lineWidth: 0 })).toMatchFileSnapshot(
      './__snapshots__/postgres-offline.yaml.snap',
    );
  });

  it('records the instance facts in input and wires the password and host with $kusion_path', async () => {
    const result = await postgres.generate(request({ type: 'cloud', version: '16.3' }, offlinePlatform));
    expect(result.resources.map((r) => r.id)).toEqual([
      passwordId,
      instanceId,
      'v1:Secret:shop:shop-prod-web-postgres-postgres',
    ]);
    expect(byId(result.resources, passwordId).attributes).toEqual({ length: 16, special: false });
    const instance = byId(result.resources, instanceId);
    expect(instance.attributes).toEqual({
      input: {
        address: 'shop-prod-web-postgres.offline.db.internal',
        port: 5432,
        engine: 'postgres',
        version: '16.3',
        username: 'root',
        password: `$kusion_path.${passwordId}.result`,
      },
      // A new engine or version replaces the instance, as it would a real one.
      triggers_replace: { engine: 'postgres', version: '16.3' },
    });
    expect(instance.extensions).toEqual({
      'kusion.io/sensitive': ['input.password', 'output.password'],
      provider: 'terraform.io/builtin/terraform/builtin',
      providerMeta: {},
      resourceType: 'terraform_data',
    });
    const secret = byId(result.resources, 'v1:Secret:shop:shop-prod-web-postgres-postgres');
    expect(secret.attributes['stringData']).toEqual({
      hostAddress: `$kusion_path.${instanceId}.output.address`,
      username: 'root',
      password: `$kusion_path.${passwordId}.result`,
    });
  });

  it('uses only the kusiontest and built-in providers, pinned to the mirror version unless overridden', async () => {
    const providers = async (platform: PostgresPlatform) =>
      (await postgres.generate(request({ type: 'cloud', version: '16' }, platform))).resources
        .filter((r) => r.type === 'Terraform')
        .map((r) => r.extensions?.['provider']);
    expect(await providers(offlinePlatform)).toEqual([
      'kusion.test/kusion/kusiontest/0.1.0',
      'terraform.io/builtin/terraform/builtin',
    ]);
    expect(
      await providers({
        ...offlinePlatform,
        providerVersions: { kusiontest: '0.2.0', random: '3.6.3', aws: '5.0.1' },
      }),
    ).toEqual(['kusion.test/kusion/kusiontest/0.2.0', 'terraform.io/builtin/terraform/builtin']);
  });

  it('needs neither region nor securityIPs, and ignores the AWS-only inputs', async () => {
    const plain = await postgres.generate(request({ type: 'cloud', version: '16' }, offlinePlatform));
    const withAws = await postgres.generate(
      request(
        { type: 'cloud', version: '16' },
        {
          ...offlinePlatform,
          region: 'eu-west-1',
          securityIPs: ['0.0.0.0/0'],
          instanceType: 'db.r6g.large',
          size: 100,
          subnetGroupName: 'private-db',
          skipFinalSnapshot: true,
        },
      ),
    );
    expect(withAws).toEqual(plain);
  });

  it('injects the same KUSION_DB_* variables as the other variants', async () => {
    const offline = await postgres.generate(request({ type: 'cloud', version: '16' }, offlinePlatform));
    const aws = await postgres.generate(request({ type: 'cloud', version: '16' }, cloudPlatform));
    expect(offline.patcher).toEqual(aws.patcher);
    expect(offline.patcher?.environments?.map((env) => env.name)).toEqual([
      'KUSION_DB_HOST_SHOP_PROD_WEB_POSTGRES',
      'KUSION_DB_USERNAME_SHOP_PROD_WEB_POSTGRES',
      'KUSION_DB_PASSWORD_SHOP_PROD_WEB_POSTGRES',
    ]);
  });

  it('names the instance after databaseName, which need not be a valid RDS identifier', async () => {
    const result = await postgres.generate(
      request({ type: 'cloud', version: '16' }, { ...offlinePlatform, databaseName: 'orders--db' }),
    );
    expect(result.resources.map((r) => r.id)).toEqual([
      'kusion:kusiontest:kusiontest_password:orders--db',
      'builtin:terraform:terraform_data:orders--db',
      'v1:Secret:shop:orders--db-postgres',
    ]);
    expect(byId(result.resources, 'builtin:terraform:terraform_data:orders--db').attributes).toMatchObject({
      input: { address: 'orders--db.offline.db.internal' },
    });
  });
});
