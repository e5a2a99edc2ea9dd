import { resolve } from 'node:path';
import { locateStack } from '../config/index.js';
import type { Plan } from '../engine/plan/plan.js';
import { Codes, type Diagnostic, KusionError } from '../errors/index.js';
import type { Spec, WorkspacePolicyFiles } from '../model/index.js';
import {
  compilePolicies,
  evaluatePolicies,
  hasPolicies,
  type PolicyReport,
  type PolicyViolation,
} from '../policy/index.js';
import { offlinePlan } from '../policy/offline-plan.js';
import { generate } from './generate.js';
import { nodeFiles } from './node-files.js';
import { type EngineOptions, type ResolvedEngineOptions, resolveOptions } from './options.js';
import { opaFor, policyFilesFor } from './policy-files.js';
import { readSpecFile, type StackRun } from './stack-run.js';
import { type LoadedWorkspace, loadWorkspace } from './workspace.js';

export type { PolicyReport, PolicyViolation };

/**
 * Policy guardrails in the verbs (SPEC §15): evaluated after planning, at preview (reported), before apply
 * executes anything (a deny refuses with KUS8004), and by `kusion policy test` without a cluster.
 */

export interface PolicyEvaluation {
  readonly options: ResolvedEngineOptions;
  readonly workspace: LoadedWorkspace;
  /** `--workspace-file`: Rego files are read next to it instead of from the backend. */
  readonly workspaceFile?: string | undefined;
  /** Reads the Rego files stored with the workspace in the backend. */
  readonly readStored: () => Promise<WorkspacePolicyFiles>;
  readonly project: string;
  readonly stack: string;
  readonly spec: Spec;
  readonly plan: Plan;
  readonly signal?: AbortSignal;
}

/** Evaluates a workspace's policies against a plan; undefined when the workspace has none. */
export async function evaluateWorkspacePolicies(input: PolicyEvaluation): Promise<PolicyReport | undefined> {
  const { policies } = compilePolicies(input.workspace.workspace.document.policies ?? []);
  if (!hasPolicies(policies)) return undefined;
  const files =
    policies.rego.length > 0
      ? await policyFilesFor(input.options, input.workspace, {
          workspaceFile: input.workspaceFile,
          readStored: input.readStored,
        })
      : {};
  return evaluatePolicies(
    policies,
    {
      project: input.project,
      stack: input.stack,
      workspace: input.workspace.workspace.name,
      spec: input.spec,
      plan: input.plan,
    },
    {
      files,
      ...(policies.rego.length > 0 ? { rego: opaFor(input.options, input.workspace) } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
    },
  );
}

/** The evaluation inputs of an opened stack run. */
function evaluationOf(
  run: StackRun,
  plan: Plan,
  options: { readonly workspaceFile?: string | undefined; readonly signal?: AbortSignal | undefined },
): PolicyEvaluation {
  return {
    options: run.options,
    workspace: run.workspace,
    workspaceFile: options.workspaceFile,
    readStored: () => run.backend.workspaces.readPolicyFiles(run.workspace.workspace.name),
    project: run.stack.project.name,
    stack: run.stack.stack.name,
    spec: run.spec,
    plan,
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

/** Evaluates the run's workspace policies against a plan (preview: report only). */
export function evaluateRunPolicies(
  run: StackRun,
  plan: Plan,
  options: { readonly workspaceFile?: string | undefined; readonly signal?: AbortSignal | undefined } = {},
): Promise<PolicyReport | undefined> {
  return evaluateWorkspacePolicies(evaluationOf(run, plan, options));
}

/**
 * Evaluates and refuses (KUS8004) on any deny; returns the report (warnings) otherwise. For every verb that
 * executes a plan: apply, and later rollback and import.
 */
export async function enforceRunPolicies(
  run: StackRun,
  plan: Plan,
  options: { readonly workspaceFile?: string | undefined; readonly signal?: AbortSignal | undefined } = {},
): Promise<PolicyReport | undefined> {
  const report = await evaluateRunPolicies(run, plan, options);
  if (report?.denied) throw deniedByPolicy(report, 'apply');
  return report;
}

/** KUS8004 listing every deny violation, one diagnostic each (located at its resource). */
export function deniedByPolicy(report: PolicyReport, verb: string): KusionError {
  const denies = report.violations.filter((v) => v.severity === 'deny');
  const warns = report.violations.length - denies.length;
  const hint = 'fix the resources, or change the workspace policies (kusion policy test -f <workspace file>)';
  const diagnostics: Diagnostic[] = denies.map((v, index) => ({
    code: Codes.deniedByPolicy,
    severity: 'error',
    message: `policy ${v.name}: ${v.message}`,
    ...(v.id ? { location: v.id } : {}),
    ...(index === denies.length - 1 ? { hint } : {}),
  }));
  return new KusionError(
    Codes.deniedByPolicy,
    `${verb} refused: ${denies.length} policy violation${denies.length === 1 ? '' : 's'} deny it${warns > 0 ? ` (and ${warns} warning${warns === 1 ? '' : 's'})` : ''}; nothing was changed`,
    { diagnostics, hints: [hint] },
  );
}

export interface PolicyTestOptions extends EngineOptions {
  /** `-f`: the workspace file whose policies to test. */
  readonly file: string;
  /** The stack directory. @default cwd */
  readonly workdir?: string;
  /** `--spec-file`: test this spec instead of generating. */
  readonly specFile?: string;
  readonly args?: Readonly<Record<string, string>>;
}

export interface PolicyTestResult {
  readonly project: string;
  readonly stack: string;
  readonly workspace: string;
  /** Resources of the spec the policies were evaluated against. */
  readonly resources: number;
  /** Empty (no violation, nothing unmatched) when the workspace has no policies. */
  readonly report: PolicyReport;
  readonly warnings: readonly Diagnostic[];
}

/**
 * `kusion policy test -f <workspace file>`: the workspace's policies against the current stack's
 * generated spec (or `--spec-file`), without a cluster: every resource is planned as a Create.
 */
export async function policyTest(input: PolicyTestOptions): Promise<PolicyTestResult> {
  const options = resolveOptions(input);
  const workdir = resolve(options.cwd, input.workdir ?? '.');
  const stack = await locateStack(nodeFiles, {
    workdir,
    cwd: options.cwd,
    appConfigurationOptional: input.specFile !== undefined,
  });
  const workspace = await loadWorkspace(options, undefined, input.file);
  let spec: Spec;
  const warnings: Diagnostic[] = [...workspace.warnings];
  if (input.specFile) {
    const read = await readSpecFile(resolve(options.cwd, input.specFile), input.specFile);
    spec = read.spec;
    warnings.push(...read.warnings);
  } else {
    const generated = await generate({
      ...input,
      workdir,
      workspaceFile: input.file,
      ...(input.args ? { args: input.args } : {}),
    });
    spec = generated.spec;
    warnings.push(...generated.warnings);
  }
  const report = await evaluateWorkspacePolicies({
    options,
    workspace,
    workspaceFile: input.file,
    readStored: async () => ({}),
    project: stack.project.name,
    stack: stack.stack.name,
    spec,
    plan: offlinePlan(spec),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return {
    project: stack.project.name,
    stack: stack.stack.name,
    workspace: workspace.workspace.name,
    resources: spec.resources.length,
    report: report ?? { violations: [], unmatched: [], denied: false },
    warnings,
  };
}
