import { describe, expect, it } from 'vitest';
import { evaluateBaseline, isPinnedImage } from './baseline.js';
import { awsDatabase, namespace, specOf, webApp } from './fixtures.js';
import { offlinePlan } from './offline-plan.js';
import { subjectsOf } from './subjects.js';

const subjects = (resources: Parameters<typeof specOf>[0]) => {
  const spec = specOf(resources);
  return subjectsOf({ project: 'shop', stack: 'prod', workspace: 'prod', spec, plan: offlinePlan(spec) });
};

const hardened = {
  securityContext: { runAsNonRoot: true },
  containerSecurityContext: { allowPrivilegeEscalation: false },
};

describe('baseline pack', () => {
  it('passes a hardened web app with a private database', () => {
    expect(
      evaluateBaseline({ use: 'baseline' }, subjects([namespace(), ...webApp(hardened), awsDatabase()])),
    ).toEqual([]);
  });

  it('denies what the catalog service module generates by default: it may run as root and escalate', () => {
    const found = evaluateBaseline({ use: 'baseline' }, subjects([namespace(), ...webApp()]));
    expect(found.map((v) => [v.name, v.severity, v.id])).toEqual([
      ['baseline/no-privilege-escalation', 'deny', 'apps/v1:Deployment:shop:shop-prod-web'],
      ['baseline/run-as-non-root', 'deny', 'apps/v1:Deployment:shop:shop-prod-web'],
    ]);
  });

  it('finds unpinned images, missing limits, hostPath, foreign LoadBalancers and public databases', () => {
    const found = evaluateBaseline(
      { use: 'baseline', severity: 'warn' },
      subjects([
        namespace(),
        ...webApp({
          ...hardened,
          image: 'nginx:latest',
          limits: { cpu: '1' },
          hostPath: true,
          loadBalancerFrom: 'k8s-manifest',
        }),
        awsDatabase({ publiclyAccessible: true }),
      ]),
    );
    expect(found.every((v) => v.severity === 'warn')).toBe(true);
    expect(found.map((v) => `${v.name} ${v.message}`)).toEqual([
      'baseline/load-balancer-via-network a LoadBalancer Service from module "k8s-manifest": expose public ports through the network module',
      'baseline/no-host-path volume "host-logs" mounts a hostPath',
      'baseline/no-public-database aws_db_instance is publicly accessible: restrict its allowed networks, or except this resource',
      'baseline/pinned-images container "main" uses image "nginx:latest": pin a version tag other than latest, or a digest',
      'baseline/resource-limits container "main" sets no memory limit',
    ]);
  });

  it('accepts a LoadBalancer from the network module', () => {
    expect(
      evaluateBaseline(
        { use: 'baseline' },
        subjects([namespace(), ...webApp({ ...hardened, loadBalancerFrom: 'network' })]),
      ),
    ).toEqual([]);
  });

  it('skips excepted rules, for all resources or for one', () => {
    const db = awsDatabase({ publiclyAccessible: true });
    const other = awsDatabase({ app: 'api', publiclyAccessible: true });
    const found = evaluateBaseline(
      {
        use: 'baseline',
        except: ['run-as-non-root', 'no-privilege-escalation', `no-public-database:${db.id}`],
      },
      subjects([namespace(), ...webApp(), db, other]),
    );
    expect(found.map((v) => `${v.name} ${v.id}`)).toEqual([`baseline/no-public-database ${other.id}`]);
  });

  it('tells pinned images from floating ones', () => {
    expect(isPinnedImage('ghcr.io/acme/web:1.4.2')).toBe(true);
    expect(isPinnedImage('nginx@sha256:0123')).toBe(true);
    expect(isPinnedImage('nginx')).toBe(false);
    expect(isPinnedImage('nginx:latest')).toBe(false);
    expect(isPinnedImage('localhost:5000/nginx')).toBe(false);
  });
});
