import { describe, expect, it } from 'vitest';
import { renderTable } from './table.js';

describe('renderTable', () => {
  it('aligns columns by what a terminal shows: colour codes take no column, wide characters two', () => {
    const rows = [
      ['a', '\x1b[32mCreate\x1b[39m', 'x'],
      ['bbbbbbb', 'Up', 'two\nlines'],
      ['日本', 'x', ''],
      ['c', '', ''],
    ];
    expect(renderTable(['ID', 'ACTION', 'NOTE'], rows)).toBe(
      [
        'ID        ACTION   NOTE',
        'a         \x1b[32mCreate\x1b[39m   x',
        'bbbbbbb   Up       two',
        '                   lines',
        '日本      x',
        'c',
        '',
      ].join('\n'),
    );
  });

  it('prints the header alone for no rows', () => {
    expect(renderTable(['ID', 'ACTION'], [])).toBe('ID   ACTION\n');
  });

  it('renders a plan of thousands of rows', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [`v1:ConfigMap:ns:app-${i}`, 'Create', '']);
    const text = renderTable(['ID', 'ACTION', 'NOTE'], rows);
    expect(text.split('\n')).toHaveLength(20_002);
    expect(text.split('\n')[20_000]).toBe('v1:ConfigMap:ns:app-19999   Create');
  });
});
