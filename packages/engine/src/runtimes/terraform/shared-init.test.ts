import { lstat, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkSharedInit } from './shared-init.js';

const required = { kusiontest: { source: 'kusion.test/kusion/kusiontest', version: '0.1.0' } };
let root: string;
let inits: string[];
/** Stands in for `tofu init`: an installation and a lock file. */
const init = async (dir: string) => {
  inits.push(dir);
  await mkdir(join(dir, '.terraform', 'providers'), { recursive: true });
  await writeFile(join(dir, '.terraform.lock.hcl'), 'lock v1\n');
};
const runDir = async (name: string, lock?: string) => {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  if (lock) await writeFile(join(dir, '.terraform.lock.hcl'), lock);
  return dir;
};

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'kusion-shared-init-'));
  inits = [];
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('linkSharedInit', () => {
  it('runs init once for a set of providers and links every run to it, lock file included', async () => {
    const a = await runDir('a');
    const b = await runDir('b', 'lock v1\n');
    expect(await linkSharedInit(a, join(root, 'cache'), required, init)).toBe(true);
    expect(await linkSharedInit(b, join(root, 'cache'), required, init)).toBe(true);
    expect(inits).toHaveLength(1);
    for (const dir of [a, b]) {
      expect((await lstat(join(dir, '.terraform'))).isSymbolicLink()).toBe(true);
      expect(await readFile(join(dir, '.terraform.lock.hcl'), 'utf8')).toBe('lock v1\n');
    }
  });

  it('declines when the run pins other packages in its own lock file', async () => {
    const pinned = await runDir('pinned', 'lock v0\n');
    expect(await linkSharedInit(pinned, join(root, 'cache'), required, init)).toBe(false);
    await expect(lstat(join(pinned, '.terraform'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(join(pinned, '.terraform.lock.hcl'), 'utf8')).toBe('lock v0\n');
  });

  it('leaves nothing shared behind when init fails', async () => {
    const failing = async () => {
      throw new Error('no such provider');
    };
    await expect(linkSharedInit(await runDir('c'), join(root, 'cache'), required, failing)).rejects.toThrow(
      'no such provider',
    );
    expect(await linkSharedInit(await runDir('d'), join(root, 'cache'), required, init)).toBe(true);
    expect(inits).toHaveLength(1);
  });
});
