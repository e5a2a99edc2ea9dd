import { describe, expect, it } from 'vitest';
import { trailingJournal } from './trailing-journal.js';
import type { Journal } from './types.js';

describe('trailingJournal', () => {
  it('lets finished entries trail, and settles them all before the run ends', async () => {
    const landed: string[] = [];
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const journal = trailingJournal({
      started: async (id) => {
        landed.push(`started ${id}`);
      },
      finished: async (id) => {
        await slow;
        landed.push(`finished ${id}`);
      },
    } satisfies Journal);
    await journal.started('a', 'Create');
    await journal.finished('a', 'succeeded');
    expect(landed).toEqual(['started a']);
    const settled = journal.settle();
    release();
    await settled;
    expect(landed).toEqual(['started a', 'finished a']);
  });

  it('fails the settle with the first write that failed', async () => {
    const journal = trailingJournal({
      started: async () => undefined,
      finished: async () => {
        throw new Error('disk full');
      },
    });
    await journal.finished('a', 'failed');
    await expect(journal.settle()).rejects.toThrow('disk full');
  });
});
