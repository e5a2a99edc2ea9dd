/**
 * `--lock-wait`: polls a held lock until it is free, the holder's lease expires (takeover), the wait runs
 * out or the caller aborts. Backend-neutral: it only calls `ReleaseLock.acquire`.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Codes, isKusionError, KusionError } from '../errors/index.js';
import { LockHeldError } from './errors.js';
import type { AcquireLockOptions, Clock, ReleaseStore } from './port.js';
import type { LockOwner, LockRecord } from './records.js';

/** Options of `acquireLock`. */
export interface AcquireLockWaitOptions extends AcquireLockOptions {
  /** Decides when the wait is over. */
  readonly clock: Clock;
  /** How long to keep polling a held lock; 0 fails at once with the holder's details. @default 0 */
  readonly waitMs?: number;
  /** Time between attempts. @default 1000 */
  readonly pollMs?: number;
  /** Waits between attempts; tests pass a fake clock's `sleep`. @default a timer honouring `signal` */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly signal?: AbortSignal;
  /** Called with the holder's record before each wait, so the caller can report whom it waits for. */
  readonly onWait?: (held: LockRecord) => void;
}

const timerSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, signal ? { signal } : undefined);

/**
 * Acquires the identity's lock, waiting up to `waitMs` for a holder. Throws `LockHeldError` (KUS4002) when
 * the wait runs out and KUS8003 when `signal` aborts.
 */
export async function acquireLock(
  store: ReleaseStore,
  owner: LockOwner,
  options: AcquireLockWaitOptions,
): Promise<LockRecord> {
  const { clock, signal } = options;
  const waitMs = options.waitMs ?? 0;
  const pollMs = Math.max(1, options.pollMs ?? 1000);
  const sleep = options.sleep ?? timerSleep;
  const deadline = clock.now().getTime() + waitMs;
  const acquireOptions = { operation: options.operation, leaseMs: options.leaseMs };

  for (;;) {
    throwIfAborted(signal);
    try {
      return await store.lock.acquire(owner, acquireOptions);
    } catch (error) {
      if (!(error instanceof LockHeldError)) throw error;
      const left = deadline - clock.now().getTime();
      if (left <= 0) {
        throw waitMs > 0 ? new LockHeldError(store.identity, error.lock, formatMs(waitMs)) : error;
      }
      options.onWait?.(error.lock);
      try {
        await sleep(Math.min(pollMs, left), signal);
      } catch (cause) {
        if (isKusionError(cause)) throw cause;
        throwIfAborted(signal);
        throw cause;
      }
    }
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new KusionError(Codes.interrupted, 'interrupted while waiting for the lock', {
      cause: signal.reason,
    });
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
