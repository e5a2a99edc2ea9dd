export {
  type AppConfiguration,
  type AppEntry,
  interpolateArgs,
  type ModuleUseEntry,
  readAppConfiguration,
} from './app-configuration.js';
export {
  type BackendSettings,
  type BackendType,
  backendTypes,
  getConfigValue,
  type KusionConfig,
  maskedConfig,
  parseConfigValue,
  selectBackend,
  setConfigValue,
  unsetConfigValue,
} from './backend-config.js';
export type { DirectoryEntry, FileReader } from './file-reader.js';
export { formatModuleSource, type ModuleSource, parseModuleSource } from './module-source.js';
export { coreConfigKeys, deepMerge, type PlatformInputs, resolvePlatformInputs } from './platform-inputs.js';
export { parseProjectFile } from './project-file.js';
export {
  type SchemaValidationResult,
  useValidatorCache,
  type ValidatorCache,
  validateWithSchema,
} from './schema-validation.js';
export {
  documentFromPositions,
  formatPath,
  type PathSegment,
  parseYaml,
  type SourceDocument,
  subDocument,
} from './source-document.js';
export { checkUniqueStackNames, type LocateStackOptions, locateStack } from './stack-locator.js';
export { type ParsedWorkspace, type ParseWorkspaceOptions, parseWorkspace } from './workspace.js';
