import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { readYamlSubset } from './yaml-fast-read.js';

/** What parseYaml used before the fast reader: `yaml` with the same options, or an error. */
function reference(text: string): { ok: true; value: unknown } | { ok: false } {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, merge: true });
  return doc.errors.length > 0 ? { ok: false } : { ok: true, value: doc.toJS() };
}

/** The property: whatever the fast reader accepts, `yaml` accepts too, with the same value. */
function agrees(text: string): boolean {
  const fast = readYamlSubset(text);
  if (fast === undefined) return true;
  const slow = reference(text);
  return slow.ok && isDeepStrictEqual(fast, slow.value);
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words = [
  'a',
  'key',
  'x y',
  '',
  ' ',
  '-',
  '--flag',
  '-5',
  '0',
  '012',
  '0o17',
  '0x1F',
  '1e3',
  '.5',
  '3.',
  '.inf',
  '-.Inf',
  '.nan',
  'true',
  'False',
  'null',
  '~',
  'yes',
  'a: b',
  'a:b',
  'http://h:80/p',
  '#x',
  'a #b',
  'a#b',
  "it's",
  '"q"',
  '[x]',
  '{y}',
  'a,b',
  '&a',
  '*a',
  '!t',
  '|',
  '>',
  '%',
  '@',
  '`',
  '?',
  '? x',
  '---',
  '...',
  'line\nline',
  'trail\n',
  '\n\nlead',
  'keep\n\n',
  '  indented\nx',
  'sp \nx',
  'x\n  more',
  'é😀',
  '\\',
  '\\n',
  'tab\there',
];

function randomValue(next: () => number, depth: number): unknown {
  const roll = next();
  if (depth > 0 && roll < 0.3) {
    const map: Record<string, unknown> = {};
    const size = Math.floor(next() * 4);
    for (let i = 0; i < size; i++)
      map[words[Math.floor(next() * words.length)] as string] = randomValue(next, depth - 1);
    return map;
  }
  if (depth > 0 && roll < 0.5) {
    return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth - 1));
  }
  if (roll < 0.55) return null;
  if (roll < 0.6) return next() < 0.5;
  if (roll < 0.7) return [0, -0, 7, -3, 2.5, 1e21, 2 ** 60][Math.floor(next() * 7)];
  return words[Math.floor(next() * words.length)];
}

/** The same data written the ways people and tools write YAML: block, flow, quoted, indented by 4. */
const styles: Parameters<typeof stringify>[1][] = [
  {},
  { lineWidth: 0 },
  { collectionStyle: 'flow' },
  { defaultStringType: 'QUOTE_SINGLE' },
  { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' },
  { indent: 4, indentSeq: false },
  { flowCollectionPadding: false, lineWidth: 20 },
];

/** Small edits that turn valid YAML into doubtful or invalid YAML. */
const edits = [
  ' ',
  '  ',
  '#',
  ' #',
  ':',
  ': ',
  '-',
  '- ',
  "'",
  '"',
  '\t',
  '[',
  ']',
  '{',
  '}',
  ',',
  '\n',
  '|',
  '&',
];

function mutate(text: string, next: () => number): string {
  let out = text;
  const count = 1 + Math.floor(next() * 3);
  for (let i = 0; i < count; i++) {
    const at = Math.floor(next() * (out.length + 1));
    const roll = next();
    if (roll < 0.5) out = out.slice(0, at) + edits[Math.floor(next() * edits.length)] + out.slice(at);
    else if (roll < 0.8) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(next() * 2));
    else {
      const lines = out.split('\n');
      const line = Math.floor(next() * lines.length);
      lines.splice(line, 0, lines[Math.floor(next() * lines.length)] ?? '');
      out = lines.join('\n');
    }
  }
  return out;
}

describe('readYamlSubset', () => {
  it('reads every YAML file of the examples like yaml does, without falling back', () => {
    const examples = join(import.meta.dirname, '../../../../examples');
    const files = readdirSync(examples, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.yaml'),
    );
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(join(examples, file), 'utf8');
      const fast = readYamlSubset(text);
      expect(fast, file).not.toBeUndefined();
      expect(agrees(text), file).toBe(true);
    }
  });

  it('agrees with yaml on generated documents in several styles, and on edits of them', () => {
    let read = 0;
    for (let seed = 1; seed <= 700; seed++) {
      const next = random(seed);
      const value = { [words[seed % words.length] as string]: randomValue(next, 4), z: randomValue(next, 3) };
      for (const style of styles) {
        const text = stringify(value, style);
        if (readYamlSubset(text) !== undefined) read++;
        expect(agrees(text), `seed ${seed} ${JSON.stringify(style)}\n${text}`).toBe(true);
        const edited = mutate(text, next);
        expect(agrees(edited), `seed ${seed} edited\n${edited}`).toBe(true);
      }
    }
    // The property is only worth something if most documents take the fast path.
    expect(read).toBeGreaterThan(700 * 3);
  }, 120_000);

  it('declines or agrees on hand-written edge cases', () => {
    const cases = [
      'a: 1\nb:\n  - x\n  - y: 2\n    z: [1, {q: "w"}]\n',
      'a:\n- 1\n- 2\nb: 3\n',
      'a: |\n  x\n\n  y\n\n\nb: 1\n',
      'a: |+\n  x\n\n',
      'a: |-\n  x\n',
      'a: |\n  x',
      'a: |2\n   x\n',
      'a: >\n  x\n  y\n',
      'a: |\n\n  x\n',
      'a: |\n  x\n   \n  y\n',
      'a: |\n    x\n  y\n',
      '- - a\n  - b\n- c\n',
      '-\n  a: 1\n- # c\n  b\n',
      'a: b\n  c\n',
      'a:\n  b\n  c\n',
      'a: "x\n  y"\n',
      'a: b # c\n# d\n  # e\nf: g\n',
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      '<<: {a: 1}\n',
      'a: 1\na: 2\n',
      '"a": 1\n\'b\': 2\n"c" : 3\n',
      'true: 1\n',
      '1: x\n',
      '__proto__: 1\n',
      '? a\n: b\n',
      '---\na: 1\n',
      'a: 1\n...\n',
      '%YAML 1.2\n---\na: 1\n',
      'a: [1, 2,]\n',
      'a: {b: 1, b: 2}\n',
      'a: {"b":1, c: d}\n',
      'a: [a: 1]\n',
      'a: {b}\n',
      'a: {b: }\n',
      'a: [ x ]\n',
      'a: [x\n  , y]\n',
      'a: "\\x41\\u00e9\\U0001F600\\N\\_\\e\\0"\n',
      'a: "\\q"\n',
      "a: 'it''s'\n",
      'a: -\n',
      'a: - b\n',
      'a: --x\n',
      'a:  spaced  \n',
      '  a: 1\n',
      'a:\n    b: 1\n  c: 2\n',
      '',
      '# only a comment\n',
      'plain\n',
      '- a\nb: 1\n',
      `${'k'.repeat(1100)}: 1\n`,
      'a: b\r\nc: d\r\n',
      'a:\tb\n',
      '\ufeffa: 1\n',
    ];
    for (const text of cases) expect(agrees(text), JSON.stringify(text)).toBe(true);
    expect(readYamlSubset('a: 1\nb:\n  - x\n  - y: 2\n    z: [1, {q: "w"}]\n')).toEqual({
      a: 1,
      b: ['x', { y: 2, z: [1, { q: 'w' }] }],
    });
  });
});
