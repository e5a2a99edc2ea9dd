/**
 * The lease lock as a file, `locks/<project>/<stack>/<workspace>.json` (SPEC §9.3).
 *
 * Compare-and-set on a local file system:
 * - a free lock is taken by exclusive create (see `createExclusively`): of two racing runs exactly one
 *   creates the file, the other reads the winner's record and reports it;
 * - every change to an existing record (takeover of an expired lease, renewal, release, unlock) re-reads
 *   the record and compares `version` and `owner.runId` before an atomic replace or unlink. That
 *   read-compare-write runs under a short guard, `<workspace>.json.guard`, itself taken by exclusive create,
 *   so two read-compare-writes never interleave. A guard left by a killed process is broken when its pid is
 *   gone (same host) or it is older than `guardStaleMs`; the guard is held for milliseconds only.
 */
import { readFile, rename } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { Codes, KusionError } from '../../errors/index.js';
import { invalidRecord, LockHeldError, type ReleaseIdentity } from '../errors.js';
import type { AcquireLockOptions, Clock, ReleaseLock, RenewLockOptions } from '../port.js';
import { type LockOwner, type LockRecord, LockRecordSchema } from '../records.js';
import { isExpired, leaseLostReason, lockRecord, renewedRecord } from '../rules.js';
import { readIfExists } from './atomic-file.js';
import {
  createExclusively,
  errorCode,
  isProcessAlive,
  removeFile,
  replaceFile,
  tempNameFor,
  thisHost,
} from './durable-file.js';

/** Options of `LocalLock`. */
export interface LocalLockOptions {
  readonly clock: Clock;
  /** Age after which a guard is broken even if its process may live. @default 5000 */
  readonly guardStaleMs?: number;
}

interface GuardRecord {
  readonly pid: number;
  readonly host: string;
  readonly nonce: string;
  readonly createdAt: string;
}

let guardCounter = 0;
/** Lock and guard need no fsync: every process that could hold them dies with the machine. */
const volatile = { durable: false };
const guardAttempts = 200;

/** The lease lock of one identity, stored in one file. */
export class LocalLock implements ReleaseLock {
  private readonly identity: ReleaseIdentity;
  private readonly path: string;
  private readonly guardPath: string;
  private readonly clock: Clock;
  private readonly guardStaleMs: number;

  constructor(path: string, identity: ReleaseIdentity, options: LocalLockOptions) {
    this.identity = identity;
    this.path = path;
    this.guardPath = `${path}.guard`;
    this.clock = options.clock;
    this.guardStaleMs = options.guardStaleMs ?? 5000;
  }

  async acquire(owner: LockOwner, options: AcquireLockOptions): Promise<LockRecord> {
    // A few rounds at most: each ends in success, a held lock, or a record that vanished meanwhile.
    for (let round = 0; round < 10; round++) {
      // Read first: a held lock is reported without writing anything.
      const current = await this.read();
      if (current === undefined) {
        const fresh = lockRecord(owner, options.operation, this.clock.now(), options.leaseMs, 1);
        if (await createExclusively(this.path, serialize(fresh), volatile)) return fresh;
        continue;
      }
      if (!isExpired(current, this.clock.now())) throw new LockHeldError(this.identity, current);
      const taken = await this.withGuard(async () => {
        const again = await this.read();
        if (again === undefined) return undefined;
        const now = this.clock.now();
        if (!isExpired(again, now)) throw new LockHeldError(this.identity, again);
        const next = lockRecord(owner, options.operation, now, options.leaseMs, again.version + 1);
        await replaceFile(this.path, serialize(next), volatile);
        return next;
      });
      if (taken) return taken;
    }
    throw new KusionError(Codes.backendUnreachable, `the lock file ${this.path} keeps changing`, {
      source: 'external',
    });
  }

  async renew(held: LockRecord, options: RenewLockOptions): Promise<LockRecord> {
    return this.withGuard(async () => {
      const now = this.clock.now();
      const lost = leaseLostReason(this.identity, held, await this.read(), now, true);
      if (lost) throw lost;
      const next = renewedRecord(held, now, options.leaseMs);
      await replaceFile(this.path, serialize(next), volatile);
      return next;
    });
  }

  async release(held: LockRecord): Promise<void> {
    await this.withGuard(async () => {
      const lost = leaseLostReason(this.identity, held, await this.read(), this.clock.now(), false);
      if (lost) throw lost;
      await removeFile(this.path, volatile);
    });
  }

  async read(): Promise<LockRecord | undefined> {
    const text = await readIfExists(this.path);
    if (text === undefined) return undefined;
    const parsed = LockRecordSchema.safeParse(parseJson(text));
    if (!parsed.success) throw invalidRecord('lock record', this.path, parsed.error.message);
    return parsed.data;
  }

  async forceRelease(): Promise<LockRecord | undefined> {
    return this.withGuard(async () => {
      // A damaged record is removed too: that is what unlock is for.
      const current = await this.read().catch(() => undefined);
      await removeFile(this.path, volatile);
      return current;
    });
  }

  /** Runs `fn` while holding the guard file, so read-compare-write sequences never interleave. */
  private async withGuard<T>(fn: () => Promise<T>): Promise<T> {
    guardCounter += 1;
    const token: GuardRecord = {
      pid: process.pid,
      host: thisHost,
      nonce: `${thisHost}/${process.pid}/${guardCounter}`,
      createdAt: this.clock.now().toISOString(),
    };
    for (let attempt = 0; ; attempt++) {
      if (await createExclusively(this.guardPath, JSON.stringify(token), volatile)) break;
      const holder = await this.readGuard(this.guardPath);
      if (holder && this.isStale(holder)) await this.breakGuard(holder);
      else if (attempt >= guardAttempts) {
        throw new KusionError(
          Codes.backendUnreachable,
          `the lock file ${this.path} is busy: ${this.guardPath} is held by pid ${holder?.pid ?? '?'} on ${holder?.host ?? '?'}`,
          { source: 'external', hints: [`remove ${this.guardPath} if no kusion process is running`] },
        );
      } else await delay(Math.min(2 ** attempt, 50));
    }
    try {
      return await fn();
    } finally {
      const holder = await this.readGuard(this.guardPath);
      if (holder?.nonce === token.nonce) await removeFile(this.guardPath, volatile);
    }
  }

  private isStale(guard: GuardRecord): boolean {
    if (guard.host === thisHost && !isProcessAlive(guard.pid)) return true;
    return this.clock.now().getTime() - Date.parse(guard.createdAt) > this.guardStaleMs;
  }

  /** Moves a stale guard aside; puts it back if it turned out to be a fresh one taken meanwhile. */
  private async breakGuard(stale: GuardRecord): Promise<void> {
    const aside = tempNameFor(this.guardPath);
    try {
      await rename(this.guardPath, aside);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return;
      throw error;
    }
    const moved = await this.readGuard(aside);
    if (moved && moved.nonce !== stale.nonce)
      await createExclusively(this.guardPath, JSON.stringify(moved), volatile);
    await removeFile(aside, volatile);
  }

  private async readGuard(path: string): Promise<GuardRecord | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
    const value = parseJson(text);
    // Unreadable only if written by the O_EXCL fallback of a killed process: treat it as long stale.
    return isGuardRecord(value)
      ? value
      : { pid: 0, host: '', nonce: text, createdAt: new Date(0).toISOString() };
  }
}

function serialize(record: LockRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isGuardRecord(value: unknown): value is GuardRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['pid'] === 'number' &&
    typeof v['host'] === 'string' &&
    typeof v['nonce'] === 'string' &&
    typeof v['createdAt'] === 'string'
  );
}
