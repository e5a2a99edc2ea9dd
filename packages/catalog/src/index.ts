/**
 * Typed builders of the built-in modules, for `main.ts` (SPEC §3.4). Each returns `{module, ...inputs}`
 * and records its call site. Only types come from the module folders, so importing this file loads no
 * module code: the engine loads each module from `dist/<name>/index.js` like any third-party module.
 */
import { moduleBuilder } from '@kusion/module-sdk';
import type { JobInput } from './job/schema.js';
import type { K8sManifestInput } from './k8s-manifest/schema.js';
import type { MonitoringInput } from './monitoring/schema.js';
import type { MysqlInput } from './mysql/schema.js';
import type { NetworkInput } from './network/schema.js';
import type { PostgresInput } from './postgres/schema.js';
import type { RedisInput } from './redis/schema.js';
import type { ServiceInput } from './service/schema.js';

export type { JobInput, JobPlatform } from './job/schema.js';
export type { K8sManifestInput, K8sManifestPlatform } from './k8s-manifest/schema.js';
export type { MonitoringInput, MonitoringPlatform } from './monitoring/schema.js';
export type { MysqlInput, MysqlPlatform } from './mysql/schema.js';
export type { NetworkInput, NetworkPlatform } from './network/schema.js';
export type { PostgresInput, PostgresPlatform } from './postgres/schema.js';
export type { RedisInput, RedisPlatform } from './redis/schema.js';
export type { ServiceInput, ServicePlatform } from './service/schema.js';
export { catalogVersion } from './version.js';

/** Names of the built-in modules: the folders holding them, sorted. */
export const builtinModuleNames = [
  'job',
  'k8s-manifest',
  'monitoring',
  'mysql',
  'network',
  'postgres',
  'redis',
  'service',
] as const;

/** A built-in module name. */
export type BuiltinModuleName = (typeof builtinModuleNames)[number];

/** `service` workload: a Deployment with its containers. */
export const service = moduleBuilder<ServiceInput>('service');
/** `job` workload: a Job, or a CronJob with `schedule`. */
export const job = moduleBuilder<JobInput>('job');
/** `network` accessory: private and public Services, optional Ingress. */
export const network = moduleBuilder<NetworkInput>('network');
/** `postgres` accessory: a PostgreSQL database, local or on AWS. */
export const postgres = moduleBuilder<PostgresInput>('postgres');
/** `mysql` accessory: a MySQL database, local or on AWS. */
export const mysql = moduleBuilder<MysqlInput>('mysql');
/** `redis` accessory: a Redis server in the cluster. */
export const redis = moduleBuilder<RedisInput>('redis');
/** `monitoring` accessory: Prometheus scraping. */
export const monitoring = moduleBuilder<MonitoringInput>('monitoring');
/** `k8s-manifest` accessory: raw Kubernetes manifests. */
export const k8sManifest = moduleBuilder<K8sManifestInput>('k8s-manifest');
