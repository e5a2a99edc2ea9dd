/**
 * Starting and stopping a whole testbed (TESTBED.md §3.8): etcd, one shared apiserver, controller-manager,
 * scheduler, kwok with two Nodes, versitygw, and a check of PostgreSQL.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NODE_NAMES, startApiserver, startEtcd, startWorkers } from './cluster.js';
import { request } from './http.js';
import type { TestbedInfo } from './info.js';
import { cacheDir, loadManifest } from './manifest.js';
import { createPki, writeKubeconfig, writeTokenFile } from './pki.js';
import { checkPostgres, pgUrl } from './postgres.js';
import { isOurs, RunDir, reapStaleRuns } from './processes.js';
import { startS3 } from './s3.js';

/** Options for {@link startTestbed}. */
export interface StartTestbedOptions {
  /**
   * Name of a long-lived testbed: its run directory is `<cache>/live/<name>` and its processes are detached,
   * so they outlive the caller. Unset for a test run (temporary directory, children die with the caller).
   */
  readonly live?: string;
  /** Overall deadline for start-up. @default AbortSignal.timeout(90_000) */
  readonly signal?: AbortSignal;
  /** Progress lines (e.g. `console.error`). @default none */
  readonly log?: (line: string) => void;
}

/** A started testbed. */
export interface Testbed {
  readonly info: TestbedInfo;
  readonly run: RunDir;
  /** Milliseconds from start to ready. */
  readonly startMs: number;
}

/** `<cache>/live/<name>`. */
export function liveDir(name: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(name)) throw new Error(`invalid testbed name '${name}'`);
  return path.join(cacheDir(), 'live', name);
}

/** Starts a testbed and waits until it is ready (§3.6); on failure stops what it started and rethrows. */
export async function startTestbed(options: StartTestbedOptions = {}): Promise<Testbed> {
  const t0 = performance.now();
  const log = options.log ?? (() => undefined);
  const signal = options.signal ?? AbortSignal.timeout(90_000);
  const detached = options.live !== undefined;
  const manifest = await loadManifest();
  if (!detached) {
    const reaped = await reapStaleRuns();
    for (const dir of reaped) log(`removed the crashed run ${dir}`);
  }
  let dir: string | undefined;
  if (options.live) {
    dir = liveDir(options.live);
    const previous = await RunDir.open(dir);
    if (previous?.children.some((c) => isOurs(c.record.pid, c.record.bin, dir ?? ''))) {
      throw new Error(
        `testbed '${options.live}' is already up (${dir}); stop it with \`npm run testbed -- down\``,
      );
    }
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
  }
  const run = await RunDir.create(dir, detached);
  try {
    log(`run directory ${run.dir}`);
    const url = pgUrl();
    const [pki, token, etcd, s3] = await Promise.all([
      createPki(run.path('pki')),
      writeTokenFile(run.path('tokens.csv')),
      startEtcd(run, manifest, detached, signal),
      startS3(run, manifest, detached, signal),
      checkPostgres(url),
    ]);
    log(`etcd ${etcd.url}, versitygw ${s3.info.endpoint}, PostgreSQL ok`);
    const api = await startApiserver(
      run,
      manifest,
      {
        name: 'kube-apiserver',
        etcdUrl: etcd.url,
        etcdPrefix: `/kusion/${run.runId}/shared`,
        pki,
        tokenFile: run.path('tokens.csv'),
        token,
        isPrivate: false,
        detached,
      },
      signal,
    );
    log(`kube-apiserver ${api.url} ready`);
    const kubeconfig = run.path('admin.kubeconfig');
    await writeKubeconfig(kubeconfig, api.url, pki, token);
    await startWorkers(run, manifest, api.target, { kubeconfig, pki, detached }, signal);
    log('controller-manager, scheduler, kwok and Nodes ready');
    const info: TestbedInfo = {
      runId: run.runId,
      runDir: run.dir,
      ...(options.live ? { liveName: options.live } : {}),
      kubernetes: {
        version: manifest.kubernetes.version,
        kubeconfig,
        apiserverUrl: api.url,
        token,
        caFile: pki.caCert,
        clientCertFile: pki.adminCert,
        clientKeyFile: pki.adminKey,
        etcdUrl: etcd.url,
        kubectl: manifest.kubernetes.kubectl,
        nodeNames: [...NODE_NAMES],
      },
      tofu: manifest.tofu,
      opa: manifest.opa,
      s3: s3.info,
      postgres: { url },
    };
    await writeFile(run.path('info.json'), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
    const startMs = Math.round(performance.now() - t0);
    log(`ready in ${(startMs / 1000).toFixed(1)} s`);
    return { info, run, startMs };
  } catch (e) {
    await run.dispose();
    throw e;
  }
}

/** Stops a testbed started by this process and removes its run directory (unless `KUSION_TESTBED_KEEP=1`). */
export async function stopTestbed(testbed: Testbed): Promise<void> {
  await testbed.run.dispose();
}

/** Reads the info of a long-lived testbed and checks that its apiserver answers. */
export async function attachTestbed(name: string): Promise<TestbedInfo> {
  const file = path.join(liveDir(name), 'info.json');
  let info: TestbedInfo;
  try {
    info = JSON.parse(await readFile(file, 'utf8')) as TestbedInfo;
  } catch (cause) {
    throw new Error(`no live testbed '${name}' (${file}): start it with \`npm run testbed -- up\``, {
      cause,
    });
  }
  const k = info.kubernetes;
  const res = await request(
    { url: k.apiserverUrl, ca: await readFile(k.caFile), token: k.token },
    '/readyz',
  ).catch((e: unknown) => ({ status: 0, text: String(e) }));
  if (res.status !== 200)
    throw new Error(`live testbed '${name}' is not ready (${k.apiserverUrl}/readyz: ${res.status})`);
  return info;
}

/** Stops a long-lived testbed by its recorded PIDs and removes its directory. Returns false if none. */
export async function stopLiveTestbed(name: string): Promise<boolean> {
  const dir = liveDir(name);
  const run = await RunDir.open(dir);
  if (!run) return false;
  await run.stopAll();
  await rm(dir, { recursive: true, force: true });
  return true;
}

interface Shared {
  refs: number;
  started: Promise<Testbed> | undefined;
  attached: TestbedInfo | undefined;
}

const KEY = Symbol.for('kusion.testbed.shared');

function shared(): Shared {
  const g = globalThis as { [KEY]?: Shared };
  g[KEY] ??= { refs: 0, started: undefined, attached: undefined };
  return g[KEY];
}

/**
 * The reference-counted testbed of this process (both Vitest projects share it): the first call starts it
 * (or attaches to `KUSION_TESTBED_ATTACH=<name>`), later calls reuse it.
 */
export async function acquireTestbed(log?: (line: string) => void): Promise<TestbedInfo> {
  const s = shared();
  s.refs += 1;
  try {
    const attach = process.env['KUSION_TESTBED_ATTACH'];
    if (attach) {
      s.attached ??= await attachTestbed(attach);
      return s.attached;
    }
    s.started ??= startTestbed(log ? { log } : {});
    return (await s.started).info;
  } catch (e) {
    s.refs -= 1;
    s.started = undefined;
    throw e;
  }
}

/** Drops one reference; the last one stops the testbed this process started. */
export async function releaseTestbed(): Promise<void> {
  const s = shared();
  s.refs -= 1;
  if (s.refs > 0) return;
  const started = s.started;
  s.started = undefined;
  s.attached = undefined;
  if (started !== undefined) await stopTestbed(await started);
}
