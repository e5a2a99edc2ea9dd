import { isDeepStrictEqual } from 'node:util';
import type { ModuleDefinition } from '../define-module.js';
import type { GenerateRequest, GenerateResult, JsonObject } from '../types.js';

/** A failed module test assertion. */
export class ModuleTestError extends Error {
  override readonly name = 'ModuleTestError';
}

/** Builds a generate request with sensible defaults, for module unit tests. */
export function testRequest<Inputs = JsonObject, Platform = JsonObject>(
  overrides: Partial<GenerateRequest<Inputs, Platform>> & { inputs: Inputs },
): GenerateRequest<Inputs, Platform> {
  return {
    apiVersion: 'kusion.io/module/v1',
    project: 'shop',
    stack: 'prod',
    app: 'web',
    workspace: 'dev',
    namespace: 'shop',
    role: 'workload',
    accessory: null,
    workload: { module: 'service' },
    platform: {} as Platform,
    context: {},
    secretStore: null,
    readFile: (path: string) => {
      throw new ModuleTestError(`readFile(${path}) is not available in this test request`);
    },
    ...overrides,
  };
}

/** Runs generate twice on the same request and fails unless both results are deeply equal. */
export async function assertDeterministic<Inputs, Platform>(
  module: ModuleDefinition<Inputs, Platform>,
  request: GenerateRequest<Inputs, Platform>,
): Promise<GenerateResult> {
  const copy = (): GenerateRequest<Inputs, Platform> => ({
    ...structuredClone({ ...request, readFile: null }),
    readFile: request.readFile,
  });
  const first = await module.generate(copy());
  const second = await module.generate(copy());
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(first)), JSON.parse(JSON.stringify(second)))) {
    throw new ModuleTestError(
      `module ${module.name}@${module.version} is not deterministic: two runs differ`,
    );
  }
  return first;
}
