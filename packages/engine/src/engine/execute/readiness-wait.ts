import type { Resource } from '../../model/index.js';
import type { Readiness, Runtime } from '../../runtimes/port.js';

export interface WaitOptions {
  /** Stop waiting (timeout or interrupt): the last readiness is returned. */
  readonly stop: AbortSignal;
  readonly signal?: AbortSignal;
  readonly onProgress?: (message: string) => void;
  /** @default 250 */
  readonly initialDelayMs?: number;
  /** @default 2000 */
  readonly maxDelayMs?: number;
}

/** Polls a resource's readiness with backoff until ready, failed or stopped. */
export async function waitUntilReady(
  runtime: Runtime,
  resource: Resource,
  options: WaitOptions,
): Promise<Readiness> {
  let delay = options.initialDelayMs ?? 250;
  let last: Readiness = { state: 'progressing', message: 'not checked yet' };
  for (;;) {
    last = await runtime.readiness(resource, options.signal ? { signal: options.signal } : {});
    if (last.state !== 'progressing') return last;
    options.onProgress?.(last.message);
    if (options.stop.aborted) return last;
    const stopped = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), delay);
      options.stop.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve(true);
        },
        { once: true },
      );
    });
    if (stopped) return await runtime.readiness(resource, options.signal ? { signal: options.signal } : {});
    delay = Math.min(delay * 2, options.maxDelayMs ?? 2_000);
  }
}
