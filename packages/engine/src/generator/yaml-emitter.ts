import type { JsonValue } from '../model/index.js';

/**
 * A block-style YAML 1.2 emitter for plain JSON data, producing exactly the bytes of the `yaml` package's
 * `stringify(value, { indent: 2, lineWidth: 0, aliasDuplicateObjects: false, version: '1.2' })`, without
 * building a Document: the spec of 100 apps went from ~550 ms to a few ms. The string rules below are ports
 * of yaml 2.x `stringifyString.js` for that option set (core schema, no folding, no comments, never in flow
 * context); `yaml-emitter.test.ts` compares both on goldens and on generated edge cases.
 */
export function emitYaml(value: JsonValue): string {
  // Plain string concatenation (V8 ropes) beat collecting pieces in an array and joining them.
  if (Array.isArray(value)) return `${emitSeq(value, '')}\n`;
  if (value !== null && typeof value === 'object') return `${emitMap(value, '')}\n`;
  if (typeof value === 'string') return `${rootString(value)}\n`;
  return `${scalar(value)}\n`;
}

const step = '  ';

/** Block map whose pairs start at `indent` (the first pair is written where the cursor already is). */
function emitMap(map: { readonly [key: string]: JsonValue }, indent: string): string {
  const inner = indent + step;
  let out = '';
  let first = true;
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value === undefined) continue;
    if (!first) out += `\n${indent}`;
    first = false;
    const keyText = keyString(key, inner);
    // yaml writes keys longer than 1024 characters as explicit `? key` entries.
    if (keyText.length > 1024) out += `? ${keyText}\n${indent}:${emitValue(value, inner, true)}`;
    else out += `${keyText}:${emitValue(value, inner, false)}`;
  }
  return first ? '{}' : out;
}

/** Block sequence whose items start at `indent`. */
function emitSeq(seq: readonly JsonValue[], indent: string): string {
  if (seq.length === 0) return '[]';
  const inner = indent + step;
  let out = '';
  for (let i = 0; i < seq.length; i++) {
    if (i > 0) out += `\n${indent}`;
    const item = seq[i] as JsonValue;
    if (Array.isArray(item)) out += `- ${emitSeq(item, inner)}`;
    else if (item !== null && typeof item === 'object') out += `- ${emitMap(item, inner)}`;
    else out += `- ${typeof item === 'string' ? valueString(item, inner) : scalar(item)}`;
  }
  return out;
}

/** The value of a pair (after `key:`), whose nested lines are indented by `indent`. */
function emitValue(value: JsonValue, indent: string, explicitKey: boolean): string {
  if (Array.isArray(value)) {
    // A non-empty collection starts on its own line; explicit keys keep `: ` before it.
    return `${value.length === 0 || explicitKey ? ' ' : `\n${indent}`}${emitSeq(value, indent)}`;
  }
  if (value !== null && typeof value === 'object') {
    const text = emitMap(value, indent);
    return `${text === '{}' || explicitKey ? ' ' : `\n${indent}`}${text}`;
  }
  const text = typeof value === 'string' ? valueString(value, indent) : scalar(value);
  return text === '' || text[0] === '\n' ? text : ` ${text}`;
}

function scalar(value: null | boolean | number): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (!Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value < 0 ? '-.inf' : '.inf';
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}

// --- strings: ports of yaml's stringifyString for block context with lineWidth 0 ---

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters yaml double-quotes.
const controlChars = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
const notPlain = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const documentMarker = /^(%|---|\.\.\.)/m;
/** Plain scalars the core schema would read as something other than a string (null, bool, int, float). */
const coreNonString = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];
/** Fast path: nothing in it needs a closer look (letters, digits and a few inner punctuation marks). */
const simplePlain = /^[A-Za-z_/][A-Za-z0-9_./=+-]*$/;

interface StringContext {
  readonly indent: string;
  readonly implicitKey: boolean;
  /** Only a root scalar has no indentation. */
  readonly forceBlockIndent: boolean;
}

/** The only core-schema words a `simplePlain` string can be (it starts with a letter, `_` or `/`). */
const simpleNonString = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);

function keyString(key: string, indent: string): string {
  if (simplePlain.test(key) && !simpleNonString.has(key)) return key;
  return stringifyString(key, { indent, implicitKey: true, forceBlockIndent: false });
}

function valueString(value: string, indent: string): string {
  if (simplePlain.test(value) && !simpleNonString.has(value)) return value;
  return stringifyString(value, { indent, implicitKey: false, forceBlockIndent: false });
}

function rootString(value: string): string {
  return stringifyString(value, { indent: '', implicitKey: false, forceBlockIndent: false });
}

function isCoreNonString(text: string): boolean {
  for (const test of coreNonString) if (test.test(text)) return true;
  return false;
}

function stringifyString(value: string, ctx: StringContext): string {
  return controlChars.test(value) ? doubleQuoted(value, ctx) : plain(value, ctx);
}

function plain(value: string, ctx: StringContext): string {
  const { implicitKey, indent } = ctx;
  if (implicitKey && value.includes('\n')) return quoted(value, ctx);
  if (notPlain.test(value)) {
    return implicitKey || !value.includes('\n') ? quoted(value, ctx) : block(value, ctx);
  }
  if (!implicitKey && value.includes('\n')) return block(value, ctx);
  if (documentMarker.test(value)) {
    if (indent === '') return block(value, { ...ctx, forceBlockIndent: true });
    if (implicitKey && indent === step) return quoted(value, ctx);
  }
  if (isCoreNonString(value)) return quoted(value, ctx);
  return value;
}

function quoted(value: string, ctx: StringContext): string {
  const hasDouble = value.includes('"');
  const hasSingle = value.includes("'");
  return hasDouble && !hasSingle ? singleQuoted(value, ctx) : doubleQuoted(value, ctx);
}

function singleQuoted(value: string, ctx: StringContext): string {
  if ((ctx.implicitKey && value.includes('\n')) || /[ \t]\n|\n[ \t]/.test(value))
    return doubleQuoted(value, ctx);
  const indent = ctx.indent || (documentMarker.test(value) ? step : '');
  return `'${value.replace(/'/g, "''").replace(/\n+/g, `$&\n${indent}`)}'`;
}

const doubleQuotedMinMultiLineLength = 40;

function doubleQuoted(value: string, ctx: StringContext): string {
  const json = JSON.stringify(value);
  const { implicitKey } = ctx;
  const indent = ctx.indent || (documentMarker.test(value) ? step : '');
  let str = '';
  let start = 0;
  for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
    if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
      // A space before a newline is escaped so that it is not folded.
      str += `${json.slice(start, i)}\\ `;
      i += 1;
      start = i;
      ch = '\\';
    }
    if (ch !== '\\') continue;
    switch (json[i + 1]) {
      case 'u': {
        str += json.slice(start, i);
        const code = json.substr(i + 2, 4);
        str += shortEscapes[code] ?? (code.startsWith('00') ? `\\x${code.slice(2)}` : json.substr(i, 6));
        i += 5;
        start = i + 1;
        break;
      }
      case 'n':
        if (implicitKey || json[i + 2] === '"' || json.length < doubleQuotedMinMultiLineLength) {
          i += 1;
        } else {
          // Folding eats the first newline.
          str += `${json.slice(start, i)}\n\n`;
          while (json[i + 2] === '\\' && json[i + 3] === 'n' && json[i + 4] !== '"') {
            str += '\n';
            i += 2;
          }
          str += indent;
          // A space after a newline is escaped so that it is not folded.
          if (json[i + 2] === ' ') str += '\\';
          i += 1;
          start = i + 1;
        }
        break;
      default:
        i += 1;
    }
  }
  return start ? str + json.slice(start) : json;
}

const shortEscapes: Readonly<Record<string, string>> = {
  '0000': '\\0',
  '0007': '\\a',
  '000b': '\\v',
  '001b': '\\e',
  '0085': '\\N',
  '00a0': '\\_',
  '2028': '\\L',
  '2029': '\\P',
};

const blockEndNewlines = /(^|(?<!\n))\n+(?!\n|$)/g;

/** A literal block scalar (`|`), with chomping and indentation indicators as yaml writes them. */
function block(input: string, ctx: StringContext): string {
  // A block cannot end in whitespace unless the last line is non-empty.
  if (/\n[\t ]+$/.test(input)) return quoted(input, ctx);
  const indent = ctx.indent || (ctx.forceBlockIndent || documentMarker.test(input) ? step : '');
  let value = input;
  if (!value) return '|\n';
  let endStart: number;
  for (endStart = value.length; endStart > 0; --endStart) {
    const ch = value[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') break;
  }
  let end = value.substring(endStart);
  const endNlPos = end.indexOf('\n');
  const chomp = endNlPos === -1 ? '-' : value === end || endNlPos !== end.length - 1 ? '+' : '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === '\n') end = end.slice(0, -1);
    end = end.replace(blockEndNewlines, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd: number;
  let startNlPos = -1;
  for (startEnd = 0; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNlPos = startEnd;
    else break;
  }
  let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? (indent ? '2' : '1') : '') + chomp;
  value = value.replace(/\n+/g, `$&${indent}`);
  return `|${header}\n${indent}${start}${value}${end}`;
}
