/**
 * A bucket per test file on the testbed's S3 server (versitygw) and a fresh prefix per fixture, so tests
 * never see each other's objects; everything is deleted afterwards.
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import type { Clock } from '../../../packages/engine/src/state/port.js';
import { openS3Backend, type S3Backend } from '../../../packages/engine/src/state/s3/backend.js';
import { randomSuffix } from '../../testbed/index.js';

/** The configs of an `s3` backend on the testbed's server. */
export type S3Configs = {
  readonly bucket: string;
  readonly prefix: string;
  readonly endpoint: string;
  readonly region: string;
  readonly forcePathStyle: boolean;
  readonly accessKeyID: string;
  readonly accessKeySecret: string;
};

/** One bucket, created on first use; `fixture()` hands out fresh prefixes in it. */
export interface S3Bucket {
  readonly name: string;
  readonly client: S3Client;
  /** A backend on a fresh prefix; every `open` is its own client, as another process would be. */
  fixture(tag: string): Promise<S3Fixture>;
  /** Deletes every object and the bucket. */
  remove(): Promise<void>;
}

export interface S3Fixture {
  readonly configs: S3Configs;
  open(clock?: Clock): S3Backend;
  /** Closes every handle and deletes the prefix's objects. */
  drop(): Promise<void>;
}

export function s3Bucket(tag: string): S3Bucket {
  const { s3 } = inject('testbed');
  const name = `kt-${tag}-${randomSuffix(8)}`;
  const client = new S3Client({
    endpoint: s3.endpoint,
    forcePathStyle: true,
    region: s3.region,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  let created: Promise<unknown> | undefined;
  const configsFor = (prefix: string): S3Configs => ({
    bucket: name,
    prefix,
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    accessKeyID: s3.accessKeyId,
    accessKeySecret: s3.secretAccessKey,
  });
  return {
    name,
    client,
    async fixture(fixtureTag) {
      created ??= client.send(new CreateBucketCommand({ Bucket: name }));
      await created;
      const configs = configsFor(`${fixtureTag}-${randomSuffix(6)}`);
      const opened: S3Backend[] = [];
      return {
        configs,
        open(clock) {
          const backend = openS3Backend('test', configs, clock ? { clock } : {});
          opened.push(backend);
          return backend;
        },
        async drop() {
          await Promise.all(opened.map((b) => b.close()));
          await deleteAll(client, name, `${configs.prefix}/`);
        },
      };
    },
    async remove() {
      if (created !== undefined) {
        await deleteAll(client, name, '');
        await client.send(new DeleteBucketCommand({ Bucket: name }));
      }
      client.destroy();
    },
  };
}

export async function deleteAll(client: S3Client, bucket: string, prefix: string): Promise<void> {
  for (;;) {
    const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    const keys = (out.Contents ?? []).map((c) => c.Key).filter((k): k is string => k !== undefined);
    if (keys.length === 0) return;
    for (const key of keys) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }
}
