import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A token bucket: `qps` tokens per second, at most `burst` saved up. Keeps Kusion a polite client of
 * the API server (SPEC §4.4 `runtimes.kubernetes.qps`/`burst`).
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private readonly qps: number;
  private readonly burst: number;
  private readonly now: () => number;

  constructor(qps: number, burst: number, now: () => number = () => performance.now()) {
    this.qps = qps;
    this.burst = burst;
    this.now = now;
    this.tokens = burst;
    this.last = now();
  }

  /** Resolves when a request may be sent. */
  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = ((1 - this.tokens) / this.qps) * 1000;
      await sleep(waitMs, undefined, signal ? { signal } : {});
    }
  }
}
