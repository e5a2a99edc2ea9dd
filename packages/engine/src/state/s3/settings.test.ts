import { describe, expect, it } from 'vitest';
import { Codes } from '../../errors/index.js';
import { parseS3Settings, redact } from './settings.js';

describe('parseS3Settings', () => {
  it('given full configs, then client options, the trimmed prefix and a label without secrets', () => {
    const s = parseS3Settings(
      'team',
      {
        bucket: 'platform-state',
        prefix: '/kusion/prod/',
        region: 'eu-west-1',
        endpoint: 'https://minio.internal:9000',
        forcePathStyle: 'false',
        accessKeyID: 'AKIA123',
        accessKeySecret: 'shh-secret',
      },
      {},
    );
    expect(s).toMatchObject({
      bucket: 'platform-state',
      prefix: 'kusion/prod',
      region: 'eu-west-1',
      endpoint: 'https://minio.internal:9000',
      forcePathStyle: false,
      credentials: { accessKeyId: 'AKIA123', secretAccessKey: 'shh-secret' },
      label: 's3://platform-state/kusion/prod at https://minio.internal:9000',
      secrets: ['shh-secret'],
    });
  });

  it('given only a bucket, then the AWS environment decides region and credentials; AWS itself is virtual-hosted', () => {
    const s = parseS3Settings(
      'team',
      { bucket: 'state' },
      { AWS_REGION: 'ap-south-1', AWS_SECRET_ACCESS_KEY: 'env-secret' },
    );
    expect(s.region).toBe('ap-south-1');
    expect(s.credentials).toBeUndefined();
    expect(s.forcePathStyle).toBe(false);
    expect(s.secrets).toEqual(['env-secret']);
    expect(
      parseS3Settings('team', { bucket: 'state', endpoint: 'http://127.0.0.1:9000' }, {}).forcePathStyle,
    ).toBe(true);
  });

  it.each([
    [{}, 'configs.bucket'],
    [{ bucket: 'Bad_Bucket' }, 'configs.bucket'],
    [{ bucket: 'state', endpoint: 'not a url' }, 'configs.endpoint'],
    [{ bucket: 'state', accessKeyID: 'only-the-id' }, 'go together'],
    [{ bucket: 'state', path: '/tmp' }, 'configs'],
  ])('given bad configs %j, then KUS4001 mentions %s', (configs, text) => {
    expect(() => parseS3Settings('team', configs, {})).toThrow(
      expect.objectContaining({ code: Codes.backendUnreachable, message: expect.stringContaining(text) }),
    );
  });

  it('given a message quoting a secret, then redact masks it', () => {
    expect(redact('signature for shh-secret failed', ['shh-secret'])).toBe('signature for ****** failed');
  });
});
