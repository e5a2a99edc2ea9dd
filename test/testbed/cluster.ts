/**
 * Starts the Kubernetes control plane of a run: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler, kwok and two fake Nodes (TESTBED.md §3.3-3.6).
 */
import { readFile } from 'node:fs/promises';
import {
  apiserverArgs,
  controllerManagerArgs,
  etcdArgs,
  fakeNode,
  kwokArgs,
  schedulerArgs,
} from './components.js';
import { type ApiTarget, FatalProbeError, pollUntil, request, requestOk } from './http.js';
import type { TestbedManifest } from './manifest.js';
import type { Pki } from './pki.js';
import { freePorts } from './ports.js';
import { type Child, type RunDir, tailFile } from './processes.js';

/** Names of the fake Nodes. */
export const NODE_NAMES = ['kwok-node-0', 'kwok-node-1'] as const;

/** A failed start step; carries the tail of the relevant log. */
export class StartError extends FatalProbeError {
  override name = 'StartError';
  readonly step: string;
  constructor(step: string, message: string, options?: ErrorOptions) {
    super(`testbed: ${step}: ${message}`, options);
    this.step = step;
  }
}

async function failure(step: string, child: Child | undefined, error: unknown): Promise<StartError> {
  const reason = error instanceof Error ? error.message : String(error);
  const exit = child?.exit
    ? ` (${child.record.name} exited: code ${child.exit.code}, signal ${child.exit.signal})`
    : '';
  const log = child
    ? `\n--- last 30 lines of ${child.record.log} ---\n${await tailFile(child.record.log)}`
    : '';
  return new StartError(step, `${reason}${exit}${log}`, { cause: error });
}

/**
 * Waits until `probe` is true, failing at once if `child` exits. Throws a {@link StartError} naming the step.
 */
export async function waitStep(
  step: string,
  child: Child | undefined,
  probe: () => Promise<boolean>,
  signal: AbortSignal,
): Promise<void> {
  try {
    await pollUntil(
      step,
      async () => {
        if (child?.exit) throw new ExitedError();
        return probe();
      },
      AbortSignal.any([signal, ...(child ? [exitSignal(child)] : [])]),
    );
  } catch (e) {
    throw await failure(step, child, e);
  }
}

class ExitedError extends FatalProbeError {
  constructor() {
    super('the process exited');
  }
}

function exitSignal(child: Child): AbortSignal {
  const controller = new AbortController();
  if (child.exit) controller.abort(new ExitedError());
  else child.process?.once('exit', () => controller.abort(new ExitedError()));
  return controller.signal;
}

async function addressInUse(child: Child): Promise<boolean> {
  const text = await readFile(child.record.log, 'utf8').catch(() => '');
  return /address already in use/i.test(text);
}

/**
 * Starts a server on fresh ports, retrying on new ones (three times at most) when it exits with
 * "address already in use" before `ready` holds.
 */
export async function startWithPortRetry<T>(
  step: string,
  portCount: number,
  start: (
    ports: number[],
    attempt: number,
  ) => Promise<{ child: Child; ready: () => Promise<boolean>; value: T }>,
  run: RunDir,
  signal: AbortSignal,
): Promise<{ child: Child; value: T }> {
  for (let attempt = 1; ; attempt++) {
    const ports = await freePorts(portCount);
    const { child, ready, value } = await start(ports, attempt);
    try {
      await waitStep(step, child, ready, signal);
      return { child, value };
    } catch (e) {
      if (attempt < 3 && child.exit && (await addressInUse(child))) {
        await run.stop(child);
        continue;
      }
      throw e;
    }
  }
}

/** Facts about a started etcd. */
export interface Etcd {
  readonly url: string;
  readonly child: Child;
}

/** Starts etcd and waits for `/health` to report `{"health":"true"}`. */
export async function startEtcd(
  run: RunDir,
  m: TestbedManifest,
  detached: boolean,
  signal: AbortSignal,
): Promise<Etcd> {
  const { child, value } = await startWithPortRetry(
    'etcd /health',
    2,
    async ([client, peer], attempt) => {
      const url = `http://127.0.0.1:${client}`;
      const child = await run.spawn(
        attempt === 1 ? 'etcd' : `etcd-${attempt}`,
        m.etcd.bin,
        etcdArgs(run.path(`etcd-${attempt}`), client ?? 0, peer ?? 0),
        { detached },
      );
      const ready = async () => {
        const res = await request({ url }, '/health', { signal, timeoutMs: 2_000 });
        const body = res.body as { health?: unknown };
        return res.status === 200 && body.health === 'true';
      };
      return { child, ready, value: url };
    },
    run,
    signal,
  );
  return { url: value, child };
}

/** Inputs of {@link startApiserver}. */
export interface ApiserverOptions {
  readonly name: string;
  readonly etcdUrl: string;
  readonly etcdPrefix: string;
  readonly pki: Pki;
  readonly tokenFile: string;
  readonly token: string;
  readonly isPrivate: boolean;
  readonly detached: boolean;
}

/** A started apiserver. */
export interface Apiserver {
  readonly url: string;
  readonly child: Child;
  readonly target: ApiTarget;
}

/** Starts kube-apiserver and waits for `/readyz` to return 200. */
export async function startApiserver(
  run: RunDir,
  m: TestbedManifest,
  o: ApiserverOptions,
  signal: AbortSignal,
): Promise<Apiserver> {
  const ca = await readFile(o.pki.caCert);
  const { child, value } = await startWithPortRetry(
    `${o.name} /readyz`,
    1,
    async ([port], attempt) => {
      const url = `https://127.0.0.1:${port}`;
      const args = apiserverArgs({
        etcdUrl: o.etcdUrl,
        etcdPrefix: o.etcdPrefix,
        port: port ?? 0,
        certFile: o.pki.apiserverCert,
        keyFile: o.pki.apiserverKey,
        caFile: o.pki.caCert,
        tokenFile: o.tokenFile,
        saPub: o.pki.saPub,
        saKey: o.pki.saKey,
        isPrivate: o.isPrivate,
      });
      const child = await run.spawn(
        attempt === 1 ? o.name : `${o.name}-${attempt}`,
        m.kubernetes.kubeApiserver,
        args,
        {
          detached: o.detached,
        },
      );
      const target: ApiTarget = { url, ca, token: o.token };
      const ready = async () =>
        (await request(target, '/readyz', { signal, timeoutMs: 2_000 })).status === 200;
      return { child, ready, value: target };
    },
    run,
    signal,
  );
  return { url: value.url, child, target: value };
}

/** Starts controller-manager, scheduler and kwok, creates the fake Nodes and waits for them (§3.5-3.6). */
export async function startWorkers(
  run: RunDir,
  m: TestbedManifest,
  api: ApiTarget,
  o: { kubeconfig: string; pki: Pki; detached: boolean },
  signal: AbortSignal,
): Promise<void> {
  const kcm = await run.spawn(
    'kube-controller-manager',
    m.kubernetes.kubeControllerManager,
    controllerManagerArgs(o.kubeconfig, o.pki.saKey, o.pki.caCert),
    { detached: o.detached },
  );
  const scheduler = await run.spawn(
    'kube-scheduler',
    m.kubernetes.kubeScheduler,
    schedulerArgs(o.kubeconfig),
    {
      detached: o.detached,
    },
  );
  const kwok = await run.spawn('kwok', m.kwok.bin, kwokArgs(o.kubeconfig, m.kwok.stages), {
    detached: o.detached,
  });
  for (const name of NODE_NAMES) {
    const res = await request(api, '/api/v1/nodes', { method: 'POST', body: fakeNode(name), signal });
    if (res.status !== 201 && res.status !== 409) {
      throw await failure(`create Node ${name}`, undefined, new Error(`HTTP ${res.status}: ${res.text}`));
    }
  }
  const alive = async (...children: Child[]) => {
    const dead = children.find((c) => c.exit);
    if (dead) throw await failure(`${dead.record.name} running`, dead, new Error('exited early'));
  };
  await waitStep(
    'fake Nodes Ready (kwok)',
    kwok,
    async () => {
      await alive(kcm, scheduler);
      for (const name of NODE_NAMES) {
        const node = (await requestOk(api, `/api/v1/nodes/${name}`, { signal })) as NodeLike;
        const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
        if (ready?.status !== 'True') return false;
      }
      return true;
    },
    signal,
  );
  await waitStep(
    'default ServiceAccount (kube-controller-manager)',
    kcm,
    async () => {
      await alive(scheduler, kwok);
      const res = await request(api, '/api/v1/namespaces/default/serviceaccounts/default', { signal });
      return res.status === 200;
    },
    signal,
  );
}

interface NodeLike {
  status?: { conditions?: { type?: string; status?: string }[] };
}
