import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { Codes, type Diagnostic, diagnostic } from '../errors/index.js';
import { readYamlSubset } from './yaml-fast-read.js';

/** A segment of a path into a parsed document: a map key or a list index. */
export type PathSegment = string | number;

/**
 * A parsed configuration document that remembers where each value came from, so every problem can be
 * reported as `file:line:col`.
 */
export interface SourceDocument {
  /** How the document is named in messages: a path relative to the working directory, or `workspace dev`. */
  readonly file: string;
  readonly value: unknown;
  /** `file:line:col` of the value (or, with `key`, of the map key) at `path`; its nearest located ancestor otherwise. */
  locate(path: readonly PathSegment[], target?: 'key' | 'value'): string;
}

/** Renders a path as `a.b[0].c` for messages. */
export function formatPath(path: readonly PathSegment[]): string {
  return path.reduce<string>(
    (text, segment) =>
      typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment,
    '',
  );
}

interface ParsedYaml {
  readonly document: SourceDocument;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Parses YAML 1.2 keeping node positions. All syntax errors of the file are reported (KUS1004), and
 * duplicate keys are errors too. `value` is the plain JavaScript value.
 *
 * Most files are in the subset `readYamlSubset` reads, much faster than `yaml`; positions are then only
 * worked out (by `yaml`) when something asks where a value is, which is mostly to report a problem.
 */
export function parseYaml(text: string, file: string): ParsedYaml {
  const value = readYamlSubset(text);
  if (value === undefined) return parseYamlWithPositions(text, file);
  let positioned: SourceDocument | undefined;
  const locate: SourceDocument['locate'] = (path, target) => {
    positioned ??= parseYamlWithPositions(text, file).document;
    return positioned.locate(path, target);
  };
  return { document: { file, value, locate }, diagnostics: [] };
}

function parseYamlWithPositions(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const at = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const diagnostics = doc.errors.map((error) =>
    diagnostic(Codes.yamlSyntax, `YAML syntax error: ${firstLine(error.message)}`, at(error.pos[0])),
  );
  const locate = (path: readonly PathSegment[], target: 'key' | 'value' = 'value'): string => {
    let node: unknown = doc.contents;
    let best: number = (doc.contents as Node | null)?.range?.[0] ?? 0;
    for (const [index, segment] of path.entries()) {
      const isLast = index === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) break;
        const key = pair.key as Node;
        if (isLast && target === 'key') return at(key.range?.[0] ?? best);
        best = key.range?.[0] ?? best;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
      } else break;
      const range = (node as Node | null)?.range;
      if (range) best = range[0];
    }
    return at(best);
  };
  return { document: { file, value: diagnostics.length > 0 ? undefined : doc.toJS(), locate }, diagnostics };
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/** A document whose positions come from a map of dotted paths to `file:line:col` (main.ts builder calls). */
export function documentFromPositions(
  file: string,
  value: unknown,
  positions: ReadonlyMap<string, string>,
): SourceDocument {
  return {
    file,
    value,
    locate(path) {
      for (let length = path.length; length >= 0; length--) {
        const site = positions.get(formatPath(path.slice(0, length)));
        if (site) return site;
      }
      return file;
    },
  };
}

/** A view of one value inside a document, so nested validation still reports positions in the file. */
export function subDocument(
  parent: SourceDocument,
  prefix: readonly PathSegment[],
  value: unknown,
): SourceDocument {
  return {
    file: parent.file,
    value,
    locate: (path, target) => parent.locate([...prefix, ...path], target),
  };
}
