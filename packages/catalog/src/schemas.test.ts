import type { GenerateResult, ModuleDefinition } from '@kusion/module-sdk';
import { testRequest } from '@kusion/module-sdk/testing';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import job from './job/index.js';
import { JobInput, JobPlatform } from './job/schema.js';
import k8sManifest from './k8s-manifest/index.js';
import { K8sManifestInput, K8sManifestPlatform } from './k8s-manifest/schema.js';
import monitoring from './monitoring/index.js';
import { MonitoringInput, MonitoringPlatform } from './monitoring/schema.js';
import mysql from './mysql/index.js';
import { MysqlInput, MysqlPlatform } from './mysql/schema.js';
import network from './network/index.js';
import { NetworkInput, NetworkPlatform } from './network/schema.js';
import postgres from './postgres/index.js';
import { PostgresInput, PostgresPlatform } from './postgres/schema.js';
import redis from './redis/index.js';
import { RedisInput, RedisPlatform } from './redis/schema.js';
import service from './service/index.js';
import { ServiceInput, ServicePlatform } from './service/schema.js';

/**
 * The engine validates inputs against the JSON Schema form of each module's schemas with ajv, applying
 * defaults (SPEC §5.1). These tests run the same path, with the engine's ajv options.
 */
const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: false, allowUnionTypes: true });

interface Case {
  /** Test label when a module has several cases; defaults to the module name. */
  readonly label?: string;
  readonly module: ModuleDefinition<never, never>;
  readonly developer: z.ZodType;
  readonly platform: z.ZodType;
  /** Realistic inputs as a user writes them, relying on defaults. */
  readonly inputs: Record<string, unknown>;
  readonly platformInputs: Record<string, unknown>;
  /** A nested key that does not exist, to prove unknown keys are refused below the top level too. */
  readonly typo: Record<string, unknown>;
}

const cases: readonly Case[] = [
  {
    module: service as ModuleDefinition<never, never>,
    developer: ServiceInput,
    platform: ServicePlatform,
    inputs: {
      containers: {
        main: {
          image: 'ghcr.io/acme/web:1.4.2',
          env: { PORT: 8080, TOKEN: 'secret://api/token' },
          resources: { cpu: '250m-500m', memory: '512Mi' },
          files: { '/etc/app/app.conf': { content: 'x' } },
          readinessProbe: { http: { url: 'http://localhost:8080/healthz' } },
        },
      },
      secrets: { api: { type: 'token' } },
    },
    platformInputs: { labels: { env: 'prod' } },
    typo: { containers: { main: { image: 'x:1', imagePullPolicy: 'Always' } } },
  },
  {
    module: job as ModuleDefinition<never, never>,
    developer: JobInput,
    platform: JobPlatform,
    inputs: { containers: { main: { image: 'busybox:1.36', command: ['true'] } }, schedule: '*/5 * * * *' },
    platformInputs: {},
    typo: {
      containers: {
        main: { image: 'x:1', livenessProbe: { exec: { command: ['a'] }, http: { url: 'http://x' } } },
      },
    },
  },
  {
    module: network as ModuleDefinition<never, never>,
    developer: NetworkInput,
    platform: NetworkPlatform,
    inputs: {
      ports: [{ port: 80, targetPort: 8080 }, { public: true }],
      ingress: { rules: [{ http: { paths: [{ backend: {} }] } }] },
    },
    platformInputs: { port: { type: 'aws' } },
    typo: { ports: [{ port: 80, expose: true }] },
  },
  {
    module: postgres as ModuleDefinition<never, never>,
    developer: PostgresInput,
    platform: PostgresPlatform,
    inputs: { type: 'cloud', version: '16' },
    platformInputs: { cloud: 'aws', region: 'eu-west-1', securityIPs: ['10.0.0.0/8'] },
    typo: { type: 'local', version: '16', engine: 'pg' },
  },
  {
    label: 'postgres (cloud: offline)',
    module: postgres as ModuleDefinition<never, never>,
    developer: PostgresInput,
    platform: PostgresPlatform,
    inputs: { type: 'cloud', version: '16' },
    platformInputs: { cloud: 'offline', providerVersions: { kusiontest: '0.1.0' } },
    typo: { type: 'cloud', version: '16', cloud: 'offline' },
  },
  {
    label: 'mysql (cloud: offline)',
    module: mysql as ModuleDefinition<never, never>,
    developer: MysqlInput,
    platform: MysqlPlatform,
    inputs: { type: 'cloud', version: '8.0' },
    platformInputs: { cloud: 'offline', username: 'shop' },
    typo: { type: 'offline', version: '8.0' },
  },
  {
    module: mysql as ModuleDefinition<never, never>,
    developer: MysqlInput,
    platform: MysqlPlatform,
    inputs: { type: 'local', version: '8.0' },
    platformInputs: { providerVersions: { aws: '5.0.1' } },
    typo: { type: 'local' },
  },
  {
    module: redis as ModuleDefinition<never, never>,
    developer: RedisInput,
    platform: RedisPlatform,
    inputs: {},
    platformInputs: {},
    typo: { version: '7', persistence: true },
  },
  {
    module: monitoring as ModuleDefinition<never, never>,
    developer: MonitoringInput,
    platform: MonitoringPlatform,
    inputs: { port: 'metrics' },
    platformInputs: { operatorMode: true },
    typo: { port: 'this-name-is-too-long-for-a-port' },
  },
  {
    module: k8sManifest as ModuleDefinition<never, never>,
    developer: K8sManifestInput,
    platform: K8sManifestPlatform,
    inputs: {},
    platformInputs: {},
    typo: { path: ['a.yaml'] },
  },
];

/** Applies the JSON Schema defaults the way the engine does, failing on invalid input. */
function engineView(schema: object, value: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(value);
  const validate = ajv.compile(schema);
  if (!validate(copy)) throw new Error(ajv.errorsText(validate.errors));
  return copy;
}

/** Every object or array reachable from the value, failing when one is reached twice. */
function assertNoSharedObjects(value: unknown, seen = new Set<object>(), path = '$'): void {
  if (typeof value !== 'object' || value === null) return;
  if (seen.has(value)) throw new Error(`${path} is shared with another place of the result`);
  seen.add(value);
  for (const [key, child] of Object.entries(value)) assertNoSharedObjects(child, seen, `${path}.${key}`);
}

describe.each(cases.map((c) => [c.label ?? c.module.name, c] as const))('%s schemas', (_name, c) => {
  it('accept realistic input and apply the same defaults as the zod schema', () => {
    expect(engineView(c.module.developerJsonSchema, c.inputs)).toEqual(c.developer.parse(c.inputs));
    expect(engineView(c.module.platformJsonSchema, c.platformInputs)).toEqual(
      c.platform.parse(c.platformInputs),
    );
  });

  it('refuse unknown and malformed keys, also nested ones', () => {
    const validate = ajv.compile(c.module.developerJsonSchema);
    expect(validate(structuredClone({ ...c.inputs, unknownKey: 1 }))).toBe(false);
    expect(validate(structuredClone(c.typo))).toBe(false);
    expect(
      ajv.compile(c.module.platformJsonSchema)(structuredClone({ ...c.platformInputs, unknownKey: 1 })),
    ).toBe(false);
  });

  it('describe every top-level field, for the generated docs', () => {
    for (const schema of [c.module.developerJsonSchema, c.module.platformJsonSchema]) {
      const properties = (schema['properties'] ?? {}) as Record<string, { description?: string }>;
      for (const [key, property] of Object.entries(properties)) {
        expect(property.description, `${c.module.name}.${key}`).toEqual(expect.any(String));
      }
    }
  });

  it('generate from the engine view of the inputs without sharing objects in the result', async () => {
    const readFile = () => '';
    const request = testRequest<never, never>({
      role: c.module.name === 'service' || c.module.name === 'job' ? 'workload' : 'accessory',
      accessory: c.module.name === 'service' || c.module.name === 'job' ? null : c.module.name,
      inputs: engineView(c.module.developerJsonSchema, c.inputs) as never,
      platform: engineView(c.module.platformJsonSchema, c.platformInputs) as never,
      readFile,
    });
    const result: GenerateResult = await c.module.generate(request);
    expect(() => assertNoSharedObjects(result)).not.toThrow();
  });
});
