import { describe, expect, it } from 'vitest';
import { ReleaseSchema, SpecSchema } from './release.js';

describe('ReleaseSchema', () => {
  const release = {
    project: 'shop',
    stack: 'prod',
    workspace: 'prod',
    revision: 7,
    phase: 'succeeded',
    spec: {
      resources: [
        {
          id: 'v1:Namespace:shop',
          type: 'Kubernetes',
          attributes: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
        },
      ],
    },
    state: { resources: [] },
    operator: 'ci@runner',
    source: { kind: 'rollback', fromRevision: 5 },
    kusionVersion: '0.1.0',
    createTime: '2026-11-24T10:00:00Z',
    modifiedTime: '2026-11-24T10:01:00Z',
  };

  it('accepts a release with the fields of SPEC §9.1', () => {
    expect(ReleaseSchema.safeParse(release).success).toBe(true);
  });

  it('rejects unknown phases and unknown fields', () => {
    expect(ReleaseSchema.safeParse({ ...release, phase: 'done' }).success).toBe(false);
    expect(ReleaseSchema.safeParse({ ...release, extra: 1 }).success).toBe(false);
  });

  it('accepts a spec written by the original kusion generate', () => {
    const original = {
      resources: [
        {
          id: 'hashicorp:aws:aws_db_instance:x',
          type: 'Terraform',
          attributes: {},
          extensions: {
            provider: 'registry.terraform.io/hashicorp/aws/5.0.1',
            resourceType: 'aws_db_instance',
          },
          dependsOn: [],
        },
      ],
      secretStore: null,
      context: {},
    };
    expect(SpecSchema.safeParse(original).success).toBe(true);
  });
});
