import { createRequire } from 'node:module';

// Formatting libraries load on first use, so `kusion --help` and `kusion --version` stay fast.
const require = createRequire(import.meta.url);

/** YAML text of a value. */
export function toYaml(value: unknown): string {
  const { stringify } = require('yaml') as typeof import('yaml');
  return stringify(value);
}
