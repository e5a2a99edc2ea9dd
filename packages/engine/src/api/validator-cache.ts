import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { useValidatorCache } from '../config/index.js';

const require = createRequire(import.meta.url);

/**
 * Keeps compiled schema validators in `$KUSION_HOME/cache/validators/<digest>.cjs`. The code is Ajv's own
 * standalone output; it is evaluated with this package's `require`, so its runtime helpers resolve here.
 * Synchronous on purpose: validation is synchronous and the files are small.
 */
export function installValidatorCache(home: string): void {
  const dir = join(home, 'cache', 'validators');
  useValidatorCache({
    load(key) {
      let code: string;
      try {
        code = readFileSync(join(dir, `${key}.cjs`), 'utf8');
      } catch {
        return undefined;
      }
      const module: { exports: unknown } = { exports: {} };
      try {
        new Function('require', 'module', 'exports', code)(require, module, module.exports);
      } catch {
        return undefined;
      }
      return typeof module.exports === 'function' ? (module.exports as ValidateFunction) : undefined;
    },
    store(key, code) {
      try {
        mkdirSync(dir, { recursive: true });
        const temp = join(dir, `${key}.${process.pid}.tmp`);
        writeFileSync(temp, code);
        renameSync(temp, join(dir, `${key}.cjs`));
      } catch {
        // A cache that cannot be written only costs speed.
      }
    },
  });
}
