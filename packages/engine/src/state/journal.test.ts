import { describe, expect, it } from 'vitest';
import { replayJournal } from './journal.js';
import type { JournalEntry, ReleaseState, StateResource } from './records.js';

const cm = (name: string, data = 'v1'): StateResource => ({
  id: `v1:ConfigMap:shop:${name}`,
  type: 'Kubernetes',
  attributes: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: data } },
});

const previous: ReleaseState = { resources: [cm('keep'), cm('old'), cm('gone')] };

describe('replayJournal', () => {
  it('given an empty journal, then state is the previous one, sorted, and nothing is uncertain', () => {
    const result = replayJournal({ resources: [cm('b'), cm('a')] }, []);
    expect(result.state.resources.map((r) => r.id)).toEqual(['v1:ConfigMap:shop:a', 'v1:ConfigMap:shop:b']);
    expect(result.uncertain).toEqual([]);
    expect(result.lastSeq).toBe(0);
  });

  it('given finished creates, updates and deletes, then state records exactly them', () => {
    const entries: JournalEntry[] = [
      { type: 'started', seq: 1, id: cm('new').id, action: 'Create' },
      { type: 'finished', seq: 2, id: cm('new').id, result: 'succeeded', resource: cm('new') },
      { type: 'started', seq: 3, id: cm('old').id, action: 'Update' },
      { type: 'finished', seq: 4, id: cm('old').id, result: 'succeeded', resource: cm('old', 'v2') },
      { type: 'started', seq: 5, id: cm('gone').id, action: 'Delete' },
      { type: 'finished', seq: 6, id: cm('gone').id, result: 'succeeded' },
    ];
    const result = replayJournal(previous, entries);
    expect(result.state.resources).toEqual([cm('keep'), cm('new'), cm('old', 'v2')]);
    expect(result.uncertain).toEqual([]);
    expect(result.lastSeq).toBe(6);
  });

  it('given failures, then a failure without a resource keeps the old entry and one with a resource records it', () => {
    const entries: JournalEntry[] = [
      { type: 'started', seq: 1, id: cm('old').id, action: 'Update' },
      { type: 'finished', seq: 2, id: cm('old').id, result: 'failed', error: { message: 'denied' } },
      { type: 'started', seq: 3, id: cm('gone').id, action: 'Delete' },
      { type: 'finished', seq: 4, id: cm('gone').id, result: 'failed', error: { message: 'timeout' } },
      { type: 'started', seq: 5, id: cm('half').id, action: 'Create' },
      { type: 'finished', seq: 6, id: cm('half').id, result: 'failed', resource: cm('half', 'partial') },
    ];
    const result = replayJournal(previous, entries);
    expect(result.state.resources).toEqual([cm('gone'), cm('half', 'partial'), cm('keep'), cm('old')]);
  });

  it('given calls that started and never finished, then they are uncertain, in start order, and state is untouched for them', () => {
    const entries: JournalEntry[] = [
      { type: 'started', seq: 1, id: cm('z').id, action: 'Create' },
      { type: 'started', seq: 2, id: cm('old').id, action: 'Update' },
      { type: 'started', seq: 3, id: cm('keep').id, action: 'Update' },
      { type: 'finished', seq: 4, id: cm('keep').id, result: 'succeeded', resource: cm('keep', 'v3') },
    ];
    const result = replayJournal(previous, entries);
    expect(result.uncertain).toEqual([cm('z').id, cm('old').id]);
    expect(result.uncertainEntries).toEqual([
      { id: cm('z').id, action: 'Create', seq: 1 },
      { id: cm('old').id, action: 'Update', seq: 2 },
    ]);
    expect(result.state.resources).toEqual([cm('gone'), cm('keep', 'v3'), cm('old')]);
  });

  it('given entries out of seq order, then they are applied in seq order', () => {
    const entries: JournalEntry[] = [
      { type: 'finished', seq: 4, id: cm('old').id, result: 'succeeded' },
      { type: 'started', seq: 3, id: cm('old').id, action: 'Delete' },
      { type: 'finished', seq: 2, id: cm('old').id, result: 'succeeded', resource: cm('old', 'v2') },
      { type: 'started', seq: 1, id: cm('old').id, action: 'Update' },
    ];
    const result = replayJournal(previous, entries);
    expect(result.state.resources.map((r) => r.id)).not.toContain(cm('old').id);
    expect(result.uncertain).toEqual([]);
  });

  it('given the same resource retried, then only its last unmatched start is uncertain', () => {
    const entries: JournalEntry[] = [
      { type: 'started', seq: 1, id: cm('a').id, action: 'Create' },
      { type: 'finished', seq: 2, id: cm('a').id, result: 'failed', error: { message: 'x' } },
      { type: 'started', seq: 3, id: cm('a').id, action: 'Create' },
    ];
    expect(replayJournal({ resources: [] }, entries).uncertainEntries).toEqual([
      { id: cm('a').id, action: 'Create', seq: 3 },
    ]);
  });

  it('given inputs, then they are not mutated', () => {
    const before = structuredClone(previous);
    const entries: JournalEntry[] = [{ type: 'finished', seq: 1, id: cm('keep').id, result: 'succeeded' }];
    replayJournal(previous, entries);
    expect(previous).toEqual(before);
    expect(entries).toHaveLength(1);
  });
});
