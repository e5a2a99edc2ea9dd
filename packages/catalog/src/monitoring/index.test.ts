import { assertDeterministic, testRequest } from '@kusion/module-sdk/testing';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import monitoring from './index.js';
import type { MonitoringInput, MonitoringPlatform } from './schema.js';

const request = (inputs: MonitoringInput, platform: MonitoringPlatform = {}) =>
  testRequest<MonitoringInput, MonitoringPlatform>({
    role: 'accessory',
    accessory: 'monitoring',
    inputs,
    platform,
  });

describe('monitoring', () => {
  it('annotates the pod template without the operator', async () => {
    // given defaults except the port
    const result = await monitoring.generate(request({ port: 9100 }));
    // then no resource, only pod annotations
    expect(result).toEqual({
      resources: [],
      patcher: {
        podAnnotations: {
          'prometheus.io/scrape': 'true',
          'prometheus.io/path': '/metrics',
          'prometheus.io/scheme': 'http',
          'prometheus.io/port': '9100',
        },
      },
    });
  });

  it('generates a ServiceMonitor and labels the pods in operator mode (golden)', async () => {
    const result = await assertDeterministic(
      monitoring,
      request({ port: 'metrics' }, { operatorMode: true }),
    );
    await expect(stringify(result, { lineWidth: 0 })).toMatchFileSnapshot(
      './__snapshots__/service-monitor.yaml.snap',
    );
    expect(result.patcher).toEqual({ podLabels: { kusion_monitoring_appname: 'web' } });
  });

  it('generates a PodMonitor selecting the pods by the catalog labels (golden)', async () => {
    const platform: MonitoringPlatform = {
      operatorMode: true,
      monitorType: 'Pod',
      interval: '1m',
      timeout: '30s',
    };
    const result = await assertDeterministic(
      monitoring,
      request({ port: 8080, path: '/stats', scheme: 'https' }, platform),
    );
    await expect(stringify(result, { lineWidth: 0 })).toMatchFileSnapshot(
      './__snapshots__/pod-monitor.yaml.snap',
    );
    expect(result.resources.map((r) => r.id)).toEqual([
      'monitoring.coreos.com/v1:PodMonitor:shop:shop-prod-web-pod-monitor',
    ]);
  });

  it('refuses a scrape timeout longer than the interval', async () => {
    await expect(async () =>
      monitoring.generate(request({}, { operatorMode: true, interval: '10s', timeout: '1m' })),
    ).rejects.toThrow('monitoring: timeout 1m is longer than interval 10s');
  });
});
