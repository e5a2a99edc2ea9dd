import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalJournal } from './journal-file.js';

const identity = { project: 'shop', stack: 'prod', workspace: 'dev' };
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kusion-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const started = (seq: number) => ({
  type: 'started' as const,
  seq,
  id: `r${seq}`,
  action: 'Create' as const,
});

describe('LocalJournal', () => {
  it('commits concurrent appends in groups, each acknowledged only once on disk', async () => {
    const journal = new LocalJournal(join(dir, '1.jsonl'), 1, identity);
    await Promise.all(Array.from({ length: 50 }, (_, i) => journal.append(started(i + 1))));
    const reread = await new LocalJournal(join(dir, '1.jsonl'), 1, identity).read();
    expect(reread.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('reports a damaged line before the last as an invalid record', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, '1.jsonl'),
      `${JSON.stringify(started(1))}\nnot json\n${JSON.stringify(started(3))}\n`,
    );
    await expect(new LocalJournal(join(dir, '1.jsonl'), 1, identity).read()).rejects.toMatchObject({
      code: 'KUS4008',
    });
  });

  it('refuses a sequence number already in the file, even from another instance', async () => {
    await new LocalJournal(join(dir, '1.jsonl'), 1, identity).append(started(1));
    await expect(
      new LocalJournal(join(dir, '1.jsonl'), 1, identity).append(started(1)),
    ).rejects.toMatchObject({
      reason: 'journal-seq-exists',
    });
  });
});
