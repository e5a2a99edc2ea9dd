export { type Code, Codes, defaultHints } from './codes.js';
export {
  type Diagnostic,
  diagnostic,
  type ErrorSource,
  isKusionError,
  KusionError,
  type KusionErrorOptions,
  throwIfErrors,
  toKusionError,
} from './kusion-error.js';
export { closestMatch } from './suggest.js';
