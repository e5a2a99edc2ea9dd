import { describe, expect, it } from 'vitest';
import type { Resource } from '../../model/index.js';
import { unitConfig } from './config.js';

const resource = (
  id: string,
  attributes: Resource['attributes'],
  extensions: Resource['extensions'],
): Resource => ({
  id,
  type: 'Terraform',
  attributes,
  extensions,
});
const aws = (region: string) => ({
  provider: 'registry.terraform.io/hashicorp/aws/5.100.0',
  providerMeta: { region },
});

describe('unitConfig', () => {
  it('given references between members, then they become native expressions and other template sequences stay literal', () => {
    const sg = resource(
      'hashicorp:aws:aws_security_group:db',
      { name: 'db', description: 'costs ${nothing} %{if}' },
      {
        ...aws('eu-west-1'),
        resourceType: 'aws_security_group',
      },
    );
    const db = resource(
      'hashicorp:aws:aws_db_instance:db',
      {
        vpc_security_group_ids: ['$kusion_path.hashicorp:aws:aws_security_group:db.id'],
        tags: { first: '$kusion_path.hashicorp:aws:aws_security_group:db.ingress.0.cidr_blocks' },
      },
      { ...aws('eu-west-1'), resourceType: 'aws_db_instance' },
    );
    const config = unitConfig([sg, db]);
    expect(config).toEqual({
      terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } },
      provider: { aws: [{ region: 'eu-west-1' }] },
      resource: {
        aws_security_group: { db: { name: 'db', description: 'costs $${nothing} %%{if}', provider: 'aws' } },
        aws_db_instance: {
          db: {
            vpc_security_group_ids: ['${aws_security_group.db.id}'],
            tags: { first: '${aws_security_group.db.ingress[0].cidr_blocks}' },
            provider: 'aws',
          },
        },
      },
    });
  });

  it('given one provider with two configurations, then each gets an aliased block; built-ins get none', () => {
    const west = resource(
      'hashicorp:aws:aws_s3_bucket:a',
      {},
      { ...aws('eu-west-1'), resourceType: 'aws_s3_bucket' },
    );
    const east = resource(
      'hashicorp:aws:aws_s3_bucket:b',
      {},
      { ...aws('us-east-1'), resourceType: 'aws_s3_bucket' },
    );
    const data = resource(
      'builtin:terraform:terraform_data:c',
      { input: 1 },
      {
        provider: 'terraform.io/builtin/terraform/builtin',
        providerMeta: {},
        resourceType: 'terraform_data',
      },
    );
    const config = unitConfig([west, east, data]);
    expect(config['provider']).toEqual({
      aws: [
        { region: 'eu-west-1', alias: 'p1' },
        { region: 'us-east-1', alias: 'p2' },
      ],
    });
    expect(config['resource']).toEqual({
      aws_s3_bucket: { a: { provider: 'aws.p1' }, b: { provider: 'aws.p2' } },
      terraform_data: { c: { input: 1 } },
    });
  });

  it('given an observed resource, then an import block adopts it and its changes are ignored', () => {
    const observed = resource(
      'kusion:kusiontest:kusiontest_file:f',
      { filename: '/etc/x', content: '' },
      {
        provider: 'kusion.test/kusion/kusiontest/0.1.0',
        providerMeta: {},
        resourceType: 'kusiontest_file',
        'kusionstack.io/import-id': '/etc/x',
      },
    );
    const config = unitConfig([observed]);
    expect(config['import']).toEqual([{ to: 'kusiontest_file.f', id: '/etc/x' }]);
    expect(config['terraform']).toEqual({
      required_providers: { kusiontest: { source: 'kusion.test/kusion/kusiontest', version: '0.1.0' } },
    });
    expect(
      (config['resource'] as Record<string, Record<string, unknown>>)['kusiontest_file']?.['f'],
    ).toMatchObject({
      lifecycle: { ignore_changes: 'all' },
    });
  });
});
