export { checkModuleIdentity } from './identity.js';
export { type CheckedResult, checkGenerateResult, isWorkloadMarked, type ResultContext } from './result.js';
