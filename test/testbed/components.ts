/**
 * Command lines of the cluster's components (TESTBED.md §3.3-3.5). Pure: no process is started here.
 */

/** Arguments for etcd on loopback ports, fsync off (a throwaway store). */
export function etcdArgs(dataDir: string, clientPort: number, peerPort: number): string[] {
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  return [
    '--name=kusion',
    `--data-dir=${dataDir}`,
    '--log-level=warn',
    '--unsafe-no-fsync',
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=kusion=${peer}`,
  ];
}

/** Inputs of {@link apiserverArgs}. */
export interface ApiserverArgsOptions {
  readonly etcdUrl: string;
  readonly etcdPrefix: string;
  readonly port: number;
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
  readonly tokenFile: string;
  readonly saPub: string;
  readonly saKey: string;
  /** A private apiserver has no controller-manager, so no `default` ServiceAccount appears. */
  readonly isPrivate: boolean;
}

/** Arguments for kube-apiserver bound to 127.0.0.1. */
export function apiserverArgs(o: ApiserverArgsOptions): string[] {
  const args = [
    `--etcd-servers=${o.etcdUrl}`,
    `--etcd-prefix=${o.etcdPrefix}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${o.port}`,
    `--tls-cert-file=${o.certFile}`,
    `--tls-private-key-file=${o.keyFile}`,
    `--client-ca-file=${o.caFile}`,
    `--token-auth-file=${o.tokenFile}`,
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${o.saPub}`,
    `--service-account-signing-key-file=${o.saKey}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--endpoint-reconciler-type=none',
    '--allow-privileged=true',
    '--enable-priority-and-fairness=false',
    '--profiling=false',
  ];
  if (o.isPrivate) args.push('--disable-admission-plugins=ServiceAccount');
  return args;
}

/** Arguments for kube-controller-manager (serving off, no leader election). */
export function controllerManagerArgs(kubeconfig: string, saKey: string, caFile: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    '--secure-port=0',
    '--leader-elect=false',
    '--use-service-account-credentials=false',
    `--service-account-private-key-file=${saKey}`,
    `--root-ca-file=${caFile}`,
  ];
}

/** Arguments for kube-scheduler (serving off, no leader election, no `--config`). */
export function schedulerArgs(kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    '--secure-port=0',
    '--leader-elect=false',
  ];
}

/** The annotation kwok manages Nodes by. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

/** Arguments for kwok: our Stage files, only annotated Nodes, no port opened. */
export function kwokArgs(kubeconfig: string, stages: readonly string[]): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    ...stages.map((s) => `--config=${s}`),
    '--manage-all-nodes=false',
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
    '--node-lease-duration-seconds=40',
    '--cidr=10.1.0.0/16',
  ];
}

/** A fake Node for kwok to manage. */
export function fakeNode(name: string): Record<string, unknown> {
  const resources = { cpu: '32', memory: '256Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        type: 'kwok',
      },
    },
    spec: {},
    status: { capacity: resources, allocatable: resources },
  };
}

/** Arguments for versitygw's posix backend with metadata in a sidecar directory. */
export function versitygwArgs(o: {
  port: number;
  accessKey: string;
  secretKey: string;
  metaDir: string;
  dataDir: string;
}): string[] {
  return [
    '--access',
    o.accessKey,
    '--secret',
    o.secretKey,
    '--port',
    `127.0.0.1:${o.port}`,
    '--health',
    '/health',
    'posix',
    '--sidecar',
    o.metaDir,
    o.dataDir,
  ];
}
