/** Secrets (SPEC §14): stores, `ref://` resolution, encryption at rest and the one masker. */
export { decrypt, type EncryptedValue, encrypt, isEncryptedValue, keyId } from './cipher.js';
export { Masker, maskPlaceholder, outputMasker } from './masker.js';
export { isSecretRef, parseSecretRef, type SecretRef, secretRefPrefix } from './reference.js';
export {
  type ResolvedSecrets,
  type ResolveResourceSecrets,
  referencePaths,
  resolveContext,
  resolveSecretReferences,
  resourceSecretResolver,
  type SecretResolveContext,
} from './resolve.js';
export {
  digestView,
  hideSealedValues,
  sealResource,
  sealSpec,
  sensitiveContextKey,
  sensitiveExtension,
  sensitivePathsOf,
  underRoots,
  unsealResource,
  unsealSpec,
  unsealValue,
} from './seal.js';
export { sealedJournal, sealedReleaseStore, sealRelease, unsealRelease } from './sealed-store.js';
export { openSecretStore, type SecretStore, type SecretStoreDeps } from './stores/index.js';
