import { describe, expect, it } from 'vitest';
import { ProgressRenderer } from './progress.js';
import type { Style } from './style.js';

const plain = new Proxy({}, { get: () => (text: string) => text }) as Style;

/** A stream that records each write. */
function recorder() {
  const writes: string[] = [];
  return { writes, stream: { write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream };
}

describe('ProgressRenderer', () => {
  it('without a terminal, writes one timestamped line per transition, together, before anything else', async () => {
    const { writes, stream } = recorder();
    const progress = new ProgressRenderer(stream, plain, false);
    progress.onEvent({ id: 'a', action: 'Create', status: 'running' });
    progress.onEvent({ id: 'a', action: 'Create', status: 'succeeded' });
    expect(writes).toEqual([]);
    progress.flush();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^\S+Z ⟳ a {2}Creating\n\S+Z ✔ a {2}Ready\n$/);
    progress.onEvent({ id: 'b', action: 'Delete', status: 'running' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes[1]).toMatch(/⟳ b {2}Deleting\n$/);
  });

  it('on a terminal, redraws only the resources in flight; a settled one is printed once, for good', () => {
    const { writes, stream } = recorder();
    const progress = new ProgressRenderer(stream, plain, true);
    progress.onEvent({ id: 'a', action: 'Create', status: 'running' });
    progress.onEvent({ id: 'b', action: 'Update', status: 'running' });
    progress.onEvent({ id: 'a', action: 'Create', status: 'waiting', message: '0/1 available' });
    progress.onEvent({ id: 'a', action: 'Create', status: 'succeeded' });
    expect(writes).toEqual([
      '⟳ a  Creating\n',
      '\u001b[1A\u001b[0J⟳ a  Creating\n⟳ b  Updating\n',
      '\u001b[2A\u001b[0J… a  Waiting: 0/1 available\n⟳ b  Updating\n',
      '\u001b[2A\u001b[0J✔ a  Ready\n⟳ b  Updating\n',
    ]);
  });
});
