import type { JsonObject, Resource, Spec } from '../model/index.js';

/**
 * Realistic specs for policy tests and the benchmark: what the catalog's `service`, `network` and
 * `postgres` (cloud: aws) modules generate for an app, trimmed to the fields guardrails look at.
 */

export interface WebAppOptions {
  readonly app?: string;
  readonly namespace?: string;
  readonly image?: string;
  readonly replicas?: number;
  /** Pod-level security context; absent by default, as the catalog's service module generates. */
  readonly securityContext?: JsonObject;
  readonly containerSecurityContext?: JsonObject;
  readonly limits?: JsonObject | null;
  readonly hostPath?: boolean;
  readonly loadBalancerFrom?: 'network' | 'k8s-manifest';
}

const source = (app: string, owner: string, module: string) => `${app}/${owner}/${module}@0.1.0`;

/** A Deployment (service module), its private Service (network module) and their Namespace. */
export function webApp(options: WebAppOptions = {}): Resource[] {
  const app = options.app ?? 'web';
  const ns = options.namespace ?? 'shop';
  const name = `shop-prod-${app}`;
  const container: JsonObject = {
    name: 'main',
    image: options.image ?? 'ghcr.io/acme/web:1.4.2',
    ports: [{ containerPort: 8080 }],
    ...(options.limits === null
      ? {}
      : {
          resources: {
            limits: options.limits ?? { cpu: '500m', memory: '256Mi' },
            requests: { cpu: '250m' },
          },
        }),
    ...(options.containerSecurityContext ? { securityContext: options.containerSecurityContext } : {}),
  };
  const pod: JsonObject = {
    containers: [container],
    ...(options.securityContext ? { securityContext: options.securityContext } : {}),
    ...(options.hostPath ? { volumes: [{ name: 'host-logs', hostPath: { path: '/var/log' } }] } : {}),
  };
  const resources: Resource[] = [
    {
      id: `apps/v1:Deployment:${ns}:${name}`,
      type: 'Kubernetes',
      attributes: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/name': app } },
        spec: {
          replicas: options.replicas ?? 2,
          selector: { matchLabels: { 'app.kubernetes.io/name': app } },
          template: { metadata: { labels: { 'app.kubernetes.io/name': app } }, spec: pod },
        },
      },
      dependsOn: [`v1:Namespace:${ns}`],
      extensions: { 'kusion.io/is-workload': true, 'kusion.io/source': source(app, 'workload', 'service') },
    },
    {
      id: `v1:Service:${ns}:${name}-private`,
      type: 'Kubernetes',
      attributes: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `${name}-private`, namespace: ns },
        spec: { type: 'ClusterIP', ports: [{ port: 80, targetPort: 8080 }] },
      },
      dependsOn: [`v1:Namespace:${ns}`],
      extensions: { 'kusion.io/source': source(app, 'net', 'network') },
    },
  ];
  if (options.loadBalancerFrom)
    resources.push({
      id: `v1:Service:${ns}:${name}-public`,
      type: 'Kubernetes',
      attributes: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `${name}-public`, namespace: ns },
        spec: { type: 'LoadBalancer', ports: [{ port: 443, targetPort: 8080 }] },
      },
      dependsOn: [`v1:Namespace:${ns}`],
      extensions: {
        'kusion.io/source': source(
          app,
          options.loadBalancerFrom === 'network' ? 'net' : 'raw',
          options.loadBalancerFrom,
        ),
      },
    });
  return resources;
}

/** The Namespace the core adds for a stack. */
export function namespace(ns = 'shop'): Resource {
  return {
    id: `v1:Namespace:${ns}`,
    type: 'Kubernetes',
    attributes: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
  };
}

/** The aws_db_instance of the postgres module (cloud: aws). */
export function awsDatabase(options: { app?: string; publiclyAccessible?: boolean } = {}): Resource {
  const app = options.app ?? 'web';
  const name = `shop-prod-${app}-postgres`;
  return {
    id: `hashicorp:aws:aws_db_instance:${name}`,
    type: 'Terraform',
    attributes: {
      identifier: name,
      engine: 'postgres',
      engine_version: '16',
      instance_class: 'db.t3.micro',
      allocated_storage: 20,
      publicly_accessible: options.publiclyAccessible ?? false,
      password: `$kusion_path.hashicorp:random:random_password:${name}.result`,
    },
    extensions: {
      provider: 'registry.terraform.io/hashicorp/aws/5.0.0',
      resourceType: 'aws_db_instance',
      'kusion.io/source': source(app, 'postgres', 'postgres'),
    },
  };
}

/** A spec of these resources, sorted by ID like generate's output. */
export function specOf(resources: readonly Resource[]): Spec {
  return {
    resources: [...resources].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    secretStore: null,
    context: {},
    outputs: {},
  };
}
