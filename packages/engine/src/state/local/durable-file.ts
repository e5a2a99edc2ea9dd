/**
 * File primitives for the local release store. Every write is all-or-nothing for a reader and survives a
 * crash of the writing process at any instant:
 * - replace: temp file, rename (write-file-atomic);
 * - exclusive create: a complete temp file hard-linked into place. `link(2)` fails with EEXIST exactly like
 *   `open(path, 'wx')` (O_EXCL), but the name never points at an empty or half-written file, which an
 *   O_EXCL create followed by a write would leave behind if the process died in between.
 * `durable` writes also fsync the file before it gets its name and the directory after, so they survive a
 * power loss too. Releases and journal entries are durable; the lock, its guard and the index are not
 * (all their users die with the machine, and the index is checked against the release files on every
 * read), which halves the fsyncs of a run.
 * Temp files are named `<target>.<pid>.<n>.tmp` (write-file-atomic: `<target>.<hex>`); readers of the store
 * only look at exact names, so leftovers of a killed process are inert.
 */
import { link, mkdir, open, readdir, rm, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';

let counter = 0;

/** A fresh temp name beside `path`. */
export function tempNameFor(path: string): string {
  counter += 1;
  return `${path}.${process.pid}.${counter}.tmp`;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** fsync of a directory, so entries created, renamed or removed in it survive a power loss. */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Some platforms (Windows) cannot open or sync a directory; the rename is still atomic there.
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EACCES', 'ENOENT'].includes(errorCode(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

/** How a write must survive: a crash of this process only, or also of the machine. */
export interface WriteOptions {
  readonly durable: boolean;
  /** File mode of a new file. @default 0o644 */
  readonly mode?: number;
}

/** Replaces `path` atomically. */
export async function replaceFile(path: string, text: string, options: WriteOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, text, { fsync: options.durable, mode: options.mode ?? 0o644 });
  if (options.durable) await fsyncDirectory(dirname(path));
}

async function writeNew(
  path: string,
  text: string,
  flags: string,
  durable: boolean,
  mode = 0o644,
): Promise<void> {
  const handle = await open(path, flags, mode);
  try {
    await handle.writeFile(text, 'utf8');
    if (durable) await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates `path` with `text` only if it does not exist; false when it does. Atomic. */
export async function createExclusively(path: string, text: string, options: WriteOptions): Promise<boolean> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = tempNameFor(path);
  await writeNew(temp, text, 'wx', options.durable, options.mode);
  try {
    await link(temp, path);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return false;
    // File systems without hard links (FAT, some network mounts): fall back to a plain O_EXCL create.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
    try {
      await writeNew(path, text, 'wx', options.durable, options.mode);
    } catch (fallbackError) {
      if (errorCode(fallbackError) === 'EEXIST') return false;
      throw fallbackError;
    }
  } finally {
    await rm(temp, { force: true });
  }
  if (options.durable) await fsyncDirectory(dir);
  return true;
}

/** Removes a file; false when it was already gone. */
export async function removeFile(path: string, options: WriteOptions): Promise<boolean> {
  try {
    await unlink(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
  if (options.durable) await fsyncDirectory(dirname(path));
  return true;
}

/** Names in a directory; none when it does not exist. */
export async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
}

/** This process's host name, for lock and guard records. */
export const thisHost = hostname();

/** True when a process with this id exists on this host (EPERM: it exists but is not ours). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

export { errorCode };
