import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { afterEach, describe, expect, it } from 'vitest';
import { forgetCompiledValidators, useValidatorCache, validateWithSchema } from './schema-validation.js';
import { parseYaml } from './source-document.js';

const require = createRequire(import.meta.url);

function memoryCache() {
  const code = new Map<string, string>();
  let loads = 0;
  return {
    code,
    loads: () => loads,
    load(key: string): ValidateFunction | undefined {
      const text = code.get(key);
      if (!text) return undefined;
      loads += 1;
      const module: { exports: unknown } = { exports: {} };
      new Function('require', 'module', 'exports', text)(require, module, module.exports);
      return module.exports as ValidateFunction;
    },
    store(key: string, text: string) {
      code.set(key, text);
    },
  };
}

afterEach(() => useValidatorCache(undefined));

describe('validator cache', () => {
  it('stores compiled validators and later validates through the stored code with defaults and errors intact', () => {
    const cache = memoryCache();
    useValidatorCache(cache);
    const schema = () => ({
      type: 'object',
      additionalProperties: false,
      properties: { replicas: { type: 'integer', default: 1 }, image: { type: 'string' } },
    });
    const doc = parseYaml('imgae: x\n', 'main.yaml').document;
    const first = validateWithSchema(doc, schema(), 'KUS3001', 'web');
    expect(cache.code.size).toBe(1);
    // As in a new process: an equal schema object finds the stored code instead of compiling.
    forgetCompiledValidators();
    const viaCache = validateWithSchema(
      parseYaml('image: x\n', 'main.yaml').document,
      schema(),
      'KUS3001',
      'web',
    );
    expect(cache.loads()).toBe(1);
    expect(first.diagnostics[0]).toMatchObject({
      message: 'web: unknown field "imgae"',
      hint: 'did you mean "image"?',
    });
    expect(viaCache).toEqual({ value: { image: 'x', replicas: 1 }, diagnostics: [] });
  });
});
