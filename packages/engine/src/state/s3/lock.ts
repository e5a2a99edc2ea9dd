/**
 * The lease lock as one object, `locks/<project>/<stack>/<workspace>.json` (SPEC §9.3). Every change is a
 * conditional PUT: a free lock is taken with `If-None-Match: *`, and a takeover, renewal or release
 * replaces the exact version read with `If-Match: <etag>`, so of two racing writers exactly one wins.
 *
 * Releasing writes a tombstone, `{"released": true, "version": n}`, instead of deleting: a DELETE cannot
 * be made conditional on every S3-compatible store, and an unconditional one could remove a lock another
 * run took a moment earlier. A tombstone reads as a free lock and is itself replaced with `If-Match`.
 *
 * S3 has no clock to ask, so expiry follows the injected clock (the machine's, NTP-synchronised; the
 * 60 s lease dwarfs ordinary skew).
 */
import { z } from 'zod';
import { Codes, KusionError } from '../../errors/index.js';
import { invalidRecord, LeaseLostError, LockHeldError, type ReleaseIdentity } from '../errors.js';
import type { AcquireLockOptions, Clock, ReleaseLock, RenewLockOptions } from '../port.js';
import { type LockOwner, type LockRecord, LockRecordSchema } from '../records.js';
import { isExpired, leaseLostReason, lockRecord, renewedRecord } from '../rules.js';
import type { S3Objects } from './objects.js';

const TombstoneSchema = z.strictObject({
  released: z.literal(true),
  version: z.number().int().nonnegative(),
});

/** What the lock object holds: a record, a tombstone (free) or nothing (free). */
interface Current {
  readonly etag: string;
  readonly record: LockRecord | undefined;
  /** The version the next record must exceed. */
  readonly version: number;
}

const rounds = 10;

/** The lease lock of one identity on an S3 backend. */
export class S3Lock implements ReleaseLock {
  private readonly objects: S3Objects;
  private readonly key: string;
  private readonly identity: ReleaseIdentity;
  private readonly clock: Clock;

  constructor(objects: S3Objects, key: string, identity: ReleaseIdentity, clock: Clock) {
    this.objects = objects;
    this.key = key;
    this.identity = identity;
    this.clock = clock;
  }

  async acquire(owner: LockOwner, options: AcquireLockOptions): Promise<LockRecord> {
    for (let round = 0; round < rounds; round++) {
      const current = await this.current();
      const now = this.clock.now();
      if (current?.record && !isExpired(current.record, now))
        throw new LockHeldError(this.identity, current.record);
      const next = lockRecord(owner, options.operation, now, options.leaseMs, (current?.version ?? 0) + 1);
      const written = await this.objects.putExclusive(
        this.key,
        serialize(next),
        current ? { ifMatch: current.etag } : { ifNoneMatch: true },
      );
      if (written !== undefined) return next;
    }
    throw busy(this.key);
  }

  async renew(held: LockRecord, options: RenewLockOptions): Promise<LockRecord> {
    const current = await this.current();
    const now = this.clock.now();
    const lost = leaseLostReason(this.identity, held, current?.record, now, true);
    if (lost || !current) throw lost ?? new LeaseLostError(this.identity, 'the lock was removed');
    const next = renewedRecord(held, now, options.leaseMs);
    const written = await this.objects.putExclusive(this.key, serialize(next), { ifMatch: current.etag });
    if (written !== undefined) return next;
    throw await this.whyLost(held, true);
  }

  async release(held: LockRecord): Promise<void> {
    const current = await this.current();
    const lost = leaseLostReason(this.identity, held, current?.record, this.clock.now(), false);
    if (lost || !current) throw lost ?? new LeaseLostError(this.identity, 'the lock was removed');
    const tombstone = `${JSON.stringify({ released: true, version: held.version })}\n`;
    if ((await this.objects.put(this.key, tombstone, { ifMatch: current.etag })) === undefined) {
      throw await this.whyLost(held, false);
    }
  }

  async read(): Promise<LockRecord | undefined> {
    return (await this.current())?.record;
  }

  async forceRelease(): Promise<LockRecord | undefined> {
    for (let round = 0; round < rounds; round++) {
      const stored = await this.objects.get(this.key);
      if (!stored) return undefined;
      // A damaged object is replaced too, and reported as nothing: that is what unlock is for.
      const parsed = parse(stored.body);
      if (parsed?.kind === 'tombstone') return undefined;
      const record = parsed?.kind === 'record' ? parsed.record : undefined;
      const tombstone = `${JSON.stringify({ released: true, version: record?.version ?? 0 })}\n`;
      if ((await this.objects.put(this.key, tombstone, { ifMatch: stored.etag })) !== undefined)
        return record;
    }
    throw busy(this.key);
  }

  private async current(): Promise<Current | undefined> {
    const stored = await this.objects.get(this.key);
    if (!stored) return undefined;
    const parsed = parse(stored.body);
    if (!parsed) throw invalidRecord('lock record', this.key, 'neither a lock record nor a released lock');
    return parsed.kind === 'record'
      ? { etag: stored.etag, record: parsed.record, version: parsed.record.version }
      : { etag: stored.etag, record: undefined, version: parsed.version };
  }

  private async whyLost(held: LockRecord, mustBeUnexpired: boolean): Promise<LeaseLostError> {
    const current = await this.read();
    return (
      leaseLostReason(this.identity, held, current, this.clock.now(), mustBeUnexpired) ??
      new LeaseLostError(this.identity, 'the lock changed while it was being written', current)
    );
  }
}

function parse(
  body: string,
): { kind: 'record'; record: LockRecord } | { kind: 'tombstone'; version: number } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
  const record = LockRecordSchema.safeParse(value);
  if (record.success) return { kind: 'record', record: record.data };
  const tombstone = TombstoneSchema.safeParse(value);
  return tombstone.success ? { kind: 'tombstone', version: tombstone.data.version } : undefined;
}

function serialize(record: LockRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

function busy(key: string): KusionError {
  return new KusionError(Codes.backendUnreachable, `the lock object ${key} keeps changing; try again`, {
    source: 'external',
  });
}
