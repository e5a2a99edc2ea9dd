/**
 * network-policy: a module a platform team writes and owns. App developers say which namespaces may call
 * their app; the platform decides which namespaces may always call every app (monitoring, ingress) and
 * whether the rest of the namespace is shut out. The result is one NetworkPolicy for the app's pods.
 */
import {
  accessoryInstanceName,
  appLabels,
  defineModule,
  kubernetesResource,
  selectorLabels,
} from '@kusion/module-sdk';
import { z } from 'zod';

const namespaceName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a namespace name');

/** What app developers write in main.yaml under this accessory. */
export const DeveloperInputs = z.strictObject({
  allowFrom: z
    .array(namespaceName)
    .default([])
    .describe('namespaces whose pods may call this app, besides the platform ones'),
  ports: z
    .array(z.number().int().min(1).max(65535))
    .default([])
    .describe('container ports the policy opens; empty opens every port'),
});

/** What platform engineers set in the workspace under modules.network-policy.configs. */
export const PlatformInputs = z.strictObject({
  alwaysAllowFrom: z
    .array(namespaceName)
    .default([])
    .describe('namespaces that may call every app in this environment (monitoring, ingress controllers)'),
  allowSameNamespace: z
    .boolean()
    .default(true)
    .describe('whether pods of the app namespace may call the app'),
});

type Developer = z.output<typeof DeveloperInputs>;
type Platform = z.output<typeof PlatformInputs>;

/** A pure function of its request: same request, same bytes. No clock, randomness, network or env. */
export default defineModule<Developer, Platform>({
  name: 'network-policy',
  version: '0.1.0',
  developerSchema: DeveloperInputs,
  platformSchema: PlatformInputs,
  generate(req) {
    const name = accessoryInstanceName(req, 'network-policy');
    const namespaces = [...new Set([...req.platform.alwaysAllowFrom, ...req.inputs.allowFrom])].sort();
    const from: object[] = namespaces.map((ns) => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
    }));
    if (req.platform.allowSameNamespace) from.push({ podSelector: {} });
    const ports = [...new Set(req.inputs.ports)]
      .sort((a, b) => a - b)
      .map((port) => ({ protocol: 'TCP', port }));
    const policy = kubernetesResource({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: req.namespace, labels: appLabels(req) },
      spec: {
        podSelector: { matchLabels: selectorLabels(req) },
        policyTypes: ['Ingress'],
        ingress: [{ from, ...(ports.length > 0 ? { ports } : {}) }],
      },
    });
    return {
      resources: [policy],
      // Marks the pods, so `kubectl get pods -l acme.io/network-policy` shows which apps are fenced.
      patcher: { podLabels: { 'acme.io/network-policy': name } },
      outputs: { policy: name },
    };
  },
});
