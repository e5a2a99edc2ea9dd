import { Codes, KusionError } from '../errors/index.js';
import type { Clock } from './port.js';

/** A clock tests move by hand; `sleep` advances it instead of waiting. */
export interface FakeClock extends Clock {
  /** Moves time forward. */
  advance(ms: number): void;
  set(time: Date | string): void;
  /** Advances the clock by `ms` and resolves on the next microtask; rejects when `signal` is aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * A fake clock for tests of anything that takes a `Clock` (lock expiry, `--lock-wait`).
 * @param start the initial time. @default 2026-01-01T00:00:00.000Z
 */
export function createFakeClock(start: Date | string = '2026-01-01T00:00:00.000Z'): FakeClock {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    advance(ms) {
      now += ms;
    },
    set(time) {
      now = new Date(time).getTime();
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw new KusionError(Codes.interrupted, 'interrupted', { cause: signal.reason });
      now += ms;
      await Promise.resolve();
    },
  };
}
