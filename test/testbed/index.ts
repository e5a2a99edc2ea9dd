/**
 * The testbed's public surface for tests, the demo and benchmarks.
 */

export { type ApiTarget, request, requestOk } from './http.js';
export type { TestbedInfo } from './info.js';
export type { MirroredProvider, TestbedManifest } from './manifest.js';
export { cacheDir, loadManifest } from './manifest.js';
export type { SuiteNamespace } from './namespace.js';
export { apiTarget, createNamespace, deleteNamespace, randomSuffix, useNamespace } from './namespace.js';
export type { PrivateApiserver } from './private-apiserver.js';
export { startPrivateApiserver } from './private-apiserver.js';
export type { StartTestbedOptions, Testbed } from './testbed.js';
export { attachTestbed, startTestbed, stopLiveTestbed, stopTestbed } from './testbed.js';
export type { RunTofuOptions, TofuResult } from './tofu.js';
export { runTofu, tofuEnv } from './tofu.js';
