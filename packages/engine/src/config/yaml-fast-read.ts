/**
 * A fast reader for the common subset of YAML that configuration files use: block maps and sequences,
 * single-line plain and quoted scalars, literal block scalars (`|`, `|-`, `|+`), empty `[]`/`{}` and
 * comments. It returns exactly the value the `yaml` package's `parseDocument(...).toJS()` returns (YAML
 * 1.2 core schema), or `undefined` at the first thing outside the subset or anything doubtful (tabs, CR,
 * anchors, tags, multi-line flow collections and plain scalars, duplicate or non-string keys, merge keys…),
 * in which case the caller parses with `yaml`, which also produces the diagnostics. The `yaml` parser
 * took ~300 ms for the main.yaml of 100 apps; this takes a few.
 *
 * It is on the critical path of reading specs and releases, often as the first code of a fresh process,
 * so it is written to be cheap before the JIT has warmed up: one pass over the text by offsets, each
 * line's indentation counted once, no string per line or trimmed copies (only keys and values become
 * strings), and native string and regex methods rather than loops over characters where it matters.
 * YAML's white space here is the space alone (tabs and other controls are refused up front): Unicode
 * spaces such as U+00A0 are ordinary characters, as they are for `yaml`.
 */

/** Thrown inside the reader to give up; never escapes `readYamlSubset`. */
class Unsupported extends Error {}

/** Tabs, CR, BOM, other control characters, Unicode line breaks and merge keys are left to `yaml`. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters the subset refuses.
const refused = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]|<</;

export function readYamlSubset(text: string): unknown {
  if (refused.test(text)) return undefined;
  try {
    const reader = new Reader(text);
    if (reader.indent !== 0) return undefined;
    const value = reader.node(0, -1);
    return reader.indent < 0 ? value : undefined;
  } catch {
    // Unsupported, or a bug here: either way `yaml` reads the file.
    return undefined;
  }
}

const give = (): never => {
  throw new Unsupported();
};

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;

/** Characters that cannot start a plain scalar, nor follow a `-` that starts one. */
const special = '?:,[]{}#&*!|>\'"%@`';
/** Characters that cannot start a plain scalar here (or would make us doubt what it means). */
const indicators = `-${special}`;
const isIndicator = (char: string | undefined): boolean => char !== undefined && indicators.includes(char);

/** Where `text` has something other than a space at or after `from`, or `to`. */
function skipSpaces(text: string, from: number, to = text.length): number {
  let i = from;
  while (i < to && text.charCodeAt(i) === SPACE) i++;
  return i;
}

/** The spaces at the start of a line (sticky: run at the line's start with `lastIndex`). */
const indentation = / */y;

/**
 * Where the spaces that indent the line starting at `start` end. A regex rather than a loop: lines are
 * indented by 8 spaces or so, and before the JIT has compiled a loop, calling charCodeAt that many times
 * costs more than one native scan.
 */
function indentationEnd(text: string, start: number): number {
  indentation.lastIndex = start;
  indentation.test(text);
  return indentation.lastIndex;
}

/** `text` without the spaces at its end (only spaces: other white space is not YAML's). */
function trimEndSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === SPACE) end--;
  return end === text.length ? text : text.slice(0, end);
}

interface CoreNumber {
  readonly test: RegExp;
  readonly resolve: (text: string) => number;
}

/** `yaml`'s core schema, in its order: the plain scalars that are numbers. */
const coreNumbers: readonly CoreNumber[] = [
  { test: /^0o[0-7]+$/, resolve: (text) => parseInt(text.substring(2), 8) },
  { test: /^[-+]?[0-9]+$/, resolve: (text) => parseInt(text, 10) },
  { test: /^0x[0-9a-fA-F]+$/, resolve: (text) => parseInt(text.substring(2), 16) },
  {
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: (text) =>
      text.slice(-3).toLowerCase() === 'nan'
        ? Number.NaN
        : text[0] === '-'
          ? Number.NEGATIVE_INFINITY
          : Number.POSITIVE_INFINITY,
  },
  { test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, resolve: (text) => parseFloat(text) },
  { test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, resolve: (text) => parseFloat(text) },
];

/** The characters null, booleans and numbers start with: other plain scalars are strings. */
const coreStarts = '~nNtTfF0123456789+-.';

/**
 * The value of a plain scalar under the core schema. Most scalars are told to be strings by their first
 * character alone; the rest are compared with the few spellings of null and booleans, then numbers.
 */
function resolvePlain(text: string): unknown {
  const first = text[0];
  if (first === undefined) return null;
  if (!coreStarts.includes(first)) return text;
  switch (first) {
    case '~':
      return text === '~' ? null : text;
    case 'n':
    case 'N':
      return text === 'null' || text === 'Null' || text === 'NULL' ? null : text;
    case 't':
    case 'T':
      return text === 'true' || text === 'True' || text === 'TRUE' ? true : text;
    case 'f':
    case 'F':
      return text === 'false' || text === 'False' || text === 'FALSE' ? false : text;
    default:
      // An indexed loop: `for…of` with destructuring costs an iterator per number before the JIT.
      for (let i = 0; i < coreNumbers.length; i++) {
        const { test, resolve } = coreNumbers[i] as CoreNumber;
        if (test.test(text)) return resolve(text);
      }
      return text;
  }
}

const escapes: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const hexLength: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** A scalar read from one line: its value and where its text ended. */
interface Scalar {
  readonly value: unknown;
  readonly end: number;
}

/**
 * From the start of a line's content, everything up to and including the first `:` that is followed by
 * a space or the end of the line: what ends a plain key. Sticky (it is run at an offset with `lastIndex`)
 * and it never crosses a line break.
 */
const plainKey = /(?:[^:\n]|:(?![ \n]|$))*:(?=[ \n]|$)/y;

/** The header of a literal block scalar we read: `|`, `|-` or `|+`, perhaps with a comment. */
const literalHeader = /^\|([-+]?)(?: +#.*)? *$/;

/**
 * Reads block nodes line by line with a cursor on the current line with content. Lines are never cut
 * out of the text: the current one is the offsets where it starts, where its content starts and where
 * it ends.
 */
class Reader {
  private readonly text: string;
  /** Where the current line starts. */
  private lineStart = 0;
  /** Where its content starts: after the indentation, and after `- ` once an item's content is read. */
  private at = 0;
  /** Where it ends: its `\n`, or the end of the text. */
  private end = 0;
  /** The current line's indentation (`at - lineStart`); -1 past the last line with content. */
  indent = 0;
  /** Where the value after the key found by the last `entryKey` starts (just after its `:`). */
  private valueAt = 0;

  constructor(text: string) {
    this.text = text;
    this.seek(0);
  }

  /**
   * Makes the first line with content (not blank, not only a comment) from offset `from`, a line's start,
   * the current line. A final `\n` does not start another line.
   */
  private seek(from: number): void {
    const text = this.text;
    for (let start = from; start < text.length; ) {
      const newline = text.indexOf('\n', start);
      const end = newline < 0 ? text.length : newline;
      const at = indentationEnd(text, start);
      if (at < end && text.charCodeAt(at) !== HASH) {
        this.lineStart = start;
        this.at = at;
        this.end = end;
        this.indent = at - start;
        return;
      }
      start = end + 1;
    }
    this.lineStart = this.at = this.end = text.length;
    this.indent = -1;
  }

  /** Moves past the current line to the next line with content. */
  private next(): void {
    this.seek(this.end + 1);
  }

  /** Whether the current line's content is a sequence item, `-` alone or `- …`. */
  private isItem(): boolean {
    const { text, at } = this;
    return text.charCodeAt(at) === DASH && (at + 1 === this.end || text.charCodeAt(at + 1) === SPACE);
  }

  /** A block node starting on the current line, which must be indented by exactly `indent`. */
  node(indent: number, parentIndent: number): unknown {
    if (this.indent !== indent || indent <= parentIndent) give();
    if (this.isItem()) return this.sequence(indent);
    const key = this.entryKey();
    if (key !== undefined) return this.map(indent, key);
    return this.inlineScalar(this.at, parentIndent);
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    while (this.indent >= indent) {
      if (this.indent > indent || !this.isItem()) {
        // A key at the sequence's own indentation ends a sequence that is a map value; the map decides.
        if (this.indent === indent && this.entryKey() !== undefined) return items;
        give();
      }
      const rest = skipSpaces(this.text, this.at + 1, this.end);
      if (rest === this.end || this.text.charCodeAt(rest) === HASH) {
        this.next();
        items.push(this.nestedOrNull(indent));
      } else {
        // `- content`: read the content as if it were a line of its own, indented to where it starts.
        this.at = rest;
        this.indent = rest - this.lineStart;
        items.push(this.node(this.indent, indent));
      }
    }
    return items;
  }

  /** A map whose first key, `firstKey`, `entryKey` has just read from the current line. */
  private map(indent: number, firstKey: string): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    let name = firstKey;
    for (;;) {
      if (Object.hasOwn(map, name) || name === '__proto__') give();
      map[name] = this.entryValue(indent);
      if (this.indent < indent) return map;
      if (this.indent > indent) give();
      // A sequence at a map's indentation belongs to the key before (handled there); anything else is wrong.
      name = this.entryKey() ?? give();
    }
  }

  /** The value after the key just read: inline on the current line, or a nested block below it. */
  private entryValue(indent: number): unknown {
    const start = skipSpaces(this.text, this.valueAt, this.end);
    if (start < this.end && this.text.charCodeAt(start) !== HASH) return this.inlineScalar(start, indent);
    this.next();
    // YAML lets a sequence that is a map value start at the map's own indentation.
    if (this.indent === indent && this.isItem()) return this.sequence(indent);
    return this.nestedOrNull(indent);
  }

  /** After a line that ends with `key:` or `-`: a more indented block, or null. */
  private nestedOrNull(indent: number): unknown {
    if (this.indent <= indent) return null;
    return this.node(this.indent, indent);
  }

  /**
   * A scalar from `at` on the current line, which must end there (a block scalar takes the lines
   * below). `parentIndent` is the indentation of the map or sequence holding it. A more indented line
   * below would continue the scalar or be an error: the map or sequence (or `readYamlSubset` for a
   * scalar document) gives up on it, as they do on any line indented deeper than themselves.
   */
  private inlineScalar(at: number, parentIndent: number): unknown {
    const { text, end } = this;
    const first = text[at];
    if (first === '|') return this.literal(at, parentIndent);
    const value =
      first === '"' || first === "'" || first === '[' || first === '{'
        ? closedScalar(text.slice(at, end))
        : plainScalar(text, at, end);
    this.next();
    return value;
  }

  /**
   * The name when the current line's content is `key:` or `key: …` with a plain or quoted string key
   * (then `valueAt` is just after the `:`), or undefined when it is not a key; gives up on doubtful keys.
   */
  private entryKey(): string | undefined {
    const { text, at } = this;
    const first = text[at];
    if (first === '"' || first === "'") return this.quotedKey();
    plainKey.lastIndex = at;
    if (!plainKey.test(text)) return undefined;
    const colon = plainKey.lastIndex - 1;
    const name = text.slice(at, colon);
    if (isIndicator(first) || name.endsWith(' ') || name.includes(' #') || name.length > 1000) {
      // `- x: y` is a sequence, not a key; other doubtful keys go to `yaml`.
      if (this.isItem()) return undefined;
      give();
    }
    // Keys the core schema reads as null, booleans or numbers become other strings in toJS.
    if (resolvePlain(name) !== name) give();
    this.valueAt = colon + 1;
    return name;
  }

  /** `entryKey` for a key in quotes: `"k": …` or `'k': …`. */
  private quotedKey(): string | undefined {
    const content = this.text.slice(this.at, this.end);
    const key = content[0] === '"' ? doubleQuoted(content, 0) : singleQuoted(content, 0);
    const colon = key.end;
    if (content[colon] !== ':' || (colon + 1 < content.length && content[colon + 1] !== ' ')) {
      // `"k" : v` is a key all the same, which we leave to `yaml`; anything else is a quoted scalar.
      if (content[skipSpaces(content, colon)] === ':') give();
      return undefined;
    }
    if (typeof key.value !== 'string' || key.value.length > 1000) give();
    this.valueAt = this.at + colon + 1;
    return key.value as string;
  }

  /**
   * A literal block scalar: `|`, `|-` or `|+` from `at` on the current line, its lines (blank ones too,
   * and ones that look like comments) more indented than `parentIndent`.
   */
  private literal(at: number, parentIndent: number): string {
    const text = this.text;
    const match = literalHeader.exec(text.slice(at, this.end));
    if (!match) give();
    const chomp = (match as RegExpExecArray)[1];
    const body: string[] = [];
    let contentIndent = -1;
    let trailingBlank = 0;
    let start = this.end + 1;
    for (; start < text.length; ) {
      const newline = text.indexOf('\n', start);
      const end = newline < 0 ? text.length : newline;
      const indent = indentationEnd(text, start) - start;
      if (start + indent === end) {
        // A blank line: part of the scalar, unless it has more spaces than the content (then leave it).
        if (contentIndent < 0 || indent > contentIndent) give();
        trailingBlank++;
        start = end + 1;
        continue;
      }
      if (contentIndent < 0) {
        if (indent <= parentIndent) give();
        contentIndent = indent;
      }
      if (indent < contentIndent) {
        if (indent > parentIndent) give();
        break;
      }
      for (; trailingBlank > 0; trailingBlank--) body.push('');
      body.push(text.slice(start + contentIndent, end));
      start = end + 1;
    }
    // A block scalar running to the end of a text without a final newline is left to `yaml`.
    if (contentIndent < 0 || (start >= text.length && !text.endsWith('\n'))) give();
    this.seek(start);
    const value = body.join('\n');
    if (chomp === '-') return value;
    if (chomp === '+') return `${value}\n${'\n'.repeat(trailingBlank)}`;
    return `${value}\n`;
  }
}

/**
 * A plain scalar from `at` to the end of its line (`end`) or to a comment. It may not contain `: ` or
 * end with `:` (a key where none may be).
 */
function plainScalar(text: string, at: number, end: number): unknown {
  plainStart(text, at, end);
  const line = text.slice(at, end);
  const comment = line.indexOf(' #');
  const plain = trimEndSpaces(comment < 0 ? line : line.slice(0, comment));
  if (plain.includes(': ') || plain.endsWith(':')) give();
  return resolvePlain(plain);
}

/** A quoted scalar or a flow collection at the start of `content`, followed only by spaces or a comment. */
function closedScalar(content: string): unknown {
  const first = content[0];
  const scalar =
    first === '"' ? doubleQuoted(content, 0) : first === "'" ? singleQuoted(content, 0) : flow(content, 0);
  const after = skipSpaces(content, scalar.end);
  if (after < content.length && (content[after] !== '#' || after === scalar.end)) give();
  return scalar.value;
}

/**
 * Gives up unless a plain scalar may start at `start` (before `end`): not at an indicator, except `-`
 * before a character that is not special (`-5`, `--flag`), and not at a document marker.
 */
function plainStart(text: string, start: number, end = text.length): void {
  if (start >= end) give();
  const first = text[start];
  if (isIndicator(first)) {
    const next = start + 1 < end ? text[start + 1] : undefined;
    if (first !== '-' || next === undefined || special.includes(next) || /\s/.test(next)) give();
  }
  // `---` and `...` mark documents.
  if (first === '-' || first === '.') {
    if (text.startsWith('---', start) || text.startsWith('...', start)) give();
  }
}

/** Where a plain scalar in a flow collection ends: a flow indicator, `: `, or a comment. */
const flowPlainEnd = /[,[\]{}]|:(?=[ ,[\]{}]|$)| #/g;

/** A flow collection on one line (`[a, b]`, `{k: v, l: [1]}`), starting at `start`. */
function flow(text: string, start: number): Scalar {
  const isSeq = text[start] === '[';
  const close = isSeq ? ']' : '}';
  const seq: unknown[] = [];
  const map: Record<string, unknown> = {};
  let i = skipSpaces(text, start + 1);
  if (text[i] === close) return { value: isSeq ? seq : map, end: i + 1 };
  for (;;) {
    if (isSeq) {
      const item = flowValue(text, i);
      seq.push(item.value);
      i = skipSpaces(text, item.end);
    } else {
      const key = flowKey(text, i);
      if (text[key.end] !== ' ' || Object.hasOwn(map, key.name) || key.name === '__proto__') give();
      const value = flowValue(text, skipSpaces(text, key.end));
      map[key.name] = value.value;
      i = skipSpaces(text, value.end);
    }
    if (text[i] === close) return { value: isSeq ? seq : map, end: i + 1 };
    if (text[i] !== ',') give();
    i = skipSpaces(text, i + 1);
    // A trailing comma, and anything else unusual, is left to `yaml`.
    if (text[i] === close) give();
  }
}

function flowValue(text: string, start: number): Scalar {
  const first = text[start];
  if (first === '[' || first === '{') return flow(text, start);
  if (first === '"') return doubleQuoted(text, start);
  if (first === "'") return singleQuoted(text, start);
  const plain = flowPlain(text, start);
  // `[a: b]` (a map inside a sequence) or `{a: b: c}`.
  if (text[plain.end] === ':') give();
  return { value: resolvePlain(plain.text), end: plain.end };
}

/** A flow map key with its `:`; `end` is just after the `:`. */
function flowKey(text: string, start: number): { name: string; end: number } {
  const first = text[start];
  if (first === '"' || first === "'") {
    const key = first === '"' ? doubleQuoted(text, start) : singleQuoted(text, start);
    if (text[key.end] !== ':') give();
    return { name: key.value as string, end: key.end + 1 };
  }
  const plain = flowPlain(text, start);
  if (text[plain.end] !== ':' || resolvePlain(plain.text) !== plain.text) give();
  return { name: plain.text, end: plain.end + 1 };
}

function flowPlain(text: string, start: number): { text: string; end: number } {
  plainStart(text, start);
  flowPlainEnd.lastIndex = start;
  const match = flowPlainEnd.exec(text);
  if (!match || match[0] === ' #' || match[0] === '[' || match[0] === '{') give();
  const end = (match as RegExpExecArray).index;
  const plain = text.slice(start, end);
  // Spaces before the end (`{a : 1}`, `[a ]`) are left to `yaml`.
  if (plain === '' || plain !== plain.trimEnd()) give();
  return { text: plain, end };
}

/** A double-quoted scalar from `start`; the text between escapes is copied a run at a time. */
function doubleQuoted(content: string, start: number): Scalar {
  let value = '';
  let i = start + 1;
  for (;;) {
    const quote = content.indexOf('"', i);
    if (quote < 0) give();
    const backslash = content.indexOf('\\', i);
    if (backslash < 0 || backslash > quote) return { value: value + content.slice(i, quote), end: quote + 1 };
    value += content.slice(i, backslash);
    const code = content[backslash + 1] as string;
    const simple = escapes[code];
    if (simple !== undefined) {
      value += simple;
      i = backslash + 2;
      continue;
    }
    const length = hexLength[code];
    const hex = length ? content.substr(backslash + 2, length) : '';
    if (!length || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) give();
    const point = parseInt(hex, 16);
    if (point > 0x10ffff) give();
    value += String.fromCodePoint(point);
    i = backslash + 2 + (length as number);
  }
}

function singleQuoted(content: string, start: number): Scalar {
  let value = '';
  let i = start + 1;
  for (;;) {
    const quote = content.indexOf("'", i);
    if (quote < 0) give();
    value += content.slice(i, quote);
    if (content[quote + 1] !== "'") return { value, end: quote + 1 };
    value += "'";
    i = quote + 2;
  }
}
