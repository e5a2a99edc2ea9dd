import { describe, expect, it } from 'vitest';
import type { JsonValue, PolicyEntry } from '../model/index.js';
import { compilePolicies, evaluatePolicies } from './evaluate.js';
import { awsDatabase, namespace, specOf, webApp } from './fixtures.js';
import { offlinePlan } from './offline-plan.js';
import type { RegoEngine, RegoEvaluateRequest } from './port.js';
import type { PolicyInput } from './types.js';

const input = (resources: Parameters<typeof specOf>[0]): PolicyInput => {
  const spec = specOf(resources);
  return { project: 'shop', stack: 'prod', workspace: 'prod', spec, plan: offlinePlan(spec) };
};

const compiled = (entries: PolicyEntry[]) => {
  const result = compilePolicies(entries);
  expect(result.problems).toEqual([]);
  return result.policies;
};

/** A Rego engine that answers from a function, recording what it was asked. */
function fakeRego(answer: (request: RegoEvaluateRequest) => JsonValue | undefined | Error): RegoEngine & {
  requests: RegoEvaluateRequest[];
} {
  const requests: RegoEvaluateRequest[] = [];
  return {
    requests,
    check: async () => [],
    evaluate: async (request) => {
      requests.push(request);
      const value = answer(request);
      if (value instanceof Error) throw value;
      return value === undefined ? { defined: false } : { defined: true, value };
    },
  };
}

describe('evaluatePolicies', () => {
  const stack = [
    namespace(),
    ...webApp({ replicas: 1 }),
    ...webApp({ app: 'api', replicas: 3 }),
    awsDatabase(),
  ];

  it('gives deny and warn results of CEL rules per matching resource, with their messages', async () => {
    const report = await evaluatePolicies(
      compiled([
        {
          name: 'min-replicas',
          severity: 'deny',
          match: { kind: 'Deployment' },
          rule: 'resource.attributes.spec.replicas >= 2',
          message: '{{app}}: {{resource.id}} needs 2 replicas in {{workspace}}',
        },
        {
          name: 'team-label',
          severity: 'warn',
          match: { type: 'Kubernetes', kind: ['Deployment', 'StatefulSet'], app: 'api' },
          rule: '"team" in resource.attributes.metadata.labels',
        },
        {
          name: 'db-size',
          severity: 'deny',
          match: { kind: 'aws_db_instance' },
          rule: 'resource.attributes.allocated_storage <= 100',
        },
      ]),
      input(stack),
    );
    expect(report.violations).toEqual([
      {
        name: 'min-replicas',
        severity: 'deny',
        id: 'apps/v1:Deployment:shop:shop-prod-web',
        message: 'web: apps/v1:Deployment:shop:shop-prod-web needs 2 replicas in prod',
      },
      {
        name: 'team-label',
        severity: 'warn',
        id: 'apps/v1:Deployment:shop:shop-prod-api',
        message: 'not compliant: "team" in resource.attributes.metadata.labels',
      },
    ]);
    expect(report.denied).toBe(true);
    expect(report.unmatched).toEqual([]);
  });

  it('is not denied by warnings alone, and reports rules that matched nothing', async () => {
    const report = await evaluatePolicies(
      compiled([
        { name: 'changes-only', severity: 'warn', rule: 'change.action != "Create"' },
        { name: 'no-statefulsets', severity: 'deny', match: { kind: 'StatefulSet' }, rule: 'false' },
      ]),
      input([namespace()]),
    );
    expect(report).toEqual({
      violations: [
        {
          name: 'changes-only',
          severity: 'warn',
          id: 'v1:Namespace:shop',
          message: 'not compliant: change.action != "Create"',
        },
      ],
      unmatched: ['no-statefulsets'],
      denied: false,
    });
  });

  it('turns a CEL runtime error into a deny carrying the error, even for a warn rule', async () => {
    const report = await evaluatePolicies(
      compiled([
        {
          name: 'probe',
          severity: 'warn',
          match: { kind: 'Service' },
          rule: 'resource.attributes.spec.clusterIP != ""',
        },
      ]),
      input(stack),
    );
    expect(report.denied).toBe(true);
    expect(report.violations).toHaveLength(2);
    expect(report.violations[0]).toMatchObject({
      name: 'probe',
      severity: 'deny',
      id: 'v1:Service:shop:shop-prod-api-private',
      message: expect.stringMatching(/^rule failed: .*clusterIP/),
    });
  });

  it('passes Rego rules the plan input once per rule and maps items to violations', async () => {
    const rego = fakeRego(() => [
      { id: 'apps/v1:Deployment:shop:shop-prod-web', msg: 'web must not run in prod on Fridays' },
      'no owner annotation anywhere',
    ]);
    const report = await evaluatePolicies(
      compiled([
        { name: 'opa-rules', severity: 'warn', rego: { path: 'policies', query: 'data.kusion.deny' } },
      ]),
      input(stack),
      { rego, files: { 'opa-rules': { 'main.rego': 'package kusion' } } },
    );
    expect(rego.requests).toHaveLength(1);
    expect(rego.requests[0]?.query).toBe('data.kusion.deny');
    expect(rego.requests[0]?.modules).toEqual({ 'main.rego': 'package kusion' });
    expect(rego.requests[0]?.input).toMatchObject({ project: 'shop', stack: 'prod', workspace: 'prod' });
    expect(report.violations).toEqual([
      { name: 'opa-rules', severity: 'warn', id: null, message: 'no owner annotation anywhere' },
      {
        name: 'opa-rules',
        severity: 'warn',
        id: 'apps/v1:Deployment:shop:shop-prod-web',
        message: 'web must not run in prod on Fridays',
      },
    ]);
    expect(report.denied).toBe(false);
  });

  it('makes an engine failure, an undefined query, a bad item or missing files a deny', async () => {
    const rule = (name: string): PolicyEntry => ({
      name,
      severity: 'warn',
      rego: { path: 'p', query: `data.${name}` },
    });
    const rego = fakeRego((request) => {
      if (request.query === 'data.crash') return new Error('signal SIGSEGV');
      if (request.query === 'data.undefined') return undefined;
      return [{ message: 'wrong key' }];
    });
    const files = { crash: { 'a.rego': '' }, undefined: { 'a.rego': '' }, shape: { 'a.rego': '' } };
    const report = await evaluatePolicies(
      compiled([rule('crash'), rule('undefined'), rule('shape'), rule('unstored')]),
      input(stack),
      { rego, files },
    );
    expect(report.violations.map((v) => [v.name, v.severity, v.message])).toEqual([
      ['crash', 'deny', 'opa failed: signal SIGSEGV'],
      ['shape', 'deny', 'a result item is not {id?, msg}: {"message":"wrong key"}'],
      ['undefined', 'deny', 'query data.undefined is undefined: no rule of p defines it'],
      ['unstored', 'deny', expect.stringContaining('no Rego files are stored for this rule')],
    ]);
  });

  it('combines CEL, Rego and the baseline pack in one sorted report', async () => {
    const rego = fakeRego(() => [{ id: 'v1:Namespace:shop', msg: 'namespace needs an owner' }]);
    const report = await evaluatePolicies(
      compiled([
        { use: 'baseline', severity: 'warn', except: ['run-as-non-root'] },
        { name: 'zz-cel', severity: 'deny', match: { kind: 'Namespace' }, rule: 'false' },
        { name: 'aa-rego', severity: 'deny', rego: { path: 'p', query: 'data.kusion.deny' } },
      ]),
      input([namespace(), ...webApp()]),
      { rego, files: { 'aa-rego': { 'a.rego': 'package kusion' } } },
    );
    expect(report.violations.map((v) => `${v.name}|${v.severity}|${v.id}`)).toEqual([
      'aa-rego|deny|v1:Namespace:shop',
      'baseline/no-privilege-escalation|warn|apps/v1:Deployment:shop:shop-prod-web',
      'zz-cel|deny|v1:Namespace:shop',
    ]);
  });
});
