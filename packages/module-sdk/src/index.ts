export {
  type App,
  type Apps,
  args,
  callSites,
  defineApps,
  type ModuleUse,
  moduleBuilder,
} from './apps.js';
export {
  defineModule,
  isModuleDefinition,
  type ModuleDefinition,
  type ModuleSpec,
  moduleMarker,
  toJsonSchema,
} from './define-module.js';
export { ModuleInputError } from './errors.js';
export {
  accessoryInstanceName,
  appLabels,
  envName,
  NameRules,
  selectorLabels,
  uniqueAppName,
} from './naming.js';
export { derivedSecret, kusionPath, ReferencePrefix, removeSentinel } from './references.js';
export {
  Extensions,
  type KubernetesObject,
  type KubernetesResourceOptions,
  kubernetesId,
  kubernetesResource,
  type TerraformProvider,
  type TerraformResourceOptions,
  terraformName,
  terraformResource,
} from './resources.js';
export type {
  EnvVar,
  GenerateRequest,
  GenerateResult,
  InputSchema,
  JsonObject,
  JsonPatch,
  JsonValue,
  Patcher,
  Resource,
  ResourceType,
} from './types.js';
