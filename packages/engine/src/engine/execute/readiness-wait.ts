import type { Resource } from '../../model/index.js';
import type { HealthPolicy } from '../../policy/index.js';
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
  /** The resource's `healthPolicy`, checked on top of the built-in rules once they say ready. */
  readonly healthPolicy?: HealthPolicy;
}

/** Built-in readiness, then the health policy over the same live object. */
async function readinessWithPolicy(
  runtime: Runtime,
  resource: Resource,
  options: WaitOptions,
): Promise<Readiness> {
  const readiness = await runtime.readiness(resource, options.signal ? { signal: options.signal } : {});
  if (readiness.state !== 'ready' || !options.healthPolicy || !readiness.object) return readiness;
  const verdict = options.healthPolicy.check(readiness.object);
  return verdict.healthy
    ? readiness
    : { state: 'progressing', message: verdict.reason, object: readiness.object };
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
    last = await readinessWithPolicy(runtime, resource, options);
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
    if (stopped) return await readinessWithPolicy(runtime, resource, options);
    delay = Math.min(delay * 2, options.maxDelayMs ?? 2_000);
  }
}
