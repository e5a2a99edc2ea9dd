import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { JsonValue } from '../model/index.js';
import { emitYaml } from './yaml-emitter.js';

/** The reference: what toCanonicalYaml wrote before it had its own emitter. */
const reference = (value: JsonValue): string =>
  stringify(value, { indent: 2, lineWidth: 0, aliasDuplicateObjects: false, version: '1.2' });

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

/** Pieces that exercise every quoting and block-scalar rule of the yaml stringifier. */
const pieces = [
  ...'ab xyz0129eEoO+-.:#?\'"%!&*|>@`,[]{}\\/=_~\t\n'.split(''),
  '\n\n',
  '  ',
  ': ',
  ' #',
  '- ',
  '? ',
  '---',
  '...',
  'true',
  'False',
  'null',
  'NULL',
  '~',
  '0x1F',
  '0o17',
  '1e3',
  '.5',
  '.inf',
  '-.Inf',
  '.NaN',
  '12',
  '3.0',
  '\x00',
  '\x07',
  '\x0b',
  '\x1b',
  '\x7f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\ud800',
  'é',
  '😀',
  'lorem ipsum dolor sit amet ',
];

function randomString(next: () => number): string {
  const length = Math.floor(next() * next() * 24);
  let text = '';
  for (let i = 0; i < length; i++) text += pieces[Math.floor(next() * pieces.length)];
  return text;
}

function randomValue(next: () => number, depth: number): JsonValue {
  const roll = next();
  if (depth > 0 && roll < 0.25) {
    const map: Record<string, JsonValue> = {};
    const size = Math.floor(next() * 4);
    for (let i = 0; i < size; i++) map[randomString(next)] = randomValue(next, depth - 1);
    return map;
  }
  if (depth > 0 && roll < 0.45) {
    return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth - 1));
  }
  if (roll < 0.5) return null;
  if (roll < 0.55) return next() < 0.5;
  if (roll < 0.65) {
    const numbers = [0, -0, 1, -7, 3.25, 1e21, 1.5e-7, 2 ** 53 + 2, -0.5, 1e300];
    return numbers[Math.floor(next() * numbers.length)] as number;
  }
  return randomString(next);
}

describe('emitYaml', () => {
  it('writes what the yaml package writes for generated edge cases', () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const next = random(seed);
      const value = { [randomString(next)]: randomValue(next, 4), list: [randomValue(next, 3)] };
      const expected = reference(value);
      const actual = emitYaml(value);
      if (actual !== expected) expect({ seed, value, actual }).toEqual({ seed, value, actual: expected });
    }
  }, 60_000);

  it('round-trips generated strings through the yaml parser', () => {
    for (let seed = 1; seed <= 600; seed++) {
      const next = random(seed * 7919);
      const value = { key: randomString(next), items: [randomString(next), { [randomString(next)]: 1 }] };
      expect(parse(emitYaml(value), { version: '1.2' })).toEqual(value);
    }
  }, 60_000);

  it('writes the example goldens byte for byte', () => {
    const examples = join(import.meta.dirname, '../../../../examples');
    const goldens = readdirSync(examples, { recursive: true, encoding: 'utf8' }).filter((file) =>
      /golden\.yaml$/.test(file),
    );
    expect(goldens.length).toBeGreaterThan(0);
    for (const file of goldens) {
      const text = readFileSync(join(examples, file), 'utf8');
      expect(emitYaml(parse(text) as JsonValue), file).toBe(text);
    }
  });

  it('handles structure: empty collections, nesting, long keys and scalars at the root', () => {
    const values: JsonValue[] = [
      {},
      [],
      'text',
      '',
      'multi\nline\n',
      42,
      null,
      { a: {}, b: [], c: [[], [1, [2, {}]], { d: [{ e: null }] }] },
      { ['k'.repeat(1030)]: { x: 1 }, ['q'.repeat(1100)]: 'v', ['r'.repeat(1025)]: [1] },
    ];
    for (const value of values) expect(emitYaml(value)).toBe(reference(value));
  });
});
