/**
 * The run directory and the processes started in it (TESTBED.md §3.1, §3.7). Children are spawned without a
 * shell, log to `<run>/logs/<name>.log`, and are recorded by PID in `<run>/state.json`. They are stopped by
 * that PID only, after `/proc/<pid>/cmdline` confirms it is still our binary for this run directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A process this harness started. */
export interface ChildRecord {
  readonly name: string;
  readonly pid: number;
  readonly bin: string;
  readonly log: string;
}

/** What `<run>/state.json` holds. */
export interface RunState {
  readonly runId: string;
  readonly runDir: string;
  /** The PID of the process that owns the run (the test runner or the `testbed up` CLI). */
  readonly ownerPid: number;
  readonly children: ChildRecord[];
}

/** Options for {@link RunDir.spawn}. */
export interface SpawnOptions {
  /** Extra environment; `HOME` is always `<run>/home` and `PATH` is inherited. */
  readonly env?: Readonly<Record<string, string>>;
  /** Detach the child so it outlives this process (long-lived testbeds). @default false */
  readonly detached?: boolean;
}

/** How a child ended, when it did. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running child together with its record. */
export interface Child {
  readonly record: ChildRecord;
  /** Set once the child has exited (only for children of this process). */
  exit: ChildExit | undefined;
  readonly process: ChildProcess | undefined;
}

const RUN_PREFIX = 'kusion-testbed-';
const live = new Set<RunDir>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const run of live) run.killAllSync();
  });
}

/** True if a process with this PID exists (it may be a zombie). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True if `/proc/<pid>/cmdline` names `bin` as argv[0] and mentions `runDir`. */
export function isOurs(pid: number, bin: string, runDir: string): boolean {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return false;
  }
  const argv = cmdline.split('\0');
  return argv[0] === bin && argv.some((a) => a.includes(runDir));
}

/** The last `lines` lines of a log file, or a note that it cannot be read. */
export async function tailFile(file: string, lines = 30): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text
      .split('\n')
      .slice(-lines - 1)
      .join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

/** A run directory and the children started in it. */
export class RunDir {
  readonly children: Child[] = [];
  readonly dir: string;
  readonly runId: string;
  private readonly ownerPid: number;
  private constructor(dir: string, runId: string, ownerPid: number) {
    this.dir = dir;
    this.runId = runId;
    this.ownerPid = ownerPid;
  }

  /**
   * Makes a fresh run directory: `fs.mkdtemp(os.tmpdir() + '/kusion-testbed-')`, or `dir` if given. Unless
   * `outlivesOwner`, an `exit` hook kills its children when this process exits.
   */
  static async create(dir?: string, outlivesOwner = false): Promise<RunDir> {
    const runDir = dir ?? (await mkdtemp(path.join(os.tmpdir(), RUN_PREFIX)));
    await mkdir(path.join(runDir, 'logs'), { recursive: true });
    await mkdir(path.join(runDir, 'home'), { recursive: true });
    const run = new RunDir(runDir, randomBytes(4).toString('hex'), process.pid);
    await run.save();
    if (!outlivesOwner) {
      live.add(run);
      installExitHook();
    }
    return run;
  }

  /** Reopens a recorded run (to stop a long-lived testbed from another process). */
  static async open(dir: string): Promise<RunDir | undefined> {
    const state = await readState(dir);
    if (!state) return undefined;
    const run = new RunDir(dir, state.runId, state.ownerPid);
    for (const record of state.children) run.children.push({ record, exit: undefined, process: undefined });
    return run;
  }

  /** `<run>/<...parts>`. */
  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  get state(): RunState {
    return {
      runId: this.runId,
      runDir: this.dir,
      ownerPid: this.ownerPid,
      children: this.children.map((c) => c.record),
    };
  }

  private saving: Promise<void> = Promise.resolve();

  /** Writes state.json atomically; concurrent calls are serialised. */
  private save(): Promise<void> {
    const write = async () => {
      const tmp = this.path(`state.json.${process.pid}.tmp`);
      await writeFile(tmp, `${JSON.stringify(this.state, null, 2)}\n`);
      await rename(tmp, this.path('state.json'));
    };
    this.saving = this.saving.then(write, write);
    return this.saving;
  }

  /** Starts `bin args` with output to `<run>/logs/<name>.log`, and records its PID. */
  async spawn(
    name: string,
    bin: string,
    args: readonly string[],
    options: SpawnOptions = {},
  ): Promise<Child> {
    const log = this.path('logs', `${name}.log`);
    const out = await open(log, 'a');
    let child: ChildProcess;
    try {
      child = spawn(bin, args, {
        cwd: this.dir,
        stdio: ['ignore', out.fd, out.fd],
        detached: options.detached ?? false,
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...options.env, HOME: this.path('home') },
      });
    } finally {
      await out.close();
    }
    const pid = child.pid;
    if (pid === undefined) {
      const error = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new Error(`cannot start ${name} (${bin}): ${error.message}`);
    }
    const entry: Child = { record: { name, pid, bin, log }, exit: undefined, process: child };
    child.once('exit', (code, signal) => {
      entry.exit = { code, signal };
    });
    if (options.detached) child.unref();
    this.children.push(entry);
    await this.save();
    return entry;
  }

  /** Stops one child: SIGTERM, up to `graceMs` to exit, then SIGKILL. */
  async stop(child: Child, graceMs = 10_000): Promise<void> {
    const { pid, bin } = child.record;
    const running = () =>
      child.process ? child.exit === undefined && isAlive(pid) : isOurs(pid, bin, this.dir);
    if (running()) {
      if (child.process || isOurs(pid, bin, this.dir)) process.kill(pid, 'SIGTERM');
      const deadline = Date.now() + graceMs;
      while (running() && Date.now() < deadline) await sleep(50);
      if (running() && (child.process || isOurs(pid, bin, this.dir))) process.kill(pid, 'SIGKILL');
      while (running() && Date.now() < deadline + 5_000) await sleep(50);
    }
    const i = this.children.indexOf(child);
    if (i >= 0) this.children.splice(i, 1);
    await this.save().catch(() => undefined);
  }

  /**
   * Stops every child in three waves (TESTBED.md §3.7): the API clients (kwok, scheduler, controller-manager)
   * together, then the apiservers, then the stores (etcd, versitygw). Within a wave they stop in parallel.
   */
  async stopAll(): Promise<void> {
    const wave = (c: Child): number =>
      /^(etcd|versitygw)/.test(c.record.name) ? 2 : /^kube-apiserver/.test(c.record.name) ? 1 : 0;
    for (const w of [0, 1, 2]) {
      await Promise.all(this.children.filter((c) => wave(c) === w).map((c) => this.stop(c)));
    }
  }

  /** Last resort from the `exit` hook: SIGKILL whatever is still recorded. */
  killAllSync(): void {
    for (const { record, exit, process: p } of this.children) {
      const running = p
        ? exit === undefined && isAlive(record.pid)
        : isOurs(record.pid, record.bin, this.dir);
      if (running) {
        try {
          process.kill(record.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }

  /** Stops everything and removes the directory, unless `KUSION_TESTBED_KEEP=1`. */
  async dispose(): Promise<void> {
    await this.stopAll();
    live.delete(this);
    if (process.env['KUSION_TESTBED_KEEP'] === '1') return;
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function readState(dir: string): Promise<RunState | undefined> {
  try {
    const raw: unknown = JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8'));
    if (typeof raw !== 'object' || raw === null) return undefined;
    const s = raw as Partial<RunState>;
    if (typeof s.runId !== 'string' || typeof s.ownerPid !== 'number' || !Array.isArray(s.children))
      return undefined;
    return { runId: s.runId, runDir: dir, ownerPid: s.ownerPid, children: s.children };
  } catch {
    return undefined;
  }
}

/**
 * Cleans up after crashed runs: for each `kusion-testbed-*` in the temp directory whose owner is gone, kills
 * the recorded children still running our binary for that directory, then removes it.
 */
export async function reapStaleRuns(): Promise<string[]> {
  const reaped: string[] = [];
  const tmp = os.tmpdir();
  let names: string[];
  try {
    names = await readdir(tmp);
  } catch {
    return reaped;
  }
  for (const name of names.filter((n) => n.startsWith(RUN_PREFIX))) {
    const dir = path.join(tmp, name);
    const state = await readState(dir);
    if (state) {
      if (isAlive(state.ownerPid)) continue;
    } else {
      // Not yet written by a starting run, or not ours: leave young ones alone.
      const info = await stat(dir).catch(() => undefined);
      if (!info || Date.now() - info.mtimeMs < 3_600_000) continue;
    }
    const run = await RunDir.open(dir);
    if (run) await run.stopAll();
    await rm(dir, { recursive: true, force: true });
    reaped.push(dir);
  }
  return reaped;
}
