import { readFileSync } from 'node:fs';
import type { Command } from '@commander-js/extra-typings';
import type { GlobalFlags } from '../context.js';

/** The CLI's own package version (package.json is two levels up from dist/commands/ and dist/bundle/). */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** What `kusion version` prints; main.ts answers a bare `kusion version` with it before loading commander. */
export function versionText(json: boolean): string {
  const info = {
    version: cliVersion(),
    commit: process.env['KUSION_BUILD_COMMIT'] ?? 'unknown',
    buildDate: process.env['KUSION_BUILD_DATE'] ?? 'unknown',
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
  };
  return json
    ? `${JSON.stringify(info, null, 2)}\n`
    : `kusion ${info.version} (node ${info.node}, ${info.platform})\n`;
}

export function registerVersion(program: Command): void {
  program
    .command('version')
    .description('Print version information')
    .action((_options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      process.stdout.write(versionText(flags.output === 'json'));
    });
}
