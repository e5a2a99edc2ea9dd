/**
 * A second apiserver on the run's etcd under its own prefix, for a suite that needs a cluster to itself
 * (TESTBED.md §3.8). No controllers run against it.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Apiserver, startApiserver } from './cluster.js';
import type { TestbedInfo } from './info.js';
import { loadManifest } from './manifest.js';
import { randomSuffix } from './namespace.js';
import type { Pki } from './pki.js';
import { writeKubeconfig } from './pki.js';
import { RunDir } from './processes.js';

/** A running private apiserver. */
export interface PrivateApiserver {
  readonly url: string;
  readonly kubeconfig: string;
  readonly token: string;
  readonly caFile: string;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/** Starts a private apiserver for `suite`, sharing the run's PKI, token and etcd. */
export async function startPrivateApiserver(
  info: TestbedInfo,
  suite: string,
  signal: AbortSignal = AbortSignal.timeout(90_000),
): Promise<PrivateApiserver> {
  const manifest = await loadManifest();
  const dir = path.join(info.runDir, 'private', `${suite}-${randomSuffix()}`);
  await mkdir(dir, { recursive: true });
  const run = await RunDir.create(dir);
  const pkiDir = path.dirname(info.kubernetes.caFile);
  const p = (f: string) => path.join(pkiDir, f);
  const pki: Pki = {
    dir: pkiDir,
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    apiserverCert: p('apiserver.crt'),
    apiserverKey: p('apiserver.key'),
    adminCert: p('admin.crt'),
    adminKey: p('admin.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
  };
  let api: Apiserver;
  try {
    await readFile(pki.saKey);
    api = await startApiserver(
      run,
      manifest,
      {
        name: 'kube-apiserver-private',
        etcdUrl: info.kubernetes.etcdUrl,
        etcdPrefix: `/kusion/${info.runId}/${suite}`,
        pki,
        tokenFile: path.join(info.runDir, 'tokens.csv'),
        token: info.kubernetes.token,
        isPrivate: true,
        detached: false,
      },
      signal,
    );
  } catch (e) {
    await run.dispose();
    throw e;
  }
  const kubeconfig = run.path('admin.kubeconfig');
  await writeKubeconfig(kubeconfig, api.url, pki, info.kubernetes.token);
  return {
    url: api.url,
    kubeconfig,
    token: info.kubernetes.token,
    caFile: pki.caCert,
    stop: () => run.dispose(),
  };
}
