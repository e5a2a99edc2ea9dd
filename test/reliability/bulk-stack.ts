/**
 * A stack of exactly 300 cheap Kubernetes resources for apply-level reliability tests, rewritable per
 * "generation" so every apply has work to do: a CronJob workload (ready on apply, never fires) plus a
 * `k8s-manifest` accessory with ConfigMaps, Secrets and Services across three namespaces. Every generation
 * updates all of them (a label and their data) and swaps 20 ConfigMaps for 20 new ones, so each apply
 * creates, updates and deletes. One namespace (`outside`) is not part of the stack: `kusion destroy` does not
 * delete it, so anything left in it afterwards is a real orphan, not swept by namespace deletion.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ApiTarget, request } from '../testbed/index.js';

export const resourceCount = 300;
/** Objects replaced by new names in each generation. */
const perGeneration = 20;
/** The label every object of the stack carries: what the live checks select on. */
export const stackLabel = 'kusion.test/stack';

/** The stack's namespaces: the target (core-emitted), one from the manifests, one outside the stack. */
export interface BulkNamespaces {
  readonly target: string;
  readonly owned: string;
  readonly outside: string;
}

/** The namespaces of a project; `outside` must exist before the first apply. */
export function bulkNamespaces(project: string, outside: string): BulkNamespaces {
  return { target: project, owned: `${project}-b`, outside };
}

interface Manifest {
  readonly kind: 'ConfigMap' | 'Secret' | 'Service';
  readonly namespace: string;
  readonly name: string;
}

const base = resourceCount - 3 - perGeneration; // the core Namespace, the owned Namespace, the CronJob

function manifests(ns: BulkNamespaces, generation: number): Manifest[] {
  const spread = [ns.target, ns.owned, ns.outside];
  const kinds = ['ConfigMap', 'Secret', 'Service'] as const;
  return [
    ...Array.from({ length: base }, (_, i) => ({
      kind: kinds[i % 3] ?? 'ConfigMap',
      namespace: spread[Math.floor(i / 3) % 3] ?? ns.target,
      name: `base-${i}`,
    })),
    ...Array.from({ length: perGeneration }, (_, i) => ({
      kind: 'ConfigMap' as const,
      namespace: spread[i % 3] ?? ns.target,
      name: `gen-${generation}-${i}`,
    })),
  ];
}

function document(m: Manifest, labels: Record<string, string>, generation: number): string {
  const metadata = JSON.stringify({ name: m.name, namespace: m.namespace, labels });
  const payload = `generation ${generation} of ${m.name}`;
  switch (m.kind) {
    case 'ConfigMap':
      return `apiVersion: v1\nkind: ConfigMap\nmetadata: ${metadata}\ndata: {payload: "${payload}"}\n`;
    case 'Secret':
      return `apiVersion: v1\nkind: Secret\nmetadata: ${metadata}\ntype: Opaque\ndata: {token: ${Buffer.from(payload).toString('base64')}}\n`;
    case 'Service':
      return `apiVersion: v1\nkind: Service\nmetadata: ${metadata}\nspec: {type: ClusterIP, selector: {app: ${m.name}}, ports: [{port: 80, targetPort: 8080}]}\n`;
  }
}

/** Rewrites the stack directory's `main.yaml` and manifests for `generation`; returns the resource IDs. */
export async function writeBulkStack(
  stackDir: string,
  project: string,
  ns: BulkNamespaces,
  generation: number,
): Promise<string[]> {
  const labels = { [stackLabel]: project, 'kusion.test/generation': String(generation) };
  const objects = manifests(ns, generation);
  const owned = `apiVersion: v1\nkind: Namespace\nmetadata: ${JSON.stringify({ name: ns.owned, labels })}\n`;
  await mkdir(join(stackDir, 'manifests'), { recursive: true });
  await writeFile(
    join(stackDir, 'manifests', 'objects.yaml'),
    [owned, ...objects.map((m) => document(m, labels, generation))].join('---\n'),
  );
  await writeFile(
    join(stackDir, 'main.yaml'),
    `bulk:
  workload:
    module: job
    schedule: "0 0 1 1 *"
    containers: {main: {image: busybox:1.36, command: ["true"]}}
  accessories:
    objects: {module: k8s-manifest, paths: [manifests/objects.yaml]}
  labels: ${JSON.stringify(labels)}
`,
  );
  const ids = [
    `v1:Namespace:${ns.target}`,
    `v1:Namespace:${ns.owned}`,
    `batch/v1:CronJob:${ns.target}:${project}-default-bulk`,
    ...objects.map((m) => `v1:${m.kind}:${m.namespace}:${m.name}`),
  ];
  if (ids.length !== resourceCount) throw new Error(`bulk stack has ${ids.length} resources`);
  return ids;
}

/**
 * The project's `workspace.yaml`: built-in modules, and a client rate limit above the default 50 qps, which
 * would otherwise make every 300-resource apply take many seconds against a loopback apiserver.
 */
export async function writeBulkWorkspace(projectDir: string): Promise<void> {
  await writeFile(
    join(projectDir, 'workspace.yaml'),
    'modules: {}\nruntimes: {kubernetes: {qps: 1000, burst: 1000}}\n',
  );
}

/** A live object of the stack, as the checks compare it with state. */
export interface LiveObject {
  readonly uid: string;
  readonly resourceVersion: string;
  readonly isTerminating: boolean;
}

interface ObjectMeta {
  readonly name: string;
  readonly uid: string;
  readonly resourceVersion: string;
  readonly deletionTimestamp?: string;
  readonly labels?: Record<string, string>;
}

async function getJson(api: ApiTarget, path: string): Promise<{ status: number; body: unknown }> {
  const res = await request(api, path, { timeoutMs: 15_000 });
  if (res.status !== 200 && res.status !== 404)
    throw new Error(`GET ${path}: HTTP ${res.status}: ${res.text.slice(0, 300)}`);
  return res;
}

const listed = [
  { id: 'v1:ConfigMap', path: 'api/v1', plural: 'configmaps' },
  { id: 'v1:Secret', path: 'api/v1', plural: 'secrets' },
  { id: 'v1:Service', path: 'api/v1', plural: 'services' },
  { id: 'batch/v1:CronJob', path: 'apis/batch/v1', plural: 'cronjobs' },
];

/**
 * Every live object of the stack by resource ID: the stack's namespaces (by name) and every object carrying
 * the stack label in any of the three namespaces.
 */
export async function liveObjects(
  api: ApiTarget,
  project: string,
  ns: BulkNamespaces,
): Promise<Map<string, LiveObject>> {
  const found = new Map<string, LiveObject>();
  const record = (id: string, meta: ObjectMeta) =>
    found.set(id, {
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      isTerminating: meta.deletionTimestamp !== undefined,
    });
  const selector = encodeURIComponent(`${stackLabel}=${project}`);
  await Promise.all([
    ...[ns.target, ns.owned].map(async (name) => {
      const res = await getJson(api, `/api/v1/namespaces/${name}`);
      if (res.status === 200) record(`v1:Namespace:${name}`, (res.body as { metadata: ObjectMeta }).metadata);
    }),
    ...[ns.target, ns.owned, ns.outside].flatMap((namespace) =>
      listed.map(async (kind) => {
        const res = await getJson(
          api,
          `/${kind.path}/namespaces/${namespace}/${kind.plural}?labelSelector=${selector}`,
        );
        const items = res.status === 200 ? (res.body as { items: { metadata: ObjectMeta }[] }).items : [];
        for (const item of items) record(`${kind.id}:${namespace}:${item.metadata.name}`, item.metadata);
      }),
    ),
  ]);
  return found;
}
