import { mkdirSync, mkdtempSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliEntry } from './entry.js';

/** A package directory `cli/` next to `engine/`, each with a tsbuildinfo, and cli/dist/. */
function packages(): { dist: URL; engineInfo: string; stamp: (buildInfo: Record<string, number>) => void } {
  const root = mkdtempSync(join(tmpdir(), 'kusion-entry-'));
  for (const dir of ['cli/dist/bundle', 'engine']) mkdirSync(join(root, dir), { recursive: true });
  const engineInfo = join(root, 'engine/tsconfig.tsbuildinfo');
  writeFileSync(engineInfo, '{}');
  return {
    dist: pathToFileURL(join(root, 'cli/dist/')),
    engineInfo,
    stamp: (buildInfo) =>
      writeFileSync(join(root, 'cli/dist/bundle/stamp.json'), JSON.stringify({ buildInfo })),
  };
}

describe('cliEntry', () => {
  it('runs the tsc output when there is no bundle', () => {
    expect(cliEntry(packages().dist)).toBe('./cli.js');
  });

  it('runs the bundle while every package in it is as it was bundled', () => {
    const { dist, engineInfo, stamp } = packages();
    stamp({ '../engine/tsconfig.tsbuildinfo': statSync(engineInfo).mtimeMs });
    expect(cliEntry(dist)).toBe('./bundle/cli.js');
  });

  it('runs the tsc output once a package was rebuilt after the bundle (a plain tsc -b)', () => {
    const { dist, engineInfo, stamp } = packages();
    stamp({ '../engine/tsconfig.tsbuildinfo': statSync(engineInfo).mtimeMs });
    utimesSync(engineInfo, new Date(), new Date(Date.now() + 5_000));
    expect(cliEntry(dist)).toBe('./cli.js');
  });

  it('runs the bundle of an npm install, which has no tsbuildinfo files', () => {
    const { dist, stamp } = packages();
    stamp({ '../module-sdk/tsconfig.tsbuildinfo': 1 });
    expect(cliEntry(dist)).toBe('./bundle/cli.js');
  });
});
