import { createRequire } from 'node:module';
import { stripVTControlCharacters } from 'node:util';

const require = createRequire(import.meta.url);
const COLUMN_GAP = '   ';
/** Printable ASCII: one column per character, so the common case needs no width tables. */
const plainAscii = /^[\x20-\x7e]*$/;

/** Terminal columns a cell line takes: colour codes take none, East Asian wide characters two. */
function displayWidth(text: string): number {
  const visible = stripVTControlCharacters(text);
  if (plainAscii.test(visible)) return visible.length;
  // Loaded on first use: start-up stays fast, and most tables never hold a wide character.
  const stringWidth = require('string-width') as (text: string) => number;
  return stringWidth(visible);
}

/**
 * A borderless table with a header row, as kubectl prints lists: columns as wide as their widest cell,
 * three spaces apart, a cell's extra lines below it, no trailing spaces. Linear in the cells: a plan of
 * thousands of resources prints in milliseconds.
 */
export function renderTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  // Each cell as its lines, each line with its width, measured once.
  const table = [head, ...rows].map((row) =>
    head.map((_, column) =>
      (row[column] ?? '').split('\n').map((text) => ({ text, width: displayWidth(text) })),
    ),
  );
  const widths = head.map((_, column) => {
    let widest = 0;
    for (const row of table) for (const line of row[column] ?? []) widest = Math.max(widest, line.width);
    return widest;
  });
  const lines: string[] = [];
  for (const row of table) {
    const height = Math.max(...row.map((cell) => cell.length));
    for (let index = 0; index < height; index++) {
      const cells = row.map((cell, column) => {
        const line = cell[index] ?? { text: '', width: 0 };
        return line.text + ' '.repeat((widths[column] ?? 0) - line.width);
      });
      lines.push(cells.join(COLUMN_GAP).trimEnd());
    }
  }
  return `${lines.join('\n')}\n`;
}
