/**
 * The few object operations the S3 backend needs, on one lazily created client: `@aws-sdk/client-s3` is
 * imported on the first request, so commands that never touch the backend do not load it. Keys given and
 * returned are relative to the backend's prefix.
 *
 * Conditional writes are the backend's compare-and-set (SPEC §9.3): a `put` with `ifNoneMatch` creates
 * only an absent key, one with `ifMatch` replaces only the version read. Before the first conditional
 * write of a process the store is probed once; a store that ignores the headers is refused (KUS4006), so
 * a lock on it can never be silently shared by two runs. Read-only commands never probe.
 *
 * Some stores evaluate the precondition and publish the object in two steps, so concurrent conditional
 * writers can all pass (versitygw's POSIX backend up to v1.7; versity/versitygw#2288). Where two runs
 * really race, the lock and the creation of a revision, `putExclusive` therefore reads the object back
 * after a short settling time: only the writer whose bytes are there has won. Journal appends need no
 * such check: only the lock holder writes them.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import {
  isNoSuchKey,
  isNotImplemented,
  isPreconditionFailed,
  lacksConditionalWrites,
  s3Error,
} from './errors.js';
import type { S3Settings } from './settings.js';

/** An object's text and its ETag (the version a conditional write compares). */
export interface StoredObject {
  readonly body: string;
  readonly etag: string;
}

/** The precondition of a write: create only, or replace only this version. */
export type PutCondition = { readonly ifNoneMatch: true } | { readonly ifMatch: string };

/** Options of `S3Objects`. */
export interface S3ObjectsOptions {
  /** How long `putExclusive` waits before reading back. @default 150 */
  readonly settleMs?: number;
}

type Sdk = typeof import('@aws-sdk/client-s3');

/** Bounds parallel requests of one listing-wide operation. */
const limit = pLimit(16);

/** Object access for one S3 backend. */
export class S3Objects {
  readonly settings: S3Settings;
  private sdk: Promise<{ sdk: Sdk; client: S3Client }> | undefined;
  private conditional: Promise<void> | undefined;
  private readonly settleMs: number;

  constructor(settings: S3Settings, options: S3ObjectsOptions = {}) {
    this.settings = settings;
    this.settleMs = options.settleMs ?? 150;
  }

  /** The object, or undefined when absent. */
  async get(key: string): Promise<StoredObject | undefined> {
    const { sdk, client } = await this.open();
    try {
      const out = await client.send(
        new sdk.GetObjectCommand({ Bucket: this.settings.bucket, Key: this.full(key) }),
      );
      return { body: (await out.Body?.transformToString('utf-8')) ?? '', etag: out.ETag ?? '' };
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw s3Error(error, this.settings, key);
    }
  }

  /** Writes; with a condition, resolves undefined when the precondition failed. Returns the new ETag. */
  async put(key: string, body: string, condition?: PutCondition): Promise<string | undefined> {
    if (condition) await this.requireConditionalWrites();
    return this.rawPut(key, body, condition);
  }

  /**
   * A conditional write that holds even on a store whose conditional writes are not atomic (see the note
   * at the top): resolves the stored ETag when these bytes are what the key holds once racing writes have
   * landed, undefined when the precondition failed or another writer's bytes won.
   */
  async putExclusive(key: string, body: string, condition: PutCondition): Promise<string | undefined> {
    if ((await this.put(key, body, condition)) === undefined) return undefined;
    if (this.settleMs > 0) await delay(this.settleMs);
    const stored = await this.get(key);
    return stored?.body === body ? stored.etag : undefined;
  }

  /** Creates an absent key without the probe; false when it existed (first users of read-only commands). */
  async createIfAbsent(key: string, body: string): Promise<boolean> {
    return (await this.rawPut(key, body, { ifNoneMatch: true })) !== undefined;
  }

  async delete(key: string): Promise<void> {
    const { sdk, client } = await this.open();
    try {
      await client.send(new sdk.DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.full(key) }));
    } catch (error) {
      if (isNoSuchKey(error)) return;
      throw s3Error(error, this.settings, key);
    }
  }

  /**
   * Every key under `prefix` (relative), in the store's order (UTF-8 binary, i.e. code points); with
   * `shallow`, only those without a further `/` (a release directory without its journal).
   */
  async list(prefix: string, options: { readonly shallow?: boolean } = {}): Promise<string[]> {
    const { sdk, client } = await this.open();
    const keys: string[] = [];
    let token: string | undefined;
    do {
      try {
        const out = await client.send(
          new sdk.ListObjectsV2Command({
            Bucket: this.settings.bucket,
            Prefix: this.full(prefix),
            ...(options.shallow ? { Delimiter: '/' } : {}),
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        for (const item of out.Contents ?? []) if (item.Key) keys.push(this.relative(item.Key));
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } catch (error) {
        throw s3Error(error, this.settings, prefix);
      }
    } while (token);
    return keys;
  }

  /**
   * Deletes many keys: one DeleteObjects request per 1,000 (a compacted journal is one request, not one
   * per resource), or one DELETE each, a bounded number at a time, where the store lacks DeleteObjects.
   */
  async deleteAll(keys: readonly string[]): Promise<void> {
    const { sdk, client } = await this.open();
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      try {
        const out = await client.send(
          new sdk.DeleteObjectsCommand({
            Bucket: this.settings.bucket,
            Delete: { Objects: batch.map((key) => ({ Key: this.full(key) })), Quiet: true },
          }),
        );
        const failed = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
        if (failed[0]) {
          throw s3Error({ name: failed[0].Code, message: failed[0].Message }, this.settings, failed[0].Key);
        }
      } catch (error) {
        if (!isNotImplemented(error)) throw s3Error(error, this.settings);
        await Promise.all(batch.map((key) => limit(() => this.delete(key))));
      }
    }
  }

  /** Checks once per process that the store honours If-None-Match and If-Match; KUS4006 otherwise. */
  requireConditionalWrites(): Promise<void> {
    this.conditional ??= this.probe().catch((error: unknown) => {
      this.conditional = undefined; // an unreachable store may come back; a KUS4006 is found again
      throw error;
    });
    return this.conditional;
  }

  /** Releases the client's sockets. */
  async close(): Promise<void> {
    const opened = this.sdk;
    this.sdk = undefined;
    if (opened) (await opened).client.destroy();
  }

  private async probe(): Promise<void> {
    const key = `.kusion/probe/${randomUUID()}`;
    try {
      if ((await this.rawPut(key, 'a', { ifNoneMatch: true })) === undefined) {
        throw lacksConditionalWrites(this.settings, 'a create of a new key failed its precondition');
      }
      if ((await this.rawPut(key, 'b', { ifNoneMatch: true })) !== undefined) {
        throw lacksConditionalWrites(this.settings, 'If-None-Match: * overwrote an existing object');
      }
      if ((await this.rawPut(key, 'c', { ifMatch: '"00000000000000000000000000000000"' })) !== undefined) {
        throw lacksConditionalWrites(this.settings, 'If-Match with a wrong ETag overwrote the object');
      }
    } finally {
      await this.delete(key).catch(() => undefined);
    }
  }

  private async rawPut(key: string, body: string, condition?: PutCondition): Promise<string | undefined> {
    const { sdk, client } = await this.open();
    try {
      const out = await client.send(
        new sdk.PutObjectCommand({
          Bucket: this.settings.bucket,
          Key: this.full(key),
          Body: body,
          ContentLength: Buffer.byteLength(body),
          ContentType: key.endsWith('.yaml') ? 'application/yaml' : 'application/json',
          ...(condition && 'ifNoneMatch' in condition ? { IfNoneMatch: '*' } : {}),
          ...(condition && 'ifMatch' in condition ? { IfMatch: condition.ifMatch } : {}),
        }),
      );
      return out.ETag ?? '';
    } catch (error) {
      if (condition && isPreconditionFailed(error)) return undefined;
      if (condition && isNotImplemented(error))
        throw lacksConditionalWrites(this.settings, 'the store answered 501');
      throw s3Error(error, this.settings, key);
    }
  }

  private full(key: string): string {
    return this.settings.prefix ? `${this.settings.prefix}/${key}` : key;
  }

  private relative(key: string): string {
    return this.settings.prefix ? key.slice(this.settings.prefix.length + 1) : key;
  }

  private open(): Promise<{ sdk: Sdk; client: S3Client }> {
    // Kusion runs on Node 20 by design (ARCHITECTURE §4); the SDK's seven-line notice about its future
    // Node 22 requirement would land in every command's output. A user's own setting wins.
    process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
    this.sdk ??= import('@aws-sdk/client-s3').then((sdk) => {
      const s = this.settings;
      const client = new sdk.S3Client({
        region: s.region,
        forcePathStyle: s.forcePathStyle,
        ...(s.endpoint ? { endpoint: s.endpoint } : {}),
        ...(s.credentials ? { credentials: { ...s.credentials } } : {}),
        maxAttempts: 3,
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
        // Only where S3 requires a checksum: other stores often reject the newer default trailers.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      return { sdk, client };
    });
    return this.sdk;
  }
}
