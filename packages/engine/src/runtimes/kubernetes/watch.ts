/**
 * One object's changes as an async stream, from a Kubernetes watch on its collection narrowed by a
 * `metadata.name` field selector (SPEC §11.4: no namespace-wide filtering on our side).
 *
 * client-node's `Watch` reports through two callbacks; this turns them into a queue the consumer pulls
 * from. The stream ends when the server closes the watch, the connection fails, an `ERROR` event arrives
 * (e.g. 410 Gone: the version is too old) or the signal aborts; the consumer decides what to do next (the
 * readiness wait falls back to polling). Leaving the loop early aborts the request: `finally` runs on every
 * exit path, and `done` is handled exactly once by client-node.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { Watch } from '@kubernetes/client-node';
import type { JsonObject } from '../../model/index.js';

export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: JsonObject;
}

export interface WatchObjectOptions {
  /** The collection path, e.g. `/apis/apps/v1/namespaces/shop/deployments`. */
  readonly path: string;
  readonly name: string;
  /** Start after this version (the object as applied), so no change in between is missed. */
  readonly resourceVersion?: string;
  readonly signal?: AbortSignal;
}

const isEventType = (type: string): type is WatchEvent['type'] =>
  type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED';

/** Changes of one object until the watch ends; see the module note for when it ends. */
export async function* watchObject(
  config: KubeConfig,
  options: WatchObjectOptions,
): AsyncGenerator<WatchEvent, void, undefined> {
  if (options.signal?.aborted) return;
  const queue: WatchEvent[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const end = () => {
    ended = true;
    notify();
  };
  const controller = await new Watch(config).watch(
    options.path,
    {
      fieldSelector: `metadata.name=${options.name}`,
      allowWatchBookmarks: true,
      ...(options.resourceVersion ? { resourceVersion: options.resourceVersion } : {}),
    },
    (type: string, object: unknown) => {
      if (isEventType(type) && typeof object === 'object' && object !== null)
        queue.push({ type, object: object as JsonObject });
      else if (type === 'ERROR') ended = true;
      notify();
    },
    end,
  );
  options.signal?.addEventListener('abort', end, { once: true });
  try {
    let next = 0;
    for (;;) {
      while (next < queue.length) yield queue[next++] as WatchEvent;
      queue.length = 0;
      next = 0;
      if (ended || options.signal?.aborted) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    options.signal?.removeEventListener('abort', end);
    controller.abort();
  }
}
