import { describe, expect, it } from 'vitest';
import { Extensions, kubernetesResource, type TerraformProvider, terraformResource } from './resources.js';
import type { JsonObject } from './types.js';

describe('terraformResource', () => {
  it('copies the provider meta, so two resources made from one meta do not share it', () => {
    const meta: JsonObject = { region: 'eu-west-1', default_tags: { tags: { team: 'shop' } } };
    const provider: TerraformProvider = { source: 'hashicorp/aws', version: '5.100.0', meta };
    const group = terraformResource({ provider, type: 'aws_security_group', name: 'db', attributes: {} });
    const instance = terraformResource({ provider, type: 'aws_db_instance', name: 'db', attributes: {} });

    const groupMeta = group.extensions?.[Extensions.providerMeta];
    const instanceMeta = instance.extensions?.[Extensions.providerMeta];
    expect(groupMeta).toEqual(meta);
    expect(instanceMeta).toEqual(meta);
    expect(groupMeta).not.toBe(meta);
    expect(instanceMeta).not.toBe(groupMeta);
    expect((groupMeta as JsonObject)['default_tags']).not.toBe((instanceMeta as JsonObject)['default_tags']);

    (groupMeta as JsonObject)['region'] = 'us-east-1';
    expect(instance.extensions?.[Extensions.providerMeta]).toEqual(meta);
    expect(meta['region']).toBe('eu-west-1');
  });

  it('copies the extensions it is given and names the resource after provider, type and name', () => {
    const extensions: JsonObject = { [Extensions.sensitive]: ['triggers.password'] };
    const provider: TerraformProvider = { source: 'hashicorp/null', version: '3.3.1' };
    const first = terraformResource({
      provider,
      type: 'null_resource',
      name: 'db',
      attributes: {},
      extensions,
    });
    const second = terraformResource({
      provider,
      type: 'null_resource',
      name: 'db',
      attributes: {},
      extensions,
    });
    expect(first.id).toBe('hashicorp:null:null_resource:db');
    expect(first.extensions).toEqual({
      [Extensions.sensitive]: ['triggers.password'],
      [Extensions.provider]: 'registry.terraform.io/hashicorp/null/3.3.1',
      [Extensions.providerMeta]: {},
      [Extensions.resourceType]: 'null_resource',
    });
    expect(first.extensions?.[Extensions.sensitive]).not.toBe(extensions[Extensions.sensitive]);
    expect(first.extensions?.[Extensions.sensitive]).not.toBe(second.extensions?.[Extensions.sensitive]);
    expect(first.extensions?.[Extensions.providerMeta]).not.toBe(
      second.extensions?.[Extensions.providerMeta],
    );
  });
});

describe('kubernetesResource', () => {
  it('copies the extensions it is given', () => {
    const extensions: JsonObject = { [Extensions.sensitive]: ['data.token'] };
    const object = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'shop' },
    });
    const first = kubernetesResource(object('a'), { extensions });
    const second = kubernetesResource(object('b'), { extensions });
    expect(first.extensions).toEqual({
      [Extensions.sensitive]: ['data.token'],
      [Extensions.gvk]: 'v1, Kind=Secret',
    });
    expect(first.extensions?.[Extensions.sensitive]).not.toBe(extensions[Extensions.sensitive]);
    expect(first.extensions?.[Extensions.sensitive]).not.toBe(second.extensions?.[Extensions.sensitive]);
  });
});
