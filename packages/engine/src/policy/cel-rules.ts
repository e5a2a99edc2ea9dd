import type { CelPolicy, PolicySeverity } from '../model/index.js';
import { type CelParsedExpr, celLibrary } from './cel-library.js';

/**
 * CEL guardrails (SPEC §15): one expression per rule, true when the resource is compliant, evaluated
 * in-process over the variables below. Compiled once when the workspace is parsed; a rule that does not
 * compile never reaches a plan.
 */

/** The variables a rule may use. */
export const celPolicyVariables = [
  'resource',
  'change',
  'project',
  'stack',
  'workspace',
  'app',
  'module',
] as const;

/** Placeholders a rule's `message` may use. */
const messagePlaceholders = new Set(['resource.id', 'app', 'module', 'project', 'stack', 'workspace']);

// Identifiers CEL resolves itself: type names and type conversion functions used as values.
const builtinIdentifiers = new Set([
  'bool',
  'bytes',
  'double',
  'dyn',
  'int',
  'list',
  'map',
  'null_type',
  'string',
  'type',
  'uint',
]);

/** Bindings of one evaluation: CEL values (Maps, bigints …) of the variables. */
export type CelPolicyBindings = Readonly<Record<(typeof celPolicyVariables)[number], unknown>>;

/** The outcome of a rule on one resource. */
export type CelRuleOutcome =
  | { readonly kind: 'compliant' }
  | { readonly kind: 'violated' }
  | { readonly kind: 'error'; readonly message: string };

/** A compiled CEL rule. */
export interface CompiledCelRule {
  readonly name: string;
  readonly severity: PolicySeverity;
  readonly policy: CelPolicy;
  evaluate(bindings: CelPolicyBindings): CelRuleOutcome;
}

/** Where, inside the rule text, a compile problem is (1-based). */
export interface CelCompileProblem {
  readonly message: string;
  /** The field of the rule that is wrong. */
  readonly field: 'rule' | 'message';
  readonly line: number;
  readonly column: number;
}

type CompileResult = { readonly rule: CompiledCelRule } | { readonly problems: readonly CelCompileProblem[] };

// A workspace's rules are compiled when it is parsed and again when a plan is judged: the second time
// costs nothing. Bounded, for long-lived processes (the server).
const compiled = new Map<string, CompileResult>();
const compiledLimit = 1_000;

/** Compiles a CEL rule: syntax, unknown variables and unknown message placeholders are problems. */
export function compileCelRule(policy: CelPolicy): CompileResult {
  const key = JSON.stringify([policy.name, policy.severity, policy.rule, policy.message, policy.match]);
  const known = compiled.get(key);
  if (known) return known;
  const result = compileUncached(policy);
  if (compiled.size >= compiledLimit) compiled.clear();
  compiled.set(key, result);
  return result;
}

function compileUncached(policy: CelPolicy): CompileResult {
  const { cel, env } = celLibrary();
  const { isCelError, parse, plan } = cel;
  const problems: CelCompileProblem[] = [...checkMessage(policy.message)];
  let parsed: CelParsedExpr | undefined;
  try {
    parsed = parse(policy.rule);
  } catch (error) {
    problems.push(parseProblem(error instanceof Error ? error.message : String(error)));
  }
  if (parsed) problems.push(...unknownIdentifiers(parsed, policy.rule));
  if (problems.length > 0 || !parsed) return { problems };
  let program: (bindings: CelPolicyBindings) => unknown;
  try {
    const planned = plan(env, parsed);
    program = (bindings) => planned(bindings as never);
  } catch (error) {
    return {
      problems: [
        {
          message: error instanceof Error ? error.message : String(error),
          field: 'rule',
          line: 1,
          column: 1,
        },
      ],
    };
  }
  return {
    rule: {
      name: policy.name,
      severity: policy.severity,
      policy,
      evaluate(bindings) {
        let result: unknown;
        try {
          result = program(bindings);
        } catch (error) {
          return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
        }
        if (isCelError(result)) return { kind: 'error', message: result.message };
        if (result === true) return { kind: 'compliant' };
        if (result === false) return { kind: 'violated' };
        return { kind: 'error', message: `the rule gave ${describe(result)}, not a bool` };
      },
    },
  };
}

/** Fills a message's `{{placeholders}}`. */
export function renderMessage(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([a-z.]+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
}

function checkMessage(message: string | undefined): CelCompileProblem[] {
  if (message === undefined) return [];
  const problems: CelCompileProblem[] = [];
  for (const found of message.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
    const key = found[1] ?? '';
    if (!messagePlaceholders.has(key))
      problems.push({
        message: `unknown placeholder {{${key}}} (use ${[...messagePlaceholders].map((p) => `{{${p}}}`).join(', ')})`,
        field: 'message',
        ...position(message, found.index),
      });
  }
  return problems;
}

/** `<input>:1:24: found > but expecting end of input` → a located problem. */
function parseProblem(message: string): CelCompileProblem {
  const first = message.split('\n')[0] ?? message;
  const located = /^<input>:(\d+):(\d+): (.*)$/.exec(first);
  if (!located) return { message: first, field: 'rule', line: 1, column: 1 };
  return {
    message: located[3] ?? first,
    field: 'rule',
    line: Number(located[1]),
    column: Number(located[2]),
  };
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `the int ${value}`;
  if (typeof value === 'string') return 'a string';
  if (value instanceof Map) return 'a map';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/** The parts of CEL's expression tree the identifier check walks. */
interface ExprNode {
  readonly id: bigint;
  readonly exprKind: { readonly case: string | undefined; readonly value?: unknown };
}
interface CallNode {
  readonly target?: ExprNode;
  readonly args: readonly ExprNode[];
}
interface ComprehensionNode {
  readonly iterVar: string;
  readonly iterVar2: string;
  readonly accuVar: string;
  readonly iterRange?: ExprNode;
  readonly accuInit?: ExprNode;
  readonly loopCondition?: ExprNode;
  readonly loopStep?: ExprNode;
  readonly result?: ExprNode;
}

/** Identifiers that are neither a policy variable nor bound by a macro: a typo the runtime would only see as "unresolved attribute". */
function unknownIdentifiers(parsed: CelParsedExpr, text: string): CelCompileProblem[] {
  const problems: CelCompileProblem[] = [];
  const positions = parsed.sourceInfo?.positions ?? {};
  const known = new Set<string>([...celPolicyVariables, ...builtinIdentifiers]);
  const visit = (node: ExprNode | undefined, bound: ReadonlySet<string>): void => {
    if (!node) return;
    const { case: kind, value } = node.exprKind;
    switch (kind) {
      case 'identExpr': {
        const name = (value as { name: string }).name;
        if (!known.has(name) && !bound.has(name)) {
          const offset = positions[String(node.id)] ?? 0;
          problems.push({
            message: `unknown variable "${name}" (use ${celPolicyVariables.join(', ')})`,
            field: 'rule',
            ...position(text, offset),
          });
        }
        return;
      }
      case 'selectExpr':
        visit((value as { operand?: ExprNode }).operand, bound);
        return;
      case 'callExpr': {
        const call = value as CallNode;
        visit(call.target, bound);
        for (const arg of call.args) visit(arg, bound);
        return;
      }
      case 'listExpr':
        for (const element of (value as { elements: readonly ExprNode[] }).elements) visit(element, bound);
        return;
      case 'structExpr':
        for (const entry of (
          value as { entries: readonly { keyKind: { case?: string; value?: unknown }; value?: ExprNode }[] }
        ).entries) {
          if (entry.keyKind.case === 'mapKey') visit(entry.keyKind.value as ExprNode, bound);
          visit(entry.value, bound);
        }
        return;
      case 'comprehensionExpr': {
        const loop = value as ComprehensionNode;
        visit(loop.iterRange, bound);
        visit(loop.accuInit, bound);
        const inner = new Set([...bound, loop.iterVar, loop.iterVar2, loop.accuVar].filter(Boolean));
        visit(loop.loopCondition, inner);
        visit(loop.loopStep, inner);
        visit(loop.result, inner);
        return;
      }
      default:
        return;
    }
  };
  visit(parsed.expr as unknown as ExprNode, new Set());
  return problems;
}
