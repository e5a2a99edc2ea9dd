import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomSuffix } from '../../testbed/index.js';

const testbed = inject('testbed');

describe('testbed S3 (versitygw)', () => {
  const bucket = `kt-tb-s3-${randomSuffix()}`;
  const s3 = new S3Client({
    endpoint: testbed.s3.endpoint,
    forcePathStyle: true,
    region: testbed.s3.region,
    credentials: { accessKeyId: testbed.s3.accessKeyId, secretAccessKey: testbed.s3.secretAccessKey },
  });
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'state.json' })).catch(() => undefined);
    await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    s3.destroy();
  });

  it('round-trips an object', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'state.json', Body: '{"v":1}' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'state.json' }));
    expect(await got.Body?.transformToString()).toBe('{"v":1}');
  });

  it('honours If-None-Match: * (a second create gets 412) and If-Match', async () => {
    const first = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'lock', Body: 'a', IfNoneMatch: '*' }),
    );
    expect(first.ETag).toBeTruthy();
    const second = await s3
      .send(new PutObjectCommand({ Bucket: bucket, Key: 'lock', Body: 'b', IfNoneMatch: '*' }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(second).toBeInstanceOf(S3ServiceException);
    expect((second as S3ServiceException).$metadata.httpStatusCode).toBe(412);
    const renewed = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'lock', Body: 'c', IfMatch: first.ETag }),
    );
    const stale = await s3
      .send(new PutObjectCommand({ Bucket: bucket, Key: 'lock', Body: 'd', IfMatch: first.ETag }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(renewed.ETag).toBeTruthy();
    expect((stale as S3ServiceException).$metadata.httpStatusCode).toBe(412);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'lock' }));
  });
});

describe('testbed PostgreSQL', () => {
  it('answers SELECT 1', async () => {
    const pool = new pg.Pool({ connectionString: testbed.postgres.url, max: 1 });
    try {
      const res = await pool.query<{ one: number }>('SELECT 1 AS one');
      expect(res.rows[0]?.one).toBe(1);
    } finally {
      await pool.end();
    }
  });
});
