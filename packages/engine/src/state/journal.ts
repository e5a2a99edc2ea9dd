/**
 * Journal replay (SPEC §9.4): current state = previous release state + journal in `seq` order. Pure: no
 * I/O, no clock; the executor and a takeover both call it on what a ReleaseJournal read.
 */
import type { JournalAction, JournalEntry, ReleaseState, StateResource } from './records.js';

/** A resource whose runtime call started but never reported back: its live object must be re-read. */
export interface UncertainResource {
  readonly id: string;
  readonly action: JournalAction;
  readonly seq: number;
}

/** What `replayJournal` returns. */
export interface ReplayResult {
  /** The previous state with every finished entry applied; resources sorted by ID (code points). */
  readonly state: ReleaseState;
  /** IDs started without a matching `finished`, in start order. */
  readonly uncertain: readonly string[];
  /** The same, with the action and sequence number of the unmatched `started` entry. */
  readonly uncertainEntries: readonly UncertainResource[];
  /** The highest sequence number seen, 0 for an empty journal. */
  readonly lastSeq: number;
}

/**
 * Applies journal entries to a previous state. A `finished` entry with a `resource` records it (also on
 * failure: a partial apply is still what exists); a `succeeded` one without a resource removes the ID
 * (deleted, or forgotten when retained); a `failed` one without a resource leaves the ID as it was.
 * Entries need not arrive sorted; they are applied in `seq` order.
 */
export function replayJournal(previous: ReleaseState, entries: readonly JournalEntry[]): ReplayResult {
  const resources = new Map<string, StateResource>(previous.resources.map((r) => [r.id, r]));
  const open = new Map<string, JournalStartedInfo[]>();
  const ordered = [...entries].sort((a, b) => a.seq - b.seq);

  for (const entry of ordered) {
    if (entry.type === 'started') {
      const list = open.get(entry.id) ?? [];
      list.push({ action: entry.action, seq: entry.seq });
      open.set(entry.id, list);
      continue;
    }
    // A finished entry closes the most recent unmatched start of its ID.
    const list = open.get(entry.id);
    list?.pop();
    if (list?.length === 0) open.delete(entry.id);
    if (entry.resource) resources.set(entry.id, entry.resource);
    else if (entry.result === 'succeeded') resources.delete(entry.id);
  }

  const uncertainEntries = [...open.entries()]
    .flatMap(([id, starts]) => starts.map((s) => ({ id, ...s })))
    .sort((a, b) => a.seq - b.seq);
  const state: ReleaseState = {
    resources: [...resources.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
  return {
    state,
    uncertain: [...new Set(uncertainEntries.map((u) => u.id))],
    uncertainEntries,
    lastSeq: ordered.at(-1)?.seq ?? 0,
  };
}

interface JournalStartedInfo {
  readonly action: JournalAction;
  readonly seq: number;
}
