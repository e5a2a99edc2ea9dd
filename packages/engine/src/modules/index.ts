export { type CheckedResult, checkGenerateResult, isWorkloadMarked } from './contract/index.js';
export type { LoadedModule, ModuleOrigin, ModuleProvider } from './port.js';
