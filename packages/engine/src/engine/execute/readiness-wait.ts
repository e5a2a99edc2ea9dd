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

/** The health policy over the object a built-in `ready` verdict was made on. */
function withPolicy(readiness: Readiness, policy: HealthPolicy | undefined): Readiness {
  if (readiness.state !== 'ready' || !policy || !readiness.object) return readiness;
  const verdict = policy.check(readiness.object);
  return verdict.healthy
    ? readiness
    : { state: 'progressing', message: verdict.reason, object: readiness.object };
}

/** Built-in readiness, then the health policy over the same live object. */
async function readinessWithPolicy(
  runtime: Runtime,
  resource: Resource,
  options: WaitOptions,
): Promise<Readiness> {
  const readiness = await runtime.readiness(resource, options.signal ? { signal: options.signal } : {});
  return withPolicy(readiness, options.healthPolicy);
}

/**
 * Waits until a resource is ready, failed or the wait is stopped (SPEC §11.4). Runtimes that can watch are
 * watched; when the watch drops (the server closed it, the connection failed, the version expired), or for
 * runtimes without watches, readiness is polled with backoff.
 */
export async function waitUntilReady(
  runtime: Runtime,
  resource: Resource,
  options: WaitOptions,
): Promise<Readiness> {
  if (runtime.watch && !options.stop.aborted) {
    const settled = await waitByWatch(runtime.watch.bind(runtime), resource, options);
    if (settled) return settled;
  }
  return await poll(runtime, resource, options);
}

/** The verdict that ended the watch, or undefined when it ended first (or was stopped): poll then. */
async function waitByWatch(
  watch: NonNullable<Runtime['watch']>,
  resource: Resource,
  options: WaitOptions,
): Promise<Readiness | undefined> {
  const signal = options.signal ? AbortSignal.any([options.stop, options.signal]) : options.stop;
  try {
    for await (const verdict of watch(resource, { signal })) {
      const readiness = withPolicy(verdict, options.healthPolicy);
      if (readiness.state !== 'progressing') return readiness;
      options.onProgress?.(readiness.message);
    }
  } catch (error) {
    // A watch that cannot start or breaks is not the resource's fault: polling decides instead. An abort of
    // the caller's own signal is, and goes up.
    if (options.signal?.aborted) throw error;
  }
  return undefined;
}

/** Polls a resource's readiness with backoff until ready, failed or stopped. */
async function poll(runtime: Runtime, resource: Resource, options: WaitOptions): Promise<Readiness> {
  let delay = options.initialDelayMs ?? 250;
  let last: Readiness = { state: 'progressing', message: 'not checked yet' };
  for (;;) {
    last = await readinessWithPolicy(runtime, resource, options);
    if (last.state !== 'progressing') return last;
    options.onProgress?.(last.message);
    if (options.stop.aborted) return last;
    const stopped = await new Promise<boolean>((resolve) => {
      const onStop = () => {
        clearTimeout(timer);
        resolve(true);
      };
      // The listener goes when the timer fires, so long waits do not pile listeners up on the stop signal.
      const timer = setTimeout(() => {
        options.stop.removeEventListener('abort', onStop);
        resolve(false);
      }, delay);
      options.stop.addEventListener('abort', onStop, { once: true });
    });
    if (stopped) return await readinessWithPolicy(runtime, resource, options);
    delay = Math.min(delay * 2, options.maxDelayMs ?? 2_000);
  }
}
