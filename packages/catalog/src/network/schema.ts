import { z } from 'zod';
import { PortNumber, StringMap } from '../shared/schema.js';

/** One exposed port of the workload. */
export const Port = z
  .strictObject({
    port: PortNumber.default(80).describe('Port the Service listens on.'),
    targetPort: PortNumber.optional().describe('Container port the traffic goes to; defaults to `port`.'),
    protocol: z.enum(['TCP', 'UDP']).default('TCP').describe('Transport protocol.'),
    public: z
      .boolean()
      .default(false)
      .describe('Expose through a LoadBalancer Service instead of the private ClusterIP Service.'),
  })
  .describe('A port of the workload.');

/** The port of a Service an Ingress backend sends to: exactly one of `number` or `name`. */
const ServiceBackendPort = z
  .xor([z.strictObject({ number: PortNumber }), z.strictObject({ name: z.string().min(1) })])
  .describe('Service port by `number` or `name`.');

/** An Ingress backend; without a service name it targets the private Service. */
export const IngressBackend = z
  .strictObject({
    service: z
      .strictObject({
        name: z.string().min(1).optional().describe("Service name; defaults to the app's private Service."),
        port: ServiceBackendPort.optional().describe('Defaults to the first private port.'),
      })
      .optional(),
    resource: z
      .strictObject({ apiGroup: z.string().optional(), kind: z.string().min(1), name: z.string().min(1) })
      .optional()
      .describe('An object of another kind instead of a Service.'),
  })
  .describe('Where matching requests go (Kubernetes `IngressBackend`); `{}` means the private Service.');

const IngressPath = z.strictObject({
  path: z.string().optional().describe('Path matched, e.g. `/api`.'),
  pathType: z.enum(['Exact', 'Prefix', 'ImplementationSpecific']).default('Prefix'),
  backend: IngressBackend,
});

const IngressRule = z
  .strictObject({
    host: z.string().optional().describe('Host matched, e.g. `shop.example.com`; all hosts when unset.'),
    http: z.strictObject({ paths: z.array(IngressPath).min(1) }).optional(),
  })
  .describe('A host rule (Kubernetes `IngressRule`).');

const IngressTls = z
  .strictObject({
    hosts: z.array(z.string()).optional(),
    secretName: z.string().optional().describe('Secret holding the certificate (`tls.crt`, `tls.key`).'),
  })
  .describe('TLS for some hosts (Kubernetes `IngressTLS`).');

/** An Ingress in Kubernetes shapes. */
export const Ingress = z
  .strictObject({
    rules: z.array(IngressRule).optional(),
    tls: z.array(IngressTls).optional(),
    defaultBackend: IngressBackend.optional().describe('Backend for requests no rule matches.'),
    ingressClassName: z.string().optional().describe("Ingress class; defaults to the workspace's value."),
    labels: StringMap.optional(),
    annotations: StringMap.optional(),
  })
  .describe('An Ingress `<P>-<S>-<A>` routing HTTP to the workload.');

/** Developer inputs of the `network` module (SPEC §6.3). */
export const NetworkInput = z.strictObject({
  ports: z.array(Port).default([]).describe('Ports of the workload, in order.'),
  ingress: Ingress.optional(),
});
/** Developer inputs of the `network` module, as written in an AppConfiguration. */
export type NetworkInput = z.input<typeof NetworkInput>;

/** Platform inputs of the `network` module, from the workspace. */
export const NetworkPlatform = z.strictObject({
  port: z
    .strictObject({
      type: z
        .enum(['aws', 'alicloud', 'generic'])
        .describe('Load balancer flavour: `aws` and `alicloud` add their provider annotations.'),
      labels: StringMap.optional().describe('Labels of the public Service.'),
      annotations: StringMap.optional().describe(
        'Annotations of the public Service; win over the provider ones.',
      ),
    })
    .optional()
    .describe('How public ports are exposed; required when a port is public.'),
  ingressClassName: z.string().optional().describe('Ingress class used when the developer names none.'),
});
/** Platform inputs of the `network` module, as written in a workspace. */
export type NetworkPlatform = z.input<typeof NetworkPlatform>;
