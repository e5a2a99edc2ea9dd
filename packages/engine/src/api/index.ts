/**
 * The engine's public facade: one function per verb, each taking an options object and returning a
 * result object. The CLI (and later the server) call nothing else.
 */
export { configGet, configList, configSet, configUnset } from './config.js';
export { formatSpec, type GenerateOptions, type GenerateResult, generate } from './generate.js';
export { listModules, type ModuleListEntry } from './modules.js';
export type { EngineOptions } from './options.js';
export {
  createWorkspace,
  deleteWorkspace,
  listWorkspaces,
  showWorkspace,
  switchWorkspace,
  type WorkspaceListResult,
  type WorkspaceShowResult,
  type WorkspaceUpdateOptions,
  type WorkspaceWriteOptions,
  type WorkspaceWriteResult,
  updateWorkspace,
} from './workspace.js';
export { type Code, Codes, type Diagnostic, isKusionError, KusionError, toKusionError } from '../errors/index.js';
export type { KusionConfig } from '../config/index.js';
export type { JsonObject, JsonValue, Resource, Spec } from '../model/index.js';
