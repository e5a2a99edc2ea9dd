/**
 * Bundles the built CLI with esbuild into packages/cli/dist/bundle/ (`npm run build` runs it after
 * `tsc -b`): the CLI (with the engine, commander and their dependencies), the module worker and the
 * built-in modules, as one file per entry plus shared chunks. Code is split at dynamic imports, so commands
 * still load the engine only when they need it. Loading a few files instead of ~500 modules is most of
 * the CLI's start-up (bench/README.md).
 *
 * - Inside the bundle, `import.meta.url` of engine, catalog and SDK code still names the original file,
 *   so relative reads (package.json, golden files) and `createRequire` resolve as before, in the monorepo
 *   and in an npm install. A `new URL('./x.js', import.meta.url)` naming another entry of the bundle (the
 *   module worker) is left as it is: that entry is emitted next to it.
 * - The built-in modules go to `bundle/catalog/<name>/index.js`, the layout the engine's loader expects;
 *   the CLI passes that directory as the catalog when it runs from the bundle (cli/src/context.ts).
 * - main.ts runs the bundle only while `bundle/stamp.json` matches the tsbuildinfo files of the packages
 *   in it, so a later plain `tsc -b` never leaves a stale bundle in use (cli/src/entry.ts).
 */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { builtinModuleNames } from '../packages/catalog/src/index.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const cliDir = join(root, 'packages/cli');
const outdir = join(cliDir, 'dist/bundle');
const dist = (pkg: string, file: string) => join(root, 'packages', pkg, 'dist', file);

/** Output name (without .js) → built file. Chunks land next to them in `outdir`. */
const entryPoints: Record<string, string> = {
  cli: dist('cli', 'cli.js'),
  worker: dist('engine', 'modules/loader/worker.js'),
  ...Object.fromEntries(
    builtinModuleNames.map((name) => [`catalog/${name}/index`, dist('catalog', `${name}/index.js`)]),
  ),
};

/**
 * Left out of the bundle, so they must be dependencies of the CLI package too: large ones the engine loads
 * on first use (not needed by generate or start-up), and CommonJS that locates itself (`__filename`).
 */
const external = ['@aws-sdk/*', 'pg', 'write-file-atomic'];

interface WorkspacePackage {
  readonly dir: string;
  readonly name: string;
  /** The file `import.meta.resolve(name)` gives (the `exports["."]` entry). */
  readonly entry: string;
}

function workspacePackage(file: string): WorkspacePackage | undefined {
  const [top, name, sub] = relative(root, file).split(sep);
  if (top !== 'packages' || sub !== 'dist' || name === undefined) return undefined;
  const dir = join(root, 'packages', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { default: string }>;
  };
  const dot = pkg.exports['.'];
  return { dir, name: pkg.name, entry: join(dir, typeof dot === 'string' ? dot : (dot?.default ?? '')) };
}

const posix = (path: string) => path.split(sep).join('/');

/** A JavaScript expression, valid inside the bundle, for the URL the original file had. */
function originalUrl(file: string, pkg: WorkspacePackage): string {
  // Another package may sit anywhere in node_modules: go through its resolved entry.
  const fromEntry = posix(relative(dirname(pkg.entry), file));
  return `new URL(${JSON.stringify(fromEntry.startsWith('.') ? fromEntry : `./${fromEntry}`)}, import.meta.resolve(${JSON.stringify(pkg.name)})).href`;
}

const siblingEntry = /new URL\((['"])(\.\/[^'"]+)\1, import\.meta\.url\)/g;

/** Rewrites `import.meta.url` of engine, catalog and SDK files, keeping references to sibling entries. */
const keepFileUrls: Plugin = {
  name: 'keep-file-urls',
  setup(context) {
    const entryFiles = new Map(Object.entries(entryPoints).map(([name, file]) => [file, name]));
    context.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]dist[\\/].*\.js$/ }, (args) => {
      const pkg = workspacePackage(args.path);
      const source = readFileSync(args.path, 'utf8');
      if (!pkg || pkg.dir === cliDir || !source.includes('import.meta.url')) return undefined;
      const kept: string[] = [];
      const marked = source.replace(siblingEntry, (whole, _quote: string, path: string) => {
        const entry = entryFiles.get(resolve(dirname(args.path), path));
        if (entry === undefined) return whole;
        if (`./${entry}.js` !== path)
          throw new Error(`${args.path}: entry ${path} must be emitted as ${entry}.js`);
        kept.push(whole);
        return `\0kept${kept.length - 1}\0`;
      });
      const contents = marked
        .replaceAll('import.meta.url', originalUrl(args.path, pkg))
        .replace(/\0kept(\d+)\0/g, (_whole, index: string) => kept[Number(index)] ?? '');
      return { contents, loader: 'js' };
    });
  },
};

/**
 * zod re-exports every locale (`z.locales`, `z.core.locales`: half of its code) through namespace exports
 * that no bundler can drop. Our packages only use the English messages zod installs itself.
 */
const englishOnly: Plugin = {
  name: 'zod-english-only',
  setup(context) {
    context.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: args.importer, namespace: 'zod-locales' } : undefined,
    );
    context.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: "export { default as en } from '../locales/en.js';",
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  metafile: true,
  logLevel: 'warning',
  plugins: [keepFileUrls, englishOnly],
  // Bundled CommonJS (yaml, semver, …) requires Node built-ins.
  banner: {
    js: "import { createRequire as __kusionCreateRequire } from 'node:module'; const require = __kusionCreateRequire(import.meta.url);",
  },
});

// Third-party code that locates itself would break once bundled (comments are no use of it).
const selfLocating = /\b(__filename|__dirname)\b|\bimport\.meta\.url\b/;
for (const input of Object.keys(result.metafile.inputs)) {
  if (!input.includes('node_modules') || input.startsWith('zod-locales:')) continue;
  const code = readFileSync(join(root, input), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  if (selfLocating.test(code))
    throw new Error(`${input} locates itself (__filename, import.meta.url): mark its package external`);
}

// The stamp: the build state of every package in the bundle (see packages/cli/src/entry.ts).
const buildInfo: Record<string, number> = {};
for (const input of Object.keys(result.metafile.inputs)) {
  const pkg = workspacePackage(join(root, input));
  if (!pkg) continue;
  const info = join(pkg.dir, 'tsconfig.tsbuildinfo');
  buildInfo[posix(relative(cliDir, info))] = statSync(info).mtimeMs;
}
writeFileSync(join(outdir, 'stamp.json'), `${JSON.stringify({ buildInfo }, null, 2)}\n`);
