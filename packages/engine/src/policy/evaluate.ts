import type {
  CelPolicy,
  JsonValue,
  PackPolicy,
  PolicyEntry,
  RegoPolicy,
  WorkspacePolicyFiles,
} from '../model/index.js';
import { evaluateBaseline } from './baseline.js';
import {
  type CelCompileProblem,
  type CelPolicyBindings,
  type CompiledCelRule,
  compileCelRule,
  renderMessage,
} from './cel-rules.js';
import { toCel } from './cel-values.js';
import type { RegoEngine } from './port.js';
import { evaluateRegoRule, regoInput } from './rego.js';
import { type PolicySubject, subjectsOf } from './subjects.js';
import { type PolicyInput, type PolicyReport, type PolicyViolation, reportOf } from './types.js';

/**
 * A workspace's policies, compiled, and their evaluation against a plan (SPEC §15): CEL rules per matching
 * planned resource, Rego rules once per plan, then the built-in packs. Evaluation never throws on a
 * violation or on a failing rule: both are results.
 */

/** Which of the three forms an entry is. */
export type PolicyForm =
  | { readonly form: 'cel'; readonly policy: CelPolicy }
  | { readonly form: 'rego'; readonly policy: RegoPolicy }
  | { readonly form: 'pack'; readonly policy: PackPolicy };

/** Tells the three forms apart by their keys: `use` is a pack, `rego` a Rego rule, anything else CEL. */
export function policyForm(entry: PolicyEntry): PolicyForm {
  if ('use' in entry) return { form: 'pack', policy: entry };
  if ('rego' in entry) return { form: 'rego', policy: entry };
  return { form: 'cel', policy: entry };
}

/** A workspace's policies, ready to evaluate. */
export interface CompiledPolicies {
  readonly cel: readonly CompiledCelRule[];
  readonly rego: readonly RegoPolicy[];
  readonly packs: readonly PackPolicy[];
}

/** A compile problem of one entry of `policies`. */
export interface PolicyCompileProblem extends CelCompileProblem {
  /** Index in `policies`. */
  readonly index: number;
  readonly name: string;
}

/** Compiles every entry; the problems of every CEL rule are returned together. */
export function compilePolicies(entries: readonly PolicyEntry[]): {
  readonly policies: CompiledPolicies;
  readonly problems: readonly PolicyCompileProblem[];
} {
  const cel: CompiledCelRule[] = [];
  const rego: RegoPolicy[] = [];
  const packs: PackPolicy[] = [];
  const problems: PolicyCompileProblem[] = [];
  for (const [index, entry] of entries.entries()) {
    const form = policyForm(entry);
    if (form.form === 'pack') packs.push(form.policy);
    else if (form.form === 'rego') rego.push(form.policy);
    else {
      const compiled = compileCelRule(form.policy);
      if ('rule' in compiled) cel.push(compiled.rule);
      else problems.push(...compiled.problems.map((p) => ({ ...p, index, name: form.policy.name })));
    }
  }
  return { policies: { cel, rego, packs }, problems };
}

/** True when there is nothing to evaluate. */
export const hasPolicies = (policies: CompiledPolicies): boolean =>
  policies.cel.length + policies.rego.length + policies.packs.length > 0;

export interface EvaluatePoliciesOptions {
  /** The Rego files stored with the workspace. */
  readonly files?: WorkspacePolicyFiles;
  /** Needed only when there are Rego rules; without one, each Rego rule is a deny. */
  readonly rego?: RegoEngine;
  readonly signal?: AbortSignal;
}

/** Evaluates compiled policies against a plan. */
export async function evaluatePolicies(
  policies: CompiledPolicies,
  input: PolicyInput,
  options: EvaluatePoliciesOptions = {},
): Promise<PolicyReport> {
  const subjects = subjectsOf(input);
  const { violations, unmatched } = evaluateCelRules(policies.cel, subjects, input);
  if (policies.rego.length > 0) {
    const document = regoInput(input);
    // One engine run per rule, one rule at a time: each is a process, and there are few.
    for (const rule of policies.rego) {
      violations.push(
        ...(await evaluateRegoRule(rule, {
          engine: options.rego,
          modules: options.files?.[rule.name],
          input: document,
          ...(options.signal ? { signal: options.signal } : {}),
        })),
      );
    }
  }
  for (const pack of policies.packs) violations.push(...evaluateBaseline(pack, subjects));
  return reportOf(violations, unmatched);
}

/** Each CEL rule over each planned resource it matches; CEL values of a resource are built once for all rules. */
function evaluateCelRules(
  rules: readonly CompiledCelRule[],
  subjects: readonly PolicySubject[],
  input: PolicyInput,
): { violations: PolicyViolation[]; unmatched: string[] } {
  const violations: PolicyViolation[] = [];
  const matched = new Set<string>();
  for (const subject of subjects) {
    let bindings: Parameters<CompiledCelRule['evaluate']>[0] | undefined;
    for (const rule of rules) {
      if (!matches(rule.policy.match, subject)) continue;
      matched.add(rule.name);
      bindings ??= bindingsOf(subject, input);
      const outcome = rule.evaluate(bindings);
      if (outcome.kind === 'compliant') continue;
      const id = subject.resource.id;
      if (outcome.kind === 'error') {
        violations.push({
          name: rule.name,
          severity: 'deny',
          id,
          message: `rule failed: ${outcome.message}`,
        });
        continue;
      }
      const values = {
        'resource.id': id,
        app: subject.app,
        module: subject.module,
        project: input.project,
        stack: input.stack,
        workspace: input.workspace,
      };
      violations.push({
        name: rule.name,
        severity: rule.severity,
        id,
        message: rule.policy.message
          ? renderMessage(rule.policy.message, values)
          : `not compliant: ${rule.policy.rule}`,
      });
    }
  }
  return { violations, unmatched: rules.filter((r) => !matched.has(r.name)).map((r) => r.name) };
}

/**
 * The variables of one resource. Converting to CEL values is most of the cost besides evaluation, so
 * `resource` and `change` are converted on first read (CEL reads a binding only when an expression names
 * it), once for all the rules of the resource.
 */
function bindingsOf(subject: PolicySubject, input: PolicyInput): CelPolicyBindings {
  let resource: unknown;
  let change: unknown;
  return {
    get resource() {
      resource ??= toCel(subject.resource as unknown as JsonValue);
      return resource;
    },
    get change() {
      change ??= toCel({ action: subject.change.action, diff: subject.change.diff } as unknown as JsonValue);
      return change;
    },
    project: input.project,
    stack: input.stack,
    workspace: input.workspace,
    app: subject.app,
    module: subject.module,
  };
}

function matches(match: CelPolicy['match'], subject: PolicySubject): boolean {
  if (!match) return true;
  const { resource } = subject;
  const kind =
    resource.type === 'Terraform'
      ? String(resource.extensions?.['resourceType'] ?? '')
      : String(resource.attributes['kind'] ?? '');
  if (match.type !== undefined && match.type !== resource.type) return false;
  if (match.apiVersion !== undefined && match.apiVersion !== resource.attributes['apiVersion']) return false;
  if (
    match.kind !== undefined &&
    !(typeof match.kind === 'string' ? [match.kind] : match.kind).includes(kind)
  )
    return false;
  if (match.module !== undefined && match.module !== subject.module) return false;
  if (match.app !== undefined && match.app !== subject.app) return false;
  return true;
}
