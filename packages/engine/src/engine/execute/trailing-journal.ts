import type { Journal } from './types.js';

/**
 * A journal whose `finished` entries trail behind the run: a resource's slot and its dependents need not
 * wait for the entry's sync. That is safe because a crash before the entry lands leaves the resource
 * started but unfinished, and recovery re-reads such resources from live (SPEC §9.4). `started` entries are
 * still awaited by their callers: they must be on disk before the runtime call. `settle` waits for every
 * trailing write and rethrows the first failure, so a run never ends with its journal incomplete.
 */
export function trailingJournal(journal: Journal): Journal & { settle(): Promise<void> } {
  const writes: Promise<void>[] = [];
  return {
    started: (id, action) => journal.started(id, action),
    finished: (...entry) => {
      const write = journal.finished(...entry);
      write.catch(() => undefined); // observed by settle
      writes.push(write);
      return Promise.resolve();
    },
    settle: async () => {
      await Promise.all(writes);
    },
  };
}
