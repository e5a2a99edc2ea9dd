import type { Plan } from '../engine/plan/plan.js';
import type { Diagnostic } from '../errors/index.js';
import type { ResolvedModules, Spec } from '../model/index.js';
import type { PolicyReport } from '../policy/index.js';

/** Who and what a plan is about, for headers and JSON. */
export interface PlanContext {
  readonly project: string;
  readonly stack: string;
  readonly workspace: string;
  readonly baseRevision: number;
  readonly specDigest: string;
  readonly stateDigest: string;
  readonly modules: ResolvedModules;
  readonly outputs: Spec['outputs'];
  readonly warnings: readonly Diagnostic[];
  /** The workspace's guardrails on this plan (SPEC §15); absent when it has no policies. */
  readonly policy?: PolicyReport;
}

/** The stable JSON of a preview (SPEC §10.3, formatVersion 1); a saved plan extends it. */
export function previewDocument(plan: Plan, context: PlanContext) {
  return {
    formatVersion: 1 as const,
    kind: 'Preview' as 'Preview' | 'Plan',
    project: context.project,
    stack: context.stack,
    workspace: context.workspace,
    baseRevision: context.baseRevision,
    specDigest: context.specDigest,
    stateDigest: context.stateDigest,
    summary: plan.summary,
    changes: plan.changes.map((c) => ({
      id: c.id,
      type: c.type,
      action: c.action,
      source: c.source ?? null,
      notes: c.notes,
      before: c.before,
      after: c.after,
      diff: c.diff,
    })),
    outputs: context.outputs,
    warnings: context.warnings.map((w) => ({ code: w.code, message: w.message })),
    policy: (context.policy?.violations ?? []).map((v) => ({
      name: v.name,
      severity: v.severity,
      id: v.id,
      message: v.message,
    })),
  };
}
