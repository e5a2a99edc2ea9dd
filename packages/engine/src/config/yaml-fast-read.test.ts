import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument, stringify } from 'yaml';
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

/** Reads `text` with the fast reader, which must not fall back, and with `yaml`: the two values. */
function bothReads(text: string): { fast: unknown; slow: unknown } {
  const fast = readYamlSubset(text);
  expect(fast, `declined:\n${text.slice(0, 2000)}`).not.toBeUndefined();
  return { fast, slow: parse(text) as unknown };
}

/** Scalars for the large document: strings `yaml` must quote or write as literal blocks, and others. */
const specScalars: readonly unknown[] = [
  'plain',
  'v1',
  'nginx:1.27',
  'http://h:80/p',
  'a: b',
  'x #y',
  'x#y',
  '#z',
  '123',
  '-5',
  '0o17',
  '0x1F',
  '1e3',
  '.5',
  '-.inf',
  '.NaN',
  'true',
  'False',
  'null',
  'Null',
  '~',
  'yes',
  'nullable',
  'truest',
  'fa',
  '',
  ' lead',
  'trail ',
  "it's",
  '"q"',
  "'q'",
  '\\back',
  'é😀',
  'a\u00a0b',
  'nbsp\u00a0',
  '- dash',
  '--flag',
  '[x]',
  '{y}',
  '|',
  '@at',
  'line1\nline2',
  'line1\nline2\n',
  'keep\n\n',
  'name=app\nreplicas=1\n',
  '# not a comment\n  indented\n',
  0,
  -0,
  7,
  -3,
  2.5,
  1e21,
  2 ** 60,
  true,
  false,
  null,
];
const specKeys: readonly string[] = [
  'name',
  'app.kubernetes.io/name',
  'a b',
  "it's",
  'x: y',
  '#k',
  'k#',
  '1',
  'true',
  'null',
  '-',
  '- x',
  'é',
  'LOG_LEVEL',
  'with space ',
];

/**
 * A document like a large spec: resources with ids, attributes, dependsOn, and in them maps, sequences
 * of maps, nested sequences, empty maps and lists, and every kind of scalar of `specScalars`.
 */
function variedSpec(seed: number, resources: number): unknown {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const count = (max: number) => Math.floor(next() * (max + 1));
  const value = (depth: number): unknown => {
    const roll = next();
    if (depth <= 0 || roll < 0.45) return pick(specScalars);
    if (roll < 0.5) return next() < 0.5 ? {} : [];
    if (roll < 0.7)
      return Object.fromEntries(
        Array.from({ length: 1 + count(3) }, () => [pick(specKeys), value(depth - 1)]),
      );
    if (roll < 0.85) return Array.from({ length: 1 + count(3) }, () => value(depth - 1));
    return Array.from({ length: 1 + count(2) }, () => ({ name: pick(specScalars), value: value(depth - 1) }));
  };
  return {
    resources: Array.from({ length: resources }, (_, i) => ({
      id: `apps/v1:Deployment:ns-${i % 10}:app-${i}`,
      type: 'Kubernetes',
      attributes: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `app-${i}`, labels: { app: `app-${i}` }, annotations: value(2) },
        spec: {
          replicas: i % 3,
          template: { spec: { containers: [{ name: 'main', ports: [{ containerPort: 8080 }] }] } },
        },
        data: value(4),
      },
      ...(i % 2 === 0 ? { dependsOn: [`v1:Namespace:ns-${i % 10}`] } : {}),
      extensions: Array.from({ length: count(2) }, () => value(3)),
    })),
    secretStore: null,
    context: {},
    outputs: {},
  };
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

  it('reads a large generated spec exactly as yaml parses it, in the styles specs are written', () => {
    const spec = variedSpec(7, 400);
    for (const style of [
      { aliasDuplicateObjects: false, lineWidth: 0 },
      { aliasDuplicateObjects: false, lineWidth: 0, indent: 4, indentSeq: false },
    ] as const) {
      const text = stringify(spec, style);
      // The document has what it is meant to test.
      for (const feature of [
        /: \|-\n/,
        /: \|\n/,
        /: \|\+\n/,
        /- - /,
        /: \[\]\n/,
        /: \{\}\n/,
        /- name: /,
        /"/,
        /'/,
      ]) {
        expect(text).toMatch(feature);
      }
      const { fast, slow } = bothReads(text);
      expect(isDeepStrictEqual(fast, slow)).toBe(true);
    }
  }, 60_000);

  it('reads the edges of the subset exactly as yaml does', () => {
    const cases = [
      // `- ` items in sequences of maps, in sequences, and holding maps with sequences.
      'a:\n  - name: x\n    items:\n      - - 1\n        - 2\n      - k: v\n        l:\n          - m\n  - - n\n    - o: p\n',
      '- - - a\n    - b\n  - c\n- d\n',
      '-   a: 1\n    b: 2\n-  - x\n   - y\n',
      'a:\n- b: 1\n  c:\n  - 2\n- 3\nd: 4\n',
      '- \n  a: 1\n-\n- # c\n  - x\n',
      // Block scalars in sequence items and maps in items, comments and blank lines around them.
      '- |\n  line1\n  line2\n- |-\n  x\n- k: |\n    text\n\n    more\n  l: 1\n',
      'a: |+\n  x\n\n\nb: | # c\n  # not a comment\n    indented\n# a comment\nc: 1\n',
      '- a: |-\n    x\n  b: y\n- |\n  last\n',
      // Keys that look like numbers, booleans or null in quotes, and plain keys that only start like them.
      '"1": a\n\'true\': b\n"null": c\n"~": d\n"0x1F": e\nnullable: f\ntrueish: g\nFals: h\nyes: i\n.x: j\n',
      // Comments everywhere they may be.
      '# head\na: b # c\n# d\n  # e\nf: # g\n  h: i\nj:\n  # k\n  - l # m\n  # n\n  - o\n# tail\n',
      'a: "b" # c\nd: \'e\'  # f\ng: [] # h\ni: x#y\n',
      // Quoted keys and values.
      '"a b": 1\n\'it\'\'s\': 2\n"a:b": 3\n"": 4\n"k #": "v #"\n"\\u00e9": "\\t"\n',
      // Scalars each core-schema type starts like.
      'a: [~, null, Null, NULL, nULL, true, True, TRUE, tRUE, false, FALSE, fALSE]\n',
      'a:\n  - 0\n  - -0\n  - +1\n  - 012\n  - 0o17\n  - 0x1F\n  - 0x\n  - 1e3\n  - -.5\n  - 3.\n  - .inf\n  - -.Inf\n  - +.INF\n  - .nan\n  - .NaN\n  - 1_000\n  - 1e\n  - +\n  - .\n  - -a\n  - ~x\n  - nan\n',
      // Unicode spaces are not YAML white space: kept in keys and values, never taken for indentation.
      'a: x\u00a0\nb: \u00a0x\nc: x\u3000\nd\u00a0: 1\ne: x\u2000y\n',
      '- \u00a0x\n- y\u00a0 # c\n',
      'a\u00a0#b: 1\n',
      // Texts without a final newline, and with blank or space-only lines at the end.
      'a: 1',
      'a: 1\n\n\n',
      'a: 1\n  \n',
      '- a\n-',
    ];
    for (const text of cases) {
      const { fast, slow } = bothReads(text);
      expect(isDeepStrictEqual(fast, slow), JSON.stringify(text)).toBe(true);
    }
    // Trimmed as JavaScript trims, these were once read as 'x' and 'y'.
    expect(readYamlSubset('a: x\u3000 # c\nb:\n  - \u00a0y\n')).toEqual({ a: 'x\u3000', b: ['\u00a0y'] });
  });

  it('declines or agrees where Unicode spaces, literal blocks, items or markers could mislead', () => {
    const cases = [
      // Keys and scalars that start like an indicator or a document marker.
      '-x: k\n',
      'a:\n  - ---\n  - ...\n',
      // Lines that only Unicode spaces make look blank or indented.
      'a: 1\n  \u00a0\nb: 2\n',
      '\u00a0# c\na: 1\n',
      'a: |\n  x\n\u00a0\n',
      'a: "x"\u00a0\n',
      '"a"\u00a0: 1\n',
      '- -\u00a0x\n',
      // Literal blocks cut short, a scalar continued on the next line, a key after a scalar document.
      'a: |\n  x\n    y\n b: 1\n',
      'a: |-\n',
      '- |\n x\n  y\n',
      '- a\n  b\n',
      'a\nb: 1\n',
      '- a: 1\n   b: 2\n',
      '- a: 1\n - b\n',
    ];
    for (const text of cases) expect(agrees(text), JSON.stringify(text)).toBe(true);
  });

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
