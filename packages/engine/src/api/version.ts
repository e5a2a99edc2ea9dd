import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The engine's package version: recorded in releases and used for scaffolded dependencies. */
export function kusionVersion(): string {
  cached ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return cached;
}
