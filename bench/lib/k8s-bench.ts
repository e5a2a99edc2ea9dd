/**
 * The Kubernetes side of bench/apply.ts: the objects, the raw bound (a minimal concurrent server-side-apply
 * loop over plain https, one keep-alive agent, no client library) and the settling between measurements.
 * Only Node built-ins.
 */
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';

export interface ApiServer {
  readonly url: string;
  readonly token: string;
  readonly ca: Buffer;
}

export type Manifest = {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: object };
} & Record<string, unknown>;

/** The label every namespace of a measurement carries, to settle and clean up by selector. */
export const RUN_LABEL = 'kusion.bench/run';

/**
 * `objects` objects over `namespaces` namespaces named `<prefix>-NN`, kinds in turn ConfigMap, Deployment,
 * Service (a Service selects the Deployment before it). Namespaces come first in the list. `replicas`
 * defaults to 0: with 1, the testbed's controller-manager (20 QPS) and kwok needed minutes under load to make
 * 333 Deployments Available, churn that would have overlapped the next measurement; the API work of
 * applying a Deployment is the same either way.
 */
export function benchManifests(
  prefix: string,
  namespaces: number,
  objects: number,
  replicas = 0,
): Manifest[] {
  const names = Array.from({ length: namespaces }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);
  const out: Manifest[] = names.map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { [RUN_LABEL]: prefix } },
  }));
  for (let i = 0; i < objects; i++) {
    const namespace = names[i % namespaces] as string;
    const app = `app-${String(Math.floor(i / 3)).padStart(4, '0')}`;
    const labels = { app };
    switch (i % 3) {
      case 0:
        out.push({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `${app}-config`, namespace, labels },
          data: { 'app.properties': `name=${app}\nreplicas=1\n`, LOG_LEVEL: 'info' },
        });
        break;
      case 1:
        out.push({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: app, namespace, labels },
          spec: {
            replicas,
            selector: { matchLabels: labels },
            template: {
              metadata: { labels },
              spec: {
                containers: [
                  {
                    name: 'main',
                    image: 'nginx:1.27',
                    ports: [{ containerPort: 8080 }],
                    envFrom: [{ configMapRef: { name: `${app}-config` } }],
                  },
                ],
              },
            },
          },
        });
        break;
      default:
        out.push({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: app, namespace, labels },
          // Headless: the testbed's service range (a /24) could not hold 333 cluster IPs per contender.
          spec: { clusterIP: 'None', selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
        });
    }
  }
  return out;
}

/**
 * A Kubernetes-only spec of the manifests as `kusion generate` writes one (no YAML anchors for repeated
 * objects, no folded lines): IDs by scope, each namespaced object depending on its Namespace.
 */
export function specText(manifests: readonly Manifest[]): string {
  const idOf = (m: Manifest) =>
    [m.apiVersion, m.kind, m.metadata.namespace, m.metadata.name].filter((p) => p !== undefined).join(':');
  const spec = {
    resources: manifests.map((m) => ({
      id: idOf(m),
      type: 'Kubernetes',
      attributes: m,
      ...(m.metadata.namespace ? { dependsOn: [`v1:Namespace:${m.metadata.namespace}`] } : {}),
    })),
    secretStore: null,
    context: {},
    outputs: {},
  };
  return stringify(spec, { aliasDuplicateObjects: false, lineWidth: 0 });
}

const plural: Record<string, string> = {
  Namespace: 'namespaces',
  ConfigMap: 'configmaps',
  Deployment: 'deployments',
  Service: 'services',
};

/** The REST path of a manifest (the four kinds above; no discovery, which is what makes it minimal). */
export function pathOf(m: Manifest): string {
  const group = m.apiVersion.includes('/') ? `/apis/${m.apiVersion}` : `/api/${m.apiVersion}`;
  const ns = m.metadata.namespace ? `/namespaces/${m.metadata.namespace}` : '';
  return `${group}${ns}/${plural[m.kind]}/${m.metadata.name}`;
}

/** One HTTP request; resolves with status and body, rejects on connection errors. */
export function call(
  api: ApiServer,
  agent: Agent,
  method: string,
  path: string,
  body?: { readonly type: string; readonly text: string },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, api.url),
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${api.token}`,
          accept: 'application/json',
          ...(body ? { 'content-type': body.type } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body?.text);
  });
}

export const keepAliveAgent = (api: ApiServer, sockets: number): Agent =>
  new Agent({ ca: api.ca, keepAlive: true, maxSockets: sockets });

/**
 * The raw bound: every manifest server-side applied with `parallelism` requests in flight (namespaces first,
 * then the rest), one keep-alive connection per worker. With `dryRun`, nothing is stored. Returns wall ms.
 */
export async function rawApply(
  api: ApiServer,
  manifests: readonly Manifest[],
  options: { parallelism: number; fieldManager: string; dryRun?: boolean },
): Promise<number> {
  const agent = keepAliveAgent(api, options.parallelism);
  const query = `?fieldManager=${options.fieldManager}&force=true${options.dryRun ? '&dryRun=All' : ''}`;
  const start = performance.now();
  const run = async (batch: readonly Manifest[]) => {
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const m = batch[next++] as Manifest;
        const res = await call(api, agent, 'PATCH', pathOf(m) + query, {
          type: 'application/apply-patch+yaml',
          text: JSON.stringify(m),
        });
        if (res.status >= 300) throw new Error(`raw apply ${pathOf(m)}: ${res.status} ${res.text}`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.parallelism, batch.length) }, worker));
  };
  await run(manifests.filter((m) => m.kind === 'Namespace'));
  await run(manifests.filter((m) => m.kind !== 'Namespace'));
  const wall = performance.now() - start;
  agent.destroy();
  return wall;
}

/** Polls until `probe` holds or `timeoutMs` passes; returns the ms it took. */
async function until(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<number> {
  const start = performance.now();
  while (!(await probe())) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
  return performance.now() - start;
}

/** Waits until every Deployment in the namespaces of `prefix` is Available (kwok makes pods Ready). */
export async function waitAvailable(api: ApiServer, prefix: string, namespaces: number, timeoutMs = 600_000) {
  const agent = keepAliveAgent(api, 4);
  try {
    return await until(`Deployments of ${prefix} to be available`, timeoutMs, async () => {
      for (let i = 0; i < namespaces; i++) {
        const ns = `${prefix}-${String(i).padStart(2, '0')}`;
        const res = await call(api, agent, 'GET', `/apis/apps/v1/namespaces/${ns}/deployments`);
        const items = (
          JSON.parse(res.text) as {
            items: { spec: { replicas: number }; status?: { availableReplicas?: number } }[];
          }
        ).items;
        if (items.some((d) => (d.status?.availableReplicas ?? 0) < d.spec.replicas)) return false;
      }
      return true;
    });
  } finally {
    agent.destroy();
  }
}

/**
 * Deletes the namespaces of `prefix` (all bench namespaces when undefined) and waits until they are gone,
 * so the next measurement starts quiet.
 */
export async function deleteRun(api: ApiServer, prefix?: string, timeoutMs = 600_000): Promise<number> {
  const agent = keepAliveAgent(api, 4);
  const label = prefix === undefined ? RUN_LABEL : `${RUN_LABEL}=${prefix}`;
  const selector = `/api/v1/namespaces?labelSelector=${encodeURIComponent(label)}`;
  try {
    const list = JSON.parse((await call(api, agent, 'GET', selector)).text) as {
      items: { metadata: { name: string } }[];
    };
    for (const ns of list.items) await call(api, agent, 'DELETE', `/api/v1/namespaces/${ns.metadata.name}`);
    return await until(`namespaces of ${prefix} to go`, timeoutMs, async () => {
      const left = JSON.parse((await call(api, agent, 'GET', selector)).text) as { items: unknown[] };
      return left.items.length === 0;
    });
  } finally {
    agent.destroy();
  }
}
