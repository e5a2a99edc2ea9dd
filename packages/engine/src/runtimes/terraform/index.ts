export { addressOf, unitConfig } from './config.js';
export { TerraformRuntime, type TerraformRuntimeOptions } from './runtime.js';
