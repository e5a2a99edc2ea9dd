/**
 * The cluster's PKI, token and kubeconfig (TESTBED.md §3.2), made with the Debian openssl in `<run>/pki`.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Paths of the generated credentials. */
export interface Pki {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly apiserverCert: string;
  readonly apiserverKey: string;
  readonly adminCert: string;
  readonly adminKey: string;
  readonly saKey: string;
  readonly saPub: string;
}

async function openssl(cwd: string, args: readonly string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (cause) {
    const stderr = (cause as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim()}`, { cause });
  }
}

/** Creates a CA, the apiserver's serving certificate, an admin client certificate and the SA key pair. */
export async function createPki(dir: string): Promise<Pki> {
  await mkdir(dir, { recursive: true });
  const days = ['-days', '2'];
  await openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    ...days,
    '-subj',
    '/CN=kusion-testbed-ca',
  ]);
  await Promise.all([
    (async () => {
      await openssl(dir, [
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'apiserver.key',
        '-out',
        'apiserver.csr',
        '-subj',
        '/CN=kube-apiserver',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc',
      ]);
      await openssl(dir, [
        'x509',
        '-req',
        '-in',
        'apiserver.csr',
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-set_serial',
        `0x${randomBytes(8).toString('hex')}`,
        ...days,
        '-copy_extensions',
        'copyall',
        '-out',
        'apiserver.crt',
      ]);
    })(),
    (async () => {
      await openssl(dir, [
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'admin.key',
        '-out',
        'admin.csr',
        '-subj',
        '/O=system:masters/CN=kusion-admin',
      ]);
      await openssl(dir, [
        'x509',
        '-req',
        '-in',
        'admin.csr',
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-set_serial',
        `0x${randomBytes(8).toString('hex')}`,
        ...days,
        '-out',
        'admin.crt',
      ]);
    })(),
    (async () => {
      await openssl(dir, ['genrsa', '-out', 'sa.key', '2048']);
      await openssl(dir, ['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
    })(),
  ]);
  const p = (f: string) => path.join(dir, f);
  return {
    dir,
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    apiserverCert: p('apiserver.crt'),
    apiserverKey: p('apiserver.key'),
    adminCert: p('admin.crt'),
    adminKey: p('admin.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
  };
}

/** Writes `tokens.csv` with one fresh token for `kusion-admin` in `system:masters`; returns the token. */
export async function writeTokenFile(file: string): Promise<string> {
  const token = randomBytes(24).toString('hex');
  await writeFile(file, `${token},kusion-admin,kusion-admin,"system:masters"\n`, { mode: 0o600 });
  return token;
}

/**
 * Writes a kubeconfig (JSON, which every kubeconfig reader accepts as YAML) with one cluster, a `token`
 * user (the current context) and a `cert` user, all paths absolute.
 */
export async function writeKubeconfig(file: string, server: string, pki: Pki, token: string): Promise<void> {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kusion-testbed', cluster: { server, 'certificate-authority': pki.caCert } }],
    users: [
      { name: 'token', user: { token } },
      { name: 'cert', user: { 'client-certificate': pki.adminCert, 'client-key': pki.adminKey } },
    ],
    contexts: [
      { name: 'kusion-testbed', context: { cluster: 'kusion-testbed', user: 'token' } },
      { name: 'kusion-testbed-cert', context: { cluster: 'kusion-testbed', user: 'cert' } },
    ],
    'current-context': 'kusion-testbed',
    preferences: {},
  };
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
}
