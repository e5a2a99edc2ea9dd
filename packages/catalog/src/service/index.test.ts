import { assertDeterministic, testRequest } from '@kusion/module-sdk/testing';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import service from './index.js';
import type { ServiceInput, ServicePlatform } from './schema.js';

const realistic: ServiceInput = {
  replicas: 2,
  labels: { tier: 'frontend' },
  annotations: { 'team.acme.io/owner': 'shop' },
  containers: {
    main: {
      image: 'ghcr.io/acme/web:1.4.2',
      env: { DB_HOST: '$(KUSION_DB_HOST_SHOP_PROD_WEB_POSTGRES)', API_TOKEN: 'secret://api-token/token' },
      resources: { cpu: '250m-500m', memory: '256Mi-512Mi' },
      readinessProbe: { http: { url: 'http://localhost:8080/healthz' }, periodSeconds: 5 },
      livenessProbe: { tcp: { url: 'tcp://localhost:8080' }, initialDelaySeconds: 10 },
      lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
      files: { '/etc/web/config.yaml': { content: 'greeting: hello\n' } },
    },
    sidecar: {
      image: 'ghcr.io/acme/log-shipper:0.3.0',
      args: ['--target', 'stdout'],
      dirs: { '/var/run/creds': 'secret://shipper-creds' },
    },
  },
  secrets: { 'api-token': { type: 'token' } },
  topologySpreadConstraints: [
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
  ],
};

const request = (inputs: ServiceInput, platform: ServicePlatform = {}) =>
  testRequest<ServiceInput, ServicePlatform>({ inputs, platform });

describe('service', () => {
  it('generates a Deployment and the ConfigMap of its inline file (golden)', async () => {
    // given a realistic service with two containers, probes, a file and a workload secret
    // when generated twice
    const result = await assertDeterministic(service, request(realistic, { labels: { env: 'prod' } }));
    // then the output matches the golden file
    await expect(stringify(result, { lineWidth: 0 })).toMatchFileSnapshot(
      './__snapshots__/service.yaml.snap',
    );
  });

  it('marks exactly the Deployment as the workload and emits no Secret', async () => {
    const result = await service.generate(request(realistic));
    const marked = result.resources.filter((r) => r.extensions?.['kusion.io/is-workload'] === true);
    expect(marked.map((r) => r.id)).toEqual(['apps/v1:Deployment:shop:shop-prod-web']);
    expect(result.resources.map((r) => r.id)).toEqual([
      'apps/v1:Deployment:shop:shop-prod-web',
      'v1:ConfigMap:shop:shop-prod-web-main-0',
    ]);
  });

  it('takes replicas from the developer, else the workspace, else 1', async () => {
    const replicas = async (inputs: ServiceInput, platform: ServicePlatform = {}) => {
      const result = await service.generate(request(inputs, platform));
      return (result.resources[0]!.attributes['spec'] as { replicas: number }).replicas;
    };
    const containers = { main: { image: 'nginx:1.27' } };
    expect(await replicas({ containers, replicas: 3 }, { replicas: 5 })).toBe(3);
    expect(await replicas({ containers }, { replicas: 5 })).toBe(5);
    expect(await replicas({ containers })).toBe(1);
    expect(await replicas({ containers, replicas: 0 }, { replicas: 5 })).toBe(0);
  });

  it('merges labels platform < developer < catalog, and selects on part-of and name', async () => {
    // given labels that collide with each other and with a catalog label
    const inputs: ServiceInput = {
      containers: { main: { image: 'nginx:1.27' } },
      labels: { env: 'dev', 'app.kubernetes.io/name': 'spoofed' },
    };
    // when
    const result = await service.generate(request(inputs, { labels: { env: 'prod', region: 'eu' } }));
    const deployment = result.resources[0]?.attributes as {
      metadata: { labels: Record<string, string> };
      spec: { selector: unknown; template: { metadata: { labels: Record<string, string> } } };
    };
    // then developer beats platform, and catalog labels beat both, on the object and the pod template
    const expected = {
      env: 'dev',
      region: 'eu',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/name': 'web',
      'app.kubernetes.io/instance': 'shop-prod-web',
    };
    expect(deployment.metadata.labels).toEqual(expected);
    expect(deployment.spec.template.metadata.labels).toEqual(expected);
    expect(deployment.spec.selector).toEqual({
      matchLabels: { 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/name': 'web' },
    });
  });

  it('changes the files checksum annotation when file content changes', async () => {
    const checksum = async (content: string) => {
      const result = await service.generate(
        request({ containers: { main: { image: 'nginx:1.27', files: { '/etc/a.conf': { content } } } } }),
      );
      const spec = result.resources[0]?.attributes['spec'] as {
        template: { metadata: { annotations: Record<string, string> } };
      };
      return spec.template.metadata.annotations['kusion.io/files-checksum'];
    };
    expect(await checksum('a')).toMatch(/^[0-9a-f]{64}$/);
    expect(await checksum('a')).toBe(await checksum('a'));
    expect(await checksum('a')).not.toBe(await checksum('b'));
  });

  it('emits containers in name order and no checksum without inline files', async () => {
    const result = await service.generate(
      request({ containers: { zeta: { image: 'z:1' }, alpha: { image: 'a:1' } } }),
    );
    const template = (result.resources[0]!.attributes['spec'] as { template: JsonLike }).template;
    expect(template).toEqual({
      metadata: {
        labels: {
          'app.kubernetes.io/part-of': 'shop',
          'app.kubernetes.io/name': 'web',
          'app.kubernetes.io/instance': 'shop-prod-web',
        },
      },
      spec: {
        containers: [
          { name: 'alpha', image: 'a:1' },
          { name: 'zeta', image: 'z:1' },
        ],
      },
    });
  });

  it('throws a clear error for input the schema cannot check', async () => {
    await expect(async () =>
      service.generate(request({ containers: { main: { image: 'x:1', env: { T: 'secret://only-name' } } } })),
    ).rejects.toThrow('container main: env T is "secret://only-name"');
  });
});

type JsonLike = Record<string, unknown>;
