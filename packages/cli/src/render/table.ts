import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A borderless table with a header row, as kubectl prints lists. */
export function renderTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  // Loaded on first use: start-up stays fast for commands that print no table.
  const Table = require('cli-table3') as typeof import('cli-table3');
  const table = new Table({
    head: [...head],
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '   ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const row of rows) table.push([...row]);
  return `${table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')}\n`;
}
