import { describe, expect, it } from 'vitest';
import { Codes, isKusionError } from '../../errors/index.js';
import type { StateConflictError } from '../errors.js';
import type { JournalEntry } from '../records.js';
import { type ContractContext, rejection, resource, shop } from './support.js';

/** The journal: ordered, durable appends, one per seq, cleared per revision. */
export function describeJournal(t: ContractContext): void {
  describe('journal', () => {
    const started = (seq: number, id: string): JournalEntry => ({
      type: 'started',
      seq,
      id,
      action: 'Create',
    });

    it('given entries appended out of order, when read, then they come in seq order', async () => {
      const journal = t.store.journal(1);
      const finished: JournalEntry = {
        type: 'finished',
        seq: 2,
        id: 'a',
        result: 'succeeded',
        resource: resource('a'),
      };
      const failed: JournalEntry = {
        type: 'finished',
        seq: 4,
        id: 'b',
        result: 'failed',
        error: { code: Codes.rejectedByApiServer, message: 'denied' },
      };
      await journal.append(failed);
      await journal.append(started(3, 'b'));
      await journal.append(started(1, 'a'));
      await journal.append(finished);
      expect(await journal.read()).toEqual([started(1, 'a'), finished, started(3, 'b'), failed]);
      expect(await t.fixture.open(shop).journal(1).read()).toHaveLength(4);
    });

    it('given concurrent appends, when read, then every entry is there once', async () => {
      const journal = t.store.journal(1);
      const seqs = Array.from({ length: 24 }, (_, i) => i + 1);
      await Promise.all(seqs.map((seq) => journal.append(started(seq, `r${seq}`))));
      expect((await journal.read()).map((e) => e.seq)).toEqual(seqs);
    });

    it('given a used seq, when appended again, then it is refused and the first entry stays', async () => {
      const journal = t.store.journal(1);
      await journal.append(started(1, 'a'));
      const error = await rejection(journal.append(started(1, 'b')));
      expect((error as StateConflictError).reason).toBe('journal-seq-exists');
      expect(await journal.read()).toEqual([started(1, 'a')]);
    });

    it('given journals of two revisions, when one is cleared, then only it is empty', async () => {
      await t.store.journal(1).append(started(1, 'a'));
      await t.store.journal(2).append(started(1, 'b'));
      await t.store.journal(1).clear();
      expect(await t.store.journal(1).read()).toEqual([]);
      expect(await t.store.journal(2).read()).toEqual([started(1, 'b')]);
      await t.store.journal(1).clear();
      await t.store.journal(1).append(started(1, 'c'));
      expect(await t.store.journal(1).read()).toEqual([started(1, 'c')]);
    });

    it('given an entry without an ID, when appended, then it is refused', async () => {
      const error = await rejection(t.store.journal(1).append(started(1, '')));
      expect(isKusionError(error)).toBe(true);
      expect(await t.store.journal(1).read()).toEqual([]);
    });
  });
}
