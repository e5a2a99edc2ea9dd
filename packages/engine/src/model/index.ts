export {
  type CelPolicy,
  CelPolicySchema,
  type PackPolicy,
  PackPolicySchema,
  type PolicyEntry,
  PolicyEntrySchema,
  type PolicySeverity,
  policyNamePattern,
  type RegoPolicy,
  RegoPolicySchema,
  type WorkspacePolicyFiles,
} from './policy.js';
export {
  type Extension,
  namePattern,
  type ProjectFile,
  ProjectFileSchema,
  type StackContext,
} from './project.js';
export { type Release, type ReleasePhase, ReleaseSchema, releasePhases, SpecSchema } from './release.js';
export type {
  JsonObject,
  JsonValue,
  OutputValue,
  ResolvedModules,
  Resource,
  ResourceType,
  Spec,
} from './spec.js';
export {
  type ModuleBlock,
  moduleNamePattern,
  type Workspace,
  type WorkspaceDocument,
  WorkspaceSchema,
} from './workspace.js';
