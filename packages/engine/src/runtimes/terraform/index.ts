export { TerraformRuntime, type TerraformRuntimeOptions } from './runtime.js';
