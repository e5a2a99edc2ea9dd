/**
 * A fast reader for the common subset of YAML that configuration files use: block maps and sequences,
 * single-line plain and quoted scalars, literal block scalars (`|`, `|-`, `|+`), empty `[]`/`{}` and
 * comments. It returns exactly the value the `yaml` package's `parseDocument(...).toJS()` returns (YAML
 * 1.2 core schema), or `undefined` at the first thing outside the subset or anything doubtful (tabs, CR,
 * anchors, tags, flow collections, multi-line plain scalars, duplicate or non-string keys, merge keys…),
 * in which case the caller parses with `yaml`, which also produces the diagnostics. The `yaml` parser
 * took ~300 ms for the main.yaml of 100 apps; this takes a few.
 */

/** Thrown inside the reader to give up; never escapes `readYamlSubset`. */
class Unsupported extends Error {}

/** Tabs, CR, BOM, other control characters, Unicode line breaks and merge keys are left to `yaml`. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters the subset refuses.
const refused = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]|<</;

export function readYamlSubset(text: string): unknown {
  if (refused.test(text)) return undefined;
  const lines = text.split('\n');
  const endsWithNewline = lines[lines.length - 1] === '';
  if (endsWithNewline) lines.pop();
  try {
    const reader = new Reader(lines, endsWithNewline);
    const first = reader.nextContent();
    if (first < 0 || reader.indentOf(first) !== 0) return undefined;
    const value = reader.node(0, -1);
    return reader.nextContent() < 0 ? value : undefined;
  } catch {
    // Unsupported, or a bug here: either way `yaml` reads the file.
    return undefined;
  }
}

const give = (): never => {
  throw new Unsupported();
};

/** Characters that cannot start a plain scalar here (or would make us doubt what it means). */
const indicator = /^[-?:,[\]{}#&*!|>'"%@`]/;
/** `yaml`'s core schema, in its order: plain scalars that are not strings. */
const coreScalars: readonly [RegExp, (text: string) => unknown][] = [
  [/^(?:~|[Nn]ull|NULL)?$/, () => null],
  [/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === 't' || text[0] === 'T'],
  [/^0o[0-7]+$/, (text) => parseInt(text.substring(2), 8)],
  [/^[-+]?[0-9]+$/, (text) => parseInt(text, 10)],
  [/^0x[0-9a-fA-F]+$/, (text) => parseInt(text.substring(2), 16)],
  [
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    (text) =>
      text.slice(-3).toLowerCase() === 'nan'
        ? Number.NaN
        : text[0] === '-'
          ? Number.NEGATIVE_INFINITY
          : Number.POSITIVE_INFINITY,
  ],
  [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (text) => parseFloat(text)],
  [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (text) => parseFloat(text)],
];

function resolvePlain(text: string): unknown {
  for (const [test, resolve] of coreScalars) if (test.test(text)) return resolve(text);
  return text;
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

class Reader {
  private line = 0;
  private readonly lines: string[];
  /** A block scalar running to the end of a file without a final newline is left to `yaml`. */
  private readonly endsWithNewline: boolean;

  constructor(lines: string[], endsWithNewline: boolean) {
    this.lines = lines;
    this.endsWithNewline = endsWithNewline;
  }

  indentOf(index: number): number {
    const text = this.lines[index] ?? '';
    let i = 0;
    while (text.charCodeAt(i) === 32) i++;
    return i;
  }

  /** The index of the next line with content (not blank, not only a comment), or -1. */
  nextContent(): number {
    while (this.line < this.lines.length) {
      const text = this.lines[this.line] as string;
      const content = text.trimStart();
      if (content !== '' && content[0] !== '#') return this.line;
      this.line++;
    }
    return -1;
  }

  /** A block node whose first line is the next content line, indented by exactly `indent`. */
  node(indent: number, parentIndent: number): unknown {
    const index = this.nextContent();
    if (index < 0 || this.indentOf(index) !== indent || indent <= parentIndent) give();
    const content = (this.lines[index] as string).slice(indent);
    if (content === '-' || content.startsWith('- ')) return this.sequence(indent);
    if (this.entryKey(content)) return this.map(indent);
    return this.inlineScalar(content, parentIndent);
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (;;) {
      const index = this.nextContent();
      if (index < 0 || this.indentOf(index) < indent) return items;
      const text = this.lines[index] as string;
      const content = text.slice(indent);
      if (this.indentOf(index) > indent || !(content === '-' || content.startsWith('- '))) {
        // A key at the sequence's own indentation ends a sequence that is a map value; the map decides.
        if (this.indentOf(index) === indent && this.entryKey(content)) return items;
        give();
      }
      const rest = content.slice(1).trimStart();
      if (rest === '' || rest[0] === '#') {
        this.line = index + 1;
        items.push(this.nestedOrNull(indent));
        continue;
      }
      // `- content`: read the content as if it were a line of its own, indented to where it starts.
      const column = text.length - rest.length;
      this.lines[index] = ' '.repeat(column) + rest;
      items.push(this.node(column, indent));
    }
  }

  private map(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (;;) {
      const index = this.nextContent();
      if (index < 0 || this.indentOf(index) < indent) return map;
      if (this.indentOf(index) > indent) give();
      const content = (this.lines[index] as string).slice(indent);
      const key = this.entryKey(content);
      if (!key) {
        // A sequence at a map's indentation belongs to the key before (handled there); anything else is wrong.
        give();
      }
      const { name, rest } = key as { name: string; rest: string };
      if (Object.hasOwn(map, name) || name === '__proto__') give();
      this.line = index;
      map[name] = this.entryValue(rest, indent);
    }
  }

  /** The value after `key:`: inline on this line, or a nested block on the following lines. */
  private entryValue(rest: string, indent: number): unknown {
    const index = this.line;
    const trimmed = rest.trimStart();
    if (trimmed === '' || (trimmed[0] === '#' && trimmed.length < rest.length)) {
      this.line = index + 1;
      const next = this.nextContent();
      if (next >= 0 && this.indentOf(next) === indent) {
        const content = (this.lines[next] as string).slice(indent);
        // YAML lets a sequence that is a map value start at the map's own indentation.
        if (content === '-' || content.startsWith('- ')) return this.sequence(indent);
      }
      return this.nestedOrNull(indent);
    }
    return this.inlineScalar(trimmed, indent);
  }

  /** After a line that ends with `key:` or `-`: a more indented block, or null. */
  private nestedOrNull(indent: number): unknown {
    const next = this.nextContent();
    if (next < 0 || this.indentOf(next) <= indent) return null;
    return this.node(this.indentOf(next), indent);
  }

  /**
   * A scalar on the current line, which must end there (a block scalar takes the lines below).
   * `parentIndent` is the indentation of the map or sequence holding it.
   */
  private inlineScalar(content: string, parentIndent: number): unknown {
    this.line = this.nextContent() + 1;
    if (content[0] === '|') return this.literal(content, parentIndent);
    const scalar = this.scalar(content);
    const after = content.slice(scalar.end);
    if (after.trim() !== '' && !/^\s+#/.test(after)) give();
    // A more indented line below would continue the scalar or be an error: leave it to `yaml`.
    const next = this.nextContent();
    if (next >= 0 && this.indentOf(next) > parentIndent) give();
    return scalar.value;
  }

  /** One single-line scalar at the start of `content`. */
  private scalar(content: string): Scalar {
    const first = content[0];
    if (first === '"') return doubleQuoted(content, 0);
    if (first === "'") return singleQuoted(content, 0);
    if (first === '[' || first === '{') return flow(content, 0);
    plainStart(content, 0);
    const comment = content.indexOf(' #');
    const text = (comment < 0 ? content : content.slice(0, comment)).trimEnd();
    if (text.includes(': ') || text.endsWith(':')) give();
    return { value: resolvePlain(text), end: comment < 0 ? content.length : comment };
  }

  /** `{ name, rest }` when `content` is `key:` or `key: …` with a plain or quoted string key. */
  entryKey(content: string): { name: string; rest: string } | undefined {
    const first = content[0];
    if (first === '"' || first === "'") {
      const key = first === '"' ? doubleQuoted(content, 0) : singleQuoted(content, 0);
      const after = content.slice(key.end);
      if (after !== ':' && !after.startsWith(': ')) {
        if (/^\s*:/.test(after)) give();
        return undefined;
      }
      if (typeof key.value !== 'string' || key.value.length > 1000) give();
      return { name: key.value as string, rest: after.slice(1) };
    }
    const colon = content.search(/:( |$)/);
    if (colon < 0) return undefined;
    const name = content.slice(0, colon);
    if (first === undefined || indicator.test(content) || /\s$|\s#/.test(name) || name.length > 1000) {
      // `- x: y` is a sequence, not a key; other doubtful keys go to `yaml`.
      if (content === '-' || content.startsWith('- ')) return undefined;
      give();
    }
    // Keys the core schema reads as null, booleans or numbers become other strings in toJS.
    if (resolvePlain(name) !== name) give();
    return { name, rest: content.slice(colon + 1) };
  }

  /** A literal block scalar: `|`, `|-` or `|+`, its lines more indented than `parentIndent`. */
  private literal(header: string, parentIndent: number): string {
    const match = /^\|([-+]?)(?: +#.*)? *$/.exec(header);
    if (!match) give();
    const chomp = (match as RegExpExecArray)[1];
    const body: string[] = [];
    let contentIndent = -1;
    let trailingBlank = 0;
    while (this.line < this.lines.length) {
      const text = this.lines[this.line] as string;
      const indent = this.indentOf(this.line);
      if (indent === text.length) {
        // A blank line: part of the scalar, unless it has more spaces than the content (then leave it).
        if (contentIndent < 0 || indent > contentIndent) give();
        trailingBlank++;
        this.line++;
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
      body.push(text.slice(contentIndent));
      this.line++;
    }
    if (contentIndent < 0 || (this.line >= this.lines.length && !this.endsWithNewline)) give();
    const text = body.join('\n');
    if (chomp === '-') return text;
    if (chomp === '+') return `${text}\n${'\n'.repeat(trailingBlank)}`;
    return `${text}\n`;
  }
}

/** Gives up unless a plain scalar may start at `start` (`-` only before a character that is not special). */
function plainStart(text: string, start: number): void {
  const rest = text.slice(start, start + 3);
  if (rest === '' || (indicator.test(rest) && !/^-[^\s?:,[\]{}#&*!|>'"%@`]/.test(rest))) give();
  if (rest === '---' || rest === '...') give();
}

const skipSpaces = (text: string, from: number): number => {
  let i = from;
  while (text.charCodeAt(i) === 32) i++;
  return i;
};

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

function doubleQuoted(content: string, start: number): Scalar {
  let value = '';
  let i = start + 1;
  for (;;) {
    const ch = content[i];
    if (ch === undefined) give();
    if (ch === '"') return { value, end: i + 1 };
    if (ch !== '\\') {
      value += ch;
      i++;
      continue;
    }
    const code = content[i + 1] as string;
    const simple = escapes[code];
    if (simple !== undefined) {
      value += simple;
      i += 2;
      continue;
    }
    const length = hexLength[code];
    const hex = length ? content.substr(i + 2, length) : '';
    if (!length || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) give();
    const point = parseInt(hex, 16);
    if (point > 0x10ffff) give();
    value += String.fromCodePoint(point);
    i += 2 + (length as number);
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
