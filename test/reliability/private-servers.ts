/**
 * Private PostgreSQL and S3 servers for outage tests: started and stopped by this process, by PID, on free
 * loopback ports, so a test can take a backend down mid-run without touching the shared ones.
 * PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { versitygwArgs } from '../testbed/components.js';
import { loadManifest } from '../testbed/index.js';
import { freePorts } from '../testbed/ports.js';
import { S3_ACCESS_KEY, S3_SECRET_KEY } from '../testbed/s3.js';

const run = promisify(execFile);
const pgBin = process.env['KUSION_TEST_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

/** A server this process can stop and start again on the same port and data. */
export interface PrivateServer {
  readonly url: string;
  /** Stops the server with `signal` (default: an immediate, crash-like stop) and waits for it. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

async function postgresUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

async function waitFor(what: string, ready: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready().catch(() => false)) return;
    await delay(100);
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms`);
}

/** initdb into a temporary directory, then `postgres` on a free port (trust auth, loopback only). */
export async function startPrivatePostgres(): Promise<PrivateServer> {
  const user = await postgresUser();
  const dir = await mkdtemp(join(tmpdir(), 'kusion-private-pg-'));
  const data = join(dir, 'data');
  await mkdir(data);
  if (user) {
    await chown(dir, user.uid, user.gid);
    await chown(data, user.uid, user.gid);
  }
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  await new Promise<void>((resolve, reject) => {
    const init = spawn(join(pgBin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync'], {
      ...asUser,
      stdio: 'ignore',
    });
    init.once('error', reject);
    init.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`initdb exited with ${code}`))));
  });
  const [port] = await freePorts(1);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  let child: ChildProcess | undefined;
  const server: PrivateServer = {
    url,
    async start() {
      child = spawn(
        join(pgBin, 'postgres'),
        [
          '-D',
          data,
          '-p',
          String(port),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          `unix_socket_directories=${dir}`,
        ],
        { ...asUser, stdio: 'ignore' },
      );
      await waitFor(`private PostgreSQL on ${port}`, async () => {
        const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
        await client.connect();
        await client.end();
        return true;
      });
    },
    // SIGQUIT: immediate shutdown, no checkpoint; the next start recovers from the WAL, as after a crash.
    stop: (signal = 'SIGQUIT') => stopChild(child, signal),
    async destroy() {
      await stopChild(child, 'SIGQUIT');
      await rm(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** The testbed's versitygw binary on a private port and directories. */
export async function startPrivateS3(): Promise<PrivateServer & { readonly endpoint: string }> {
  const manifest = await loadManifest();
  const dir = await mkdtemp(join(tmpdir(), 'kusion-private-s3-'));
  await mkdir(join(dir, 'meta'));
  await mkdir(join(dir, 'data'));
  const [port = 0] = await freePorts(1);
  const endpoint = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const server = {
    url: endpoint,
    endpoint,
    async start() {
      const args = versitygwArgs({
        port,
        accessKey: S3_ACCESS_KEY,
        secretKey: S3_SECRET_KEY,
        metaDir: join(dir, 'meta'),
        dataDir: join(dir, 'data'),
      });
      child = spawn(manifest.versitygw.bin, args, { stdio: 'ignore' });
      await waitFor(
        `private versitygw on ${port}`,
        async () => (await fetch(`${endpoint}/health`)).status === 200,
      );
    },
    stop: (signal: NodeJS.Signals = 'SIGKILL') => stopChild(child, signal),
    async destroy() {
      await stopChild(child, 'SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
