import { assertDeterministic, testRequest } from '@kusion/module-sdk/testing';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import network from './index.js';
import type { NetworkInput, NetworkPlatform } from './schema.js';

const request = (inputs: NetworkInput, platform: NetworkPlatform = {}) =>
  testRequest<NetworkInput, NetworkPlatform>({ role: 'accessory', accessory: 'net', inputs, platform });

type Service = {
  metadata: { name: string; annotations?: Record<string, string>; labels: Record<string, string> };
  spec: { type: string; selector: Record<string, string>; ports: unknown[] };
};

describe('network', () => {
  it('generates private and public Services and an Ingress (golden)', async () => {
    // given private and public ports and an ingress whose backend names no Service
    const inputs: NetworkInput = {
      ports: [
        { port: 80, targetPort: 8080 },
        { port: 9090, protocol: 'UDP' },
        { port: 443, targetPort: 8443, public: true },
      ],
      ingress: {
        rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', backend: {} }] } }],
        tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
        annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' },
      },
    };
    const platform: NetworkPlatform = {
      port: { type: 'aws', labels: { exposure: 'internet' } },
      ingressClassName: 'nginx',
    };
    // when generated twice
    const result = await assertDeterministic(network, request(inputs, platform));
    // then
    await expect(stringify(result, { lineWidth: 0 })).toMatchFileSnapshot(
      './__snapshots__/network.yaml.snap',
    );
  });

  it('exposes public ports through a LoadBalancer Service with the aws annotation', async () => {
    // given one public port and an aws workspace
    const result = await network.generate(
      request({ ports: [{ port: 443, public: true }] }, { port: { type: 'aws' } }),
    );
    // then only the public Service exists, selecting all three catalog labels
    expect(result.resources.map((r) => r.id)).toEqual(['v1:Service:shop:shop-prod-web-public']);
    const svc = result.resources[0]?.attributes as unknown as Service;
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
    });
    expect(svc.spec.selector).toEqual({
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/name': 'web',
      'app.kubernetes.io/instance': 'shop-prod-web',
    });
    expect(svc.spec.ports).toEqual([{ name: 'tcp-443', port: 443, targetPort: 443, protocol: 'TCP' }]);
    expect(result.outputs).toEqual({});
  });

  it('adds the alicloud annotation, none for generic, and lets platform annotations win', async () => {
    const annotations = async (platform: NetworkPlatform) => {
      const result = await network.generate(request({ ports: [{ port: 80, public: true }] }, platform));
      return (result.resources[0]!.attributes as unknown as Service).metadata.annotations;
    };
    expect(await annotations({ port: { type: 'alicloud' } })).toEqual({
      'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec': 'slb.s1.small',
    });
    expect(await annotations({ port: { type: 'generic' } })).toBeUndefined();
    expect(
      await annotations({
        port: {
          type: 'aws',
          annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' },
        },
      }),
    ).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' });
  });

  it('defaults port to 80, targetPort to port, and publishes privateHost', async () => {
    const result = await network.generate(request({ ports: [{}] }));
    const svc = result.resources[0]?.attributes as unknown as Service;
    expect(svc.metadata.name).toBe('shop-prod-web-private');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'tcp-80', port: 80, targetPort: 80, protocol: 'TCP' }]);
    expect(result.outputs).toEqual({ privateHost: 'shop-prod-web-private.shop.svc' });
  });

  it('emits nothing without ports or ingress', async () => {
    expect(await network.generate(request({}))).toEqual({ resources: [], outputs: {} });
  });

  it('refuses public ports without the platform port type, and duplicate ports', async () => {
    await expect(async () =>
      network.generate(request({ ports: [{ port: 80, public: true }] })),
    ).rejects.toThrow('network: public ports need the platform input port.type');
    await expect(async () =>
      network.generate(request({ ports: [{ port: 80 }, { port: 80, targetPort: 81 }] })),
    ).rejects.toThrow('network: private port 80/TCP is listed twice');
  });

  it('resolves ingress backends: private Service by default, named Services as given', async () => {
    // given a default backend without port, a path to another Service and a path to the private Service on a port
    const inputs: NetworkInput = {
      ports: [{ port: 80, targetPort: 8080 }, { port: 8081 }],
      ingress: {
        defaultBackend: {},
        rules: [
          {
            http: {
              paths: [
                {
                  path: '/api',
                  pathType: 'Exact',
                  backend: { service: { name: 'api', port: { name: 'http' } } },
                },
                { path: '/admin', backend: { service: { port: { number: 8081 } } } },
              ],
            },
          },
        ],
      },
    };
    // when
    const result = await network.generate(request(inputs));
    const ingress = result.resources.find((r) => r.id === 'networking.k8s.io/v1:Ingress:shop:shop-prod-web');
    // then
    expect(ingress?.attributes['spec']).toEqual({
      defaultBackend: { service: { name: 'shop-prod-web-private', port: { number: 80 } } },
      rules: [
        {
          http: {
            paths: [
              {
                path: '/api',
                pathType: 'Exact',
                backend: { service: { name: 'api', port: { name: 'http' } } },
              },
              {
                path: '/admin',
                pathType: 'Prefix',
                backend: { service: { name: 'shop-prod-web-private', port: { number: 8081 } } },
              },
            ],
          },
        },
      ],
    });
  });

  it('rejects ingress backends that cannot be resolved', async () => {
    const ingress =
      (backend: NonNullable<NetworkInput['ingress']>['defaultBackend'], ports: NetworkInput['ports'] = []) =>
      async () =>
        network.generate(request({ ports, ingress: { defaultBackend: backend } }));
    await expect(ingress({})).rejects.toThrow(
      'targets the private Service, but network declares no private port',
    );
    await expect(ingress({ service: { port: { number: 81 } } }, [{ port: 80 }])).rejects.toThrow(
      'port 81 is not a private port of network (80)',
    );
    await expect(ingress({ service: { name: 'other' } })).rejects.toThrow('service other needs a port');
    await expect(async () => network.generate(request({ ingress: {} }))).rejects.toThrow(
      'ingress needs rules or a defaultBackend',
    );
  });
});
