import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Codes, KusionError } from '../../errors/index.js';
import { decrypt, encrypt, isEncryptedValue } from '../../secrets/cipher.js';
import type { UnitStateStore } from '../../state/port.js';
import { readText } from './files.js';
import { parseStateFile } from './state-file.js';

/** The stored form of a stack's OpenTofu state: state and provider lock file, encrypted together. */
interface StateBlob {
  readonly version: 1;
  readonly state: string;
  readonly lockFile: string;
}

const stateUnit = 'main';
const stateFile = 'terraform.tfstate';
const lockFile = '.terraform.lock.hcl';

export interface WorkdirOptions {
  /** `<KUSION_HOME>/cache/terraform/<identity hash>`: one run directory per process below it. */
  readonly root: string;
  readonly states: UnitStateStore;
  readonly key: Uint8Array;
}

/**
 * A run's OpenTofu working directory, never inside the stack directory (SPEC §13.2). The decrypted state
 * lives here (mode 0600) only while the run lasts: `close` removes the directory. A run killed before
 * `close` leaves its directory; the next run on the identity adopts a newer state found there (OpenTofu may
 * have finished applying after Kusion died) and removes it, so no resource is ever forgotten.
 */
export class Workdir {
  readonly dir: string;
  private readonly options: WorkdirOptions;
  private storedSerial = -1;

  private constructor(dir: string, options: WorkdirOptions) {
    this.dir = dir;
    this.options = options;
  }

  static async open(options: WorkdirOptions): Promise<Workdir> {
    await mkdir(options.root, { recursive: true, mode: 0o700 });
    const dir = join(options.root, `run-${process.pid}-${randomBytes(4).toString('hex')}`);
    const workdir = new Workdir(dir, options);
    await mkdir(dir, { mode: 0o700 });
    await workdir.restore();
    await workdir.adoptLeftovers();
    return workdir;
  }

  /** Writes the stored state and lock file into the directory. */
  private async restore(): Promise<void> {
    const blob = await this.readBlob();
    if (!blob) return;
    this.storedSerial = parseStateFile(blob.state).serial;
    await writeFile(join(this.dir, stateFile), blob.state, { mode: 0o600 });
    if (blob.lockFile) await writeFile(join(this.dir, lockFile), blob.lockFile);
  }

  /** Adopts the newest state of the same lineage left by a killed run, then removes its directory. */
  private async adoptLeftovers(): Promise<void> {
    const mine = parseMaybe(await readText(join(this.dir, stateFile)));
    let best = mine;
    let bestText: string | undefined;
    for (const name of await readdir(this.options.root)) {
      const match = /^run-(\d+)-/.exec(name);
      if (!match || join(this.options.root, name) === this.dir || isAlive(Number(match[1]))) continue;
      const text = await readText(join(this.options.root, name, stateFile));
      const found = parseMaybe(text);
      if (found && (!best || (found.lineage === best.lineage && found.serial > best.serial))) {
        best = found;
        bestText = text;
      }
      await rm(join(this.options.root, name), { recursive: true, force: true });
    }
    if (bestText !== undefined) {
      await writeFile(join(this.dir, stateFile), bestText, { mode: 0o600 });
      await this.persist();
    }
  }

  /** Stores the current state and lock file, encrypted, when OpenTofu changed them. */
  async persist(): Promise<void> {
    const state = await readText(join(this.dir, stateFile));
    if (state === undefined) return;
    await chmod(join(this.dir, stateFile), 0o600);
    const serial = parseStateFile(state).serial;
    if (serial === this.storedSerial) return;
    const blob: StateBlob = { version: 1, state, lockFile: (await readText(join(this.dir, lockFile))) ?? '' };
    const sealed = encrypt(Buffer.from(JSON.stringify(blob)), this.options.key);
    await this.options.states.write(stateUnit, `${JSON.stringify(sealed)}\n`);
    this.storedSerial = serial;
  }

  /** The current state text, if any. */
  state(): Promise<string | undefined> {
    return readText(join(this.dir, stateFile));
  }

  async close(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  private async readBlob(): Promise<StateBlob | undefined> {
    const text = await this.options.states.read(stateUnit);
    if (text === undefined) return undefined;
    const sealed: unknown = JSON.parse(text);
    if (!isEncryptedValue(sealed)) {
      throw new KusionError(Codes.stateRecordInvalid, 'the stored OpenTofu state is not encrypted', {
        hints: ['restore it from a backup, or remove it and import the resources again'],
      });
    }
    return JSON.parse(decrypt(sealed, this.options.key).toString('utf8')) as StateBlob;
  }
}

function parseMaybe(text: string | undefined) {
  if (text === undefined) return undefined;
  try {
    return parseStateFile(text);
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
