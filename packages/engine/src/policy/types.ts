import type { Plan } from '../engine/plan/plan.js';
import type { PolicySeverity, Spec } from '../model/index.js';

/** One result of a guardrail (SPEC §15): the JSON `policy` array's `{name, severity, id, message}`. */
export interface PolicyViolation {
  /** The rule's name (`baseline/<rule>` for the built-in pack). */
  readonly name: string;
  readonly severity: PolicySeverity;
  /** The resource concerned, or null for a finding about the whole plan (or a rule that failed). */
  readonly id: string | null;
  readonly message: string;
}

/** Everything a policy evaluation found. */
export interface PolicyReport {
  /** Sorted by rule name, then resource ID (plan-wide findings first). */
  readonly violations: readonly PolicyViolation[];
  /** Rules that matched no resource of the plan: reported, so a mistyped `match` never passes silently. */
  readonly unmatched: readonly string[];
  /** True when any violation is a deny. */
  readonly denied: boolean;
}

/** What the policies of a workspace are evaluated against. */
export interface PolicyInput {
  readonly project: string;
  readonly stack: string;
  readonly workspace: string;
  /** The desired spec, references unresolved. */
  readonly spec: Spec;
  readonly plan: Plan;
}

/** Violations in a stable order: by rule name, then resource ID (null first), then message. */
export function sortViolations(violations: readonly PolicyViolation[]): PolicyViolation[] {
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const compareIds = (a: string | null, b: string | null) =>
    a === b ? 0 : a === null ? -1 : b === null ? 1 : compare(a, b);
  return [...violations].sort(
    (a, b) => compare(a.name, b.name) || compareIds(a.id, b.id) || compare(a.message, b.message),
  );
}

/** A report of these violations. */
export function reportOf(violations: readonly PolicyViolation[], unmatched: readonly string[]): PolicyReport {
  const sorted = sortViolations(violations);
  return {
    violations: sorted,
    unmatched: [...unmatched].sort(),
    denied: sorted.some((v) => v.severity === 'deny'),
  };
}
