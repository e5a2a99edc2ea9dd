/**
 * Provider installations shared by every run (SPEC §13.2 `init`). Each run has its own working directory,
 * so each command used to begin with its own `tofu init` (0.1 s idle, 0.4 s on a busy machine). Now `init`
 * runs once per set of required providers, into `<cache>/init/<digest>/`, and a run directory links its
 * `.terraform` there. The installation is only read by plans and applies (providers come from the plugin
 * cache, modules are not used), so runs can share it.
 */
import { copyFile, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestOf } from '../../generator/canonical.js';
import type { JsonObject } from '../../model/index.js';
import { readText } from './files.js';

const lockFile = '.terraform.lock.hcl';

/** Runs `tofu init` in a directory; throws when it fails. */
export type InitIn = (dir: string) => Promise<void>;

/**
 * Links `runDir/.terraform` to the shared installation of `required` providers, creating it with `init`
 * when missing, and gives the run the installation's lock file if it has none. False when the run's own
 * lock file (restored from state) pins other packages: then the run must `init` itself.
 */
export async function linkSharedInit(
  runDir: string,
  cacheDir: string,
  required: JsonObject,
  init: InitIn,
): Promise<boolean> {
  const shared = join(cacheDir, 'init', digestOf(required).slice('sha256:'.length, 'sha256:'.length + 16));
  let sharedLock = await readText(join(shared, lockFile));
  if (sharedLock === undefined) {
    await createShared(shared, required, init);
    sharedLock = await readText(join(shared, lockFile));
  }
  const runLock = await readText(join(runDir, lockFile));
  if (sharedLock === undefined || (runLock !== undefined && runLock !== sharedLock)) return false;
  await rm(join(runDir, '.terraform'), { recursive: true, force: true });
  await symlink(join(shared, '.terraform'), join(runDir, '.terraform'), 'dir');
  if (runLock === undefined) await copyFile(join(shared, lockFile), join(runDir, lockFile));
  return true;
}

/** `init` in a private directory renamed into place: concurrent creators keep whichever came first. */
async function createShared(shared: string, required: JsonObject, init: InitIn): Promise<void> {
  const temp = `${shared}.${process.pid}.${Date.now()}.tmp`;
  await mkdir(temp, { recursive: true, mode: 0o700 });
  try {
    const config = { terraform: { required_providers: required } };
    await writeFile(join(temp, 'main.tf.json'), `${JSON.stringify(config, null, 2)}\n`);
    await init(temp);
    await rename(temp, shared).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
