import type { JsonValue, RegoPolicy } from '../model/index.js';
import type { RegoEngine, RegoModules } from './port.js';
import type { PolicyInput, PolicyViolation } from './types.js';

/**
 * Rego guardrails (SPEC §15): the rule's stored files are evaluated by the Rego engine once per plan with
 * input `{plan, spec, project, stack, workspace}`; every item of the query's value is a violation. Anything
 * that goes wrong — the engine failing, an undefined query, an item of the wrong shape — is itself a deny
 * carrying the error, never a silent pass.
 */

/** The input document a Rego rule sees. */
export function regoInput(input: PolicyInput): JsonValue {
  return JSON.parse(
    JSON.stringify({
      plan: input.plan,
      spec: input.spec,
      project: input.project,
      stack: input.stack,
      workspace: input.workspace,
    }),
  ) as JsonValue;
}

export interface EvaluateRegoOptions {
  readonly engine: RegoEngine | undefined;
  /** The rule's stored files. */
  readonly modules: RegoModules | undefined;
  /** `regoInput(...)`, built once per plan. */
  readonly input: JsonValue;
  readonly signal?: AbortSignal;
}

/** Evaluates one Rego rule. Never throws: failures are deny violations. */
export async function evaluateRegoRule(
  rule: RegoPolicy,
  options: EvaluateRegoOptions,
): Promise<PolicyViolation[]> {
  const failed = (message: string): PolicyViolation[] => [
    { name: rule.name, severity: 'deny', id: null, message },
  ];
  if (!options.engine) return failed('no Rego engine is available to evaluate this rule');
  if (!options.modules || Object.keys(options.modules).length === 0)
    return failed(
      `no Rego files are stored for this rule (${rule.rego.path}): store the workspace again with \`kusion workspace update\``,
    );
  let evaluation: Awaited<ReturnType<RegoEngine['evaluate']>>;
  try {
    evaluation = await options.engine.evaluate({
      modules: options.modules,
      query: rule.rego.query,
      input: options.input,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    return failed(`opa failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!evaluation.defined)
    return failed(`query ${rule.rego.query} is undefined: no rule of ${rule.rego.path} defines it`);
  return itemsOf(evaluation.value).map((item) =>
    'error' in item
      ? { name: rule.name, severity: 'deny', id: null, message: item.error }
      : { name: rule.name, severity: rule.severity, id: item.id, message: item.msg },
  );
}

type Item = { readonly id: string | null; readonly msg: string } | { readonly error: string };

/** A set (JSON array) or an object of items; each item `{id?, msg}`, or a bare message string. */
function itemsOf(value: JsonValue): Item[] {
  const items = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null
      ? Object.values(value)
      : undefined;
  if (!items) return [{ error: `the query gave ${JSON.stringify(value)}, not a set of {id?, msg} items` }];
  return items.map((item): Item => {
    if (typeof item === 'string') return { id: null, msg: item };
    if (
      typeof item === 'object' &&
      item !== null &&
      !Array.isArray(item) &&
      typeof item['msg'] === 'string'
    ) {
      const id = item['id'];
      return { id: typeof id === 'string' && id !== '' ? id : null, msg: item['msg'] };
    }
    return { error: `a result item is not {id?, msg}: ${JSON.stringify(item).slice(0, 200)}` };
  });
}
