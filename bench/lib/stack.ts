import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/**
 * Resources one app yields: Deployment, 2 ConfigMaps (inline files), 2 workload Secrets, the private
 * Service (network), and postgres local's Secret, PVC, Deployment and Service. Plus one Namespace per stack.
 */
export const RESOURCES_PER_APP = 10;

export const appName = (index: number): string => `app-${String(index).padStart(4, '0')}`;

/** One app as in SPEC §3.3: a service workload with secrets and files, a network and a local postgres. */
function app(name: string): Record<string, unknown> {
  return {
    workload: {
      module: 'service',
      replicas: 2,
      containers: {
        main: {
          image: `ghcr.io/acme/${name}:1.4.2`,
          env: { LOG_LEVEL: 'info', API_TOKEN: `secret://${name}-token/token` },
          resources: { cpu: '250m-500m', memory: '256Mi-512Mi' },
          readinessProbe: { http: { url: 'http://localhost:8080/healthz' }, periodSeconds: 5 },
          files: {
            '/etc/app/config.yaml': { content: `name: ${name}\nlisten: 8080\n` },
            '/etc/app/features.json': { content: '{"beta": false}\n' },
          },
        },
      },
      secrets: { [`${name}-token`]: { type: 'token' }, [`${name}-admin`]: { type: 'basic' } },
    },
    accessories: {
      net: { module: 'network', ports: [{ port: 80, targetPort: 8080 }] },
      db: { module: 'postgres', type: 'local', version: '16' },
    },
  };
}

/** Writes project `<root>/apps-<n>` (name `bench`) with stack `prod`; returns the stack directory. */
export function writeStack(root: string, apps: number): string {
  const projectDir = join(root, `apps-${apps}`);
  const stackDir = join(projectDir, 'prod');
  mkdirSync(stackDir, { recursive: true });
  writeFileSync(join(projectDir, 'project.yaml'), 'name: bench\n');
  writeFileSync(join(stackDir, 'stack.yaml'), 'name: prod\n');
  const main: Record<string, unknown> = {};
  for (let i = 1; i <= apps; i++) main[appName(i)] = app(appName(i));
  writeFileSync(join(stackDir, 'main.yaml'), stringify(main));
  return stackDir;
}
