import { readFileSync, statSync } from 'node:fs';

/** What scripts/bundle.ts records: each bundled package's tsbuildinfo (relative to this package) → mtime. */
interface BundleStamp {
  readonly buildInfo: Readonly<Record<string, number>>;
}

/**
 * The module holding the full CLI, relative to `dist/`: the esbuild bundle (`npm run build`) while it is
 * current, else the plain `tsc` output. The bundle is stale once a package it holds was rebuilt after it
 * (a plain `tsc -b` rewrites that package's tsbuildinfo). An npm install has no tsbuildinfo files, so its
 * bundle is current.
 */
export function cliEntry(dist: URL = new URL('./', import.meta.url)): string {
  let stamp: BundleStamp;
  try {
    stamp = JSON.parse(readFileSync(new URL('bundle/stamp.json', dist), 'utf8')) as BundleStamp;
  } catch {
    return './cli.js';
  }
  for (const [file, mtimeMs] of Object.entries(stamp.buildInfo)) {
    const now = statSync(new URL(`../${file}`, dist), { throwIfNoEntry: false });
    if (now !== undefined && now.mtimeMs !== mtimeMs) return './cli.js';
  }
  return './bundle/cli.js';
}
