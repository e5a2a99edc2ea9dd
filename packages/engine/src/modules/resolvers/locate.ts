import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
// Single functions: `semver`'s index loads the whole library.
import satisfies from 'semver/functions/satisfies.js';
import valid from 'semver/functions/valid.js';
import maxSatisfying from 'semver/ranges/max-satisfying.js';
import { formatModuleSource, type ModuleSource } from '../../config/index.js';
import { Codes, KusionError } from '../../errors/index.js';
import type { ModuleBlock } from '../../model/index.js';
import type { ModuleOrigin } from '../port.js';

/** Where a module's code is: a JavaScript/TypeScript entry to import, or a command to execute. */
export type ModuleLocation =
  | {
      readonly kind: 'entry';
      readonly url: string;
      readonly origin: ModuleOrigin;
      readonly source: string;
      readonly integrity?: string;
      /** npm origins: a directory URL from which the package name resolves to this installed copy. */
      readonly packageBase?: string;
    }
  | {
      readonly kind: 'exec';
      readonly command: string;
      readonly args: readonly string[];
      readonly origin: 'exec';
      readonly source: string;
    };

export interface LocateContext {
  readonly projectDir: string;
  readonly stackDir: string;
  /** Directory holding one folder per built-in module (`<name>/index.js`). */
  readonly catalogDir: string;
  readonly kusionHome: string;
  /** Where messages say the module was declared, e.g. `workspace dev:4:3`. */
  readonly declaredAt: string;
}

/** Resolves a module declaration to its code, without network access (SPEC §4.1). */
export function locateModule(
  name: string,
  source: ModuleSource,
  block: ModuleBlock | undefined,
  ctx: LocateContext,
): ModuleLocation {
  const sourceText = formatModuleSource(source);
  switch (source.kind) {
    case 'builtin': {
      const entry = join(ctx.catalogDir, name, 'index.js');
      if (!existsSync(entry)) {
        throw new KusionError(Codes.moduleUnknown, `"${name}" is not a built-in module`, {
          location: ctx.declaredAt,
          hints: [`built-in modules: ${listBuiltins(ctx.catalogDir).join(', ')}`],
        });
      }
      return { kind: 'entry', url: pathToFileURL(entry).href, origin: 'builtin', source: sourceText };
    }
    case 'path': {
      const dir = isAbsolute(source.path) ? source.path : resolve(ctx.projectDir, source.path);
      return {
        kind: 'entry',
        url: pathToFileURL(packageEntry(dir, name, ctx)).href,
        origin: 'path',
        source: sourceText,
      };
    }
    case 'npm':
      return locateNpm(name, source.packageName, block?.version ?? '*', ctx);
    case 'exec': {
      const command =
        source.command.includes('/') && !isAbsolute(source.command)
          ? resolve(ctx.projectDir, source.command)
          : source.command;
      return { kind: 'exec', command, args: source.args, origin: 'exec', source: sourceText };
    }
  }
}

export function listBuiltins(catalogDir: string): string[] {
  if (!existsSync(catalogDir)) return [];
  return readdirSync(catalogDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(catalogDir, e.name, 'index.js')))
    .map((e) => e.name)
    .sort();
}

interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  exports?: unknown;
}

function readPackageJson(dir: string): PackageJson | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
}

/** The entry file of a module package: `exports["."]` (import/default), `main`, or `index.{js,ts}`. */
function packageEntry(dir: string, name: string, ctx: LocateContext): string {
  const pkg = readPackageJson(dir);
  const exported = pkg?.exports;
  const dot =
    typeof exported === 'string' ? exported : (exported as Record<string, unknown> | undefined)?.['.'];
  const conditional =
    typeof dot === 'object' && dot !== null
      ? ((dot as Record<string, unknown>)['import'] ?? (dot as Record<string, unknown>)['default'])
      : dot;
  const candidates = [
    typeof conditional === 'string' ? conditional : undefined,
    pkg?.main,
    'index.ts',
    'index.js',
    'src/index.ts',
  ].filter((c): c is string => typeof c === 'string');
  for (const candidate of candidates) {
    const file = resolve(dir, candidate);
    if (existsSync(file)) return file;
  }
  throw new KusionError(Codes.moduleNotInstalled, `module "${name}": no module entry found in ${dir}`, {
    location: ctx.declaredAt,
    hints: [
      'the directory needs a package.json whose "exports" or "main" names the entry, or an index.ts / index.js',
    ],
  });
}

function locateNpm(name: string, packageName: string, range: string, ctx: LocateContext): ModuleLocation {
  const source = `npm:${packageName}`;
  for (let dir = ctx.stackDir; ; dir = dirname(dir)) {
    const installed = join(dir, 'node_modules', packageName);
    const pkg = readPackageJson(installed);
    if (pkg?.version && satisfies(pkg.version, range)) {
      return {
        kind: 'entry',
        url: pathToFileURL(packageEntry(installed, name, ctx)).href,
        origin: 'node_modules',
        source,
        packageBase: directoryUrl(dir),
      };
    }
    if (dirname(dir) === dir) break;
  }
  const cacheDir = npmCacheDir(ctx.kusionHome, packageName);
  const versions = existsSync(cacheDir) ? readdirSync(cacheDir).filter((v) => valid(v)) : [];
  const best = maxSatisfying(versions, range);
  if (best) {
    const installed = join(cacheDir, best, 'node_modules', packageName);
    return {
      kind: 'entry',
      url: pathToFileURL(packageEntry(installed, name, ctx)).href,
      origin: 'cache',
      source,
      packageBase: directoryUrl(join(cacheDir, best)),
    };
  }
  throw new KusionError(
    Codes.moduleNotInstalled,
    `module "${name}" (${packageName}@${range}) is not installed`,
    {
      location: ctx.declaredAt,
      hints: [`run \`kusion mod pull\` to install it into ${cacheDir}`],
    },
  );
}

function directoryUrl(dir: string): string {
  return pathToFileURL(join(dir, '/')).href;
}

/** `$KUSION_HOME/modules/npm/<package>`: one folder per installed version. */
export function npmCacheDir(kusionHome: string, packageName: string): string {
  return join(kusionHome, 'modules', 'npm', packageName);
}
