/**
 * The engine's public facade: one function per verb, each taking an options object and returning a
 * result object. The CLI (and later the server) call nothing else.
 */

export type { KusionConfig } from '../config/index.js';
export type { ResourceEvent, ResourceOutcome, ResourceStatus } from '../engine/execute/executor.js';
export type { GraphEdge, GraphNode, ResourceGraphView } from '../engine/graph/index.js';
export type { DiffEntry } from '../engine/plan/diff.js';
export type { Plan, PlannedChange, PlanSummary } from '../engine/plan/plan.js';
export {
  type Code,
  Codes,
  type Diagnostic,
  isKusionError,
  KusionError,
  toKusionError,
} from '../errors/index.js';
export type { JsonObject, JsonValue, Resource, Spec } from '../model/index.js';
export { configGet, configList, configSet, configUnset } from './config.js';
export {
  type DriftEntry,
  type DriftOptions,
  type DriftResult,
  type DriftStatus,
  drift,
  type ResourceDrift,
} from './drift.js';
export { formatSpec, type GenerateOptions, type GenerateResult, generate } from './generate.js';
export { type ImportContext, type ImportOptions, type ImportResult, importResource } from './import.js';
export { maskOutput, maskOutputValue } from './masking.js';
export {
  addModule,
  listModules,
  type ModuleAddOptions,
  type ModuleListEntry,
  type ModulePullResult,
  pullModules,
} from './modules.js';
export type { EngineOptions } from './options.js';
export { previewDocument } from './plan-context.js';
export {
  deniedByPolicy,
  enforceRunPolicies,
  evaluateRunPolicies,
  type PolicyReport,
  type PolicyTestOptions,
  type PolicyTestResult,
  type PolicyViolation,
  policyTest,
} from './policy.js';
export {
  exportReleases,
  formatReleaseHistory,
  importReleases,
  type ReleaseHistory,
  type ReleaseImportResult,
  type ReleaseTransferOptions,
} from './release-transfer.js';
export { listReleases, type ReleaseQueryOptions, showRelease, unlockRelease } from './releases.js';
export { type ResourceGraphOptions, resourceGraph, showResource, toDot, toMermaid } from './resources.js';
export {
  type DataLossRisk,
  type RollbackContext,
  type RollbackOptions,
  type RollbackResult,
  rollback,
} from './rollback.js';
export type { PlanFile } from './saved-plan.js';
export {
  type CreateStackOptions,
  createProject,
  createStack,
  type InitOptions,
  init,
  initModule,
  listTemplates,
  type ModuleInitOptions,
  type ScaffoldResult,
} from './scaffold.js';
export {
  type ApplyOptions,
  type ApplyResult,
  apply,
  destroy,
  type PlanContext,
  type PreviewOptions,
  type PreviewResult,
  preview,
} from './stack-operations.js';
export type { StackRunOptions } from './stack-run.js';
export { kusionVersion } from './version.js';
export {
  createWorkspace,
  deleteWorkspace,
  listWorkspaces,
  showWorkspace,
  switchWorkspace,
  updateWorkspace,
  type WorkspaceListResult,
  type WorkspaceShowResult,
  type WorkspaceUpdateOptions,
  type WorkspaceWriteOptions,
  type WorkspaceWriteResult,
} from './workspace.js';
