import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Codes, KusionError } from '../errors/index.js';
import { decrypt, type EncryptedValue, encrypt } from '../secrets/cipher.js';
import type { WorkspaceStore } from '../state/port.js';

/** The state key: `KUSION_STATE_KEY` (base64, 32 bytes), else `$KUSION_HOME/state.key`, created 0600 on first need. */
export async function loadStateKey(home: string): Promise<Buffer> {
  const fromEnv = process.env['KUSION_STATE_KEY'];
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32)
      throw new KusionError(
        Codes.stateKeyInvalid,
        `KUSION_STATE_KEY must be 32 bytes in base64 (got ${key.length} bytes)`,
        { hints: ['create one with: openssl rand -base64 32'] },
      );
    return key;
  }
  const path = join(home, 'state.key');
  return readOrCreate(
    path,
    () => randomBytes(32).toString('base64'),
    (text) => Buffer.from(text.trim(), 'base64'),
  );
}

/**
 * A workspace's 32-byte derivation seed, stored encrypted with the workspace in its backend (SPEC §7.4,
 * §9.2), so everyone sharing the backend derives the same values.
 */
export async function loadWorkspaceSeed(
  store: Pick<WorkspaceStore, 'seed'>,
  workspace: string,
  key: Buffer,
): Promise<Buffer> {
  const text = await store.seed(workspace, () => newWorkspaceSeed(key));
  return decrypt(JSON.parse(text) as EncryptedValue, key);
}

/** A fresh derivation seed as stored: 32 random bytes, encrypted with the state key. */
export function newWorkspaceSeed(key: Buffer): string {
  return JSON.stringify(encrypt(randomBytes(32), key));
}

/**
 * Reads a small secret file, or creates it (mode 0600): written whole to a temp file, then hard-linked into
 * place, which fails if another run got there first, so two first runs agree on one value.
 */
async function readOrCreate<T>(path: string, create: () => string, parse: (text: string) => T): Promise<T> {
  try {
    return parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(create());
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(temp, { force: true });
  }
  return parse(await readFile(path, 'utf8'));
}
