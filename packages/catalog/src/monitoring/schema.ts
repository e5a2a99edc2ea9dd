import { z } from 'zod';
import { Duration, PortName, PortNumber } from '../shared/schema.js';

/** Developer inputs of the `monitoring` module (SPEC §6.6). */
export const MonitoringInput = z.strictObject({
  path: z.string().regex(/^\//).default('/metrics').describe('HTTP path of the metrics endpoint.'),
  port: z
    .union([PortNumber, PortName])
    .optional()
    .describe(
      'Port of the metrics endpoint, by number or by name (a container or Service port name). Without the ' +
        'operator, Prometheus usually expects a number in the `prometheus.io/port` annotation.',
    ),
  scheme: z.enum(['http', 'https']).default('http').describe('Scheme used to scrape.'),
});
/** Developer inputs of the `monitoring` module, as written in an AppConfiguration. */
export type MonitoringInput = z.input<typeof MonitoringInput>;

/** Platform inputs of the `monitoring` module, from the workspace. */
export const MonitoringPlatform = z.strictObject({
  operatorMode: z
    .boolean()
    .default(false)
    .describe(
      'Emit a Prometheus Operator ServiceMonitor or PodMonitor instead of `prometheus.io/*` annotations.',
    ),
  monitorType: z
    .enum(['Service', 'Pod'])
    .default('Service')
    .describe(
      'Operator mode: scrape through the Services (ServiceMonitor) or the pods directly (PodMonitor).',
    ),
  interval: Duration.default('30s').describe('Operator mode: time between scrapes.'),
  timeout: Duration.default('15s').describe('Operator mode: scrape timeout; at most `interval`.'),
});
/** Platform inputs of the `monitoring` module, as written in a workspace. */
export type MonitoringPlatform = z.input<typeof MonitoringPlatform>;
