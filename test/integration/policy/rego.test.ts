/**
 * Rego guardrails against the real `opa` binary of the testbed (SPEC §15): rules checked with `opa check`,
 * evaluated once per plan with `opa eval`, every returned item a violation; an opa that fails or crashes is
 * a deny carrying the error.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { PolicyEntry } from '../../../packages/engine/src/model/index.js';
import { awsDatabase, namespace, specOf, webApp } from '../../../packages/engine/src/policy/fixtures.js';
import { compilePolicies, evaluatePolicies } from '../../../packages/engine/src/policy/index.js';
import { offlinePlan } from '../../../packages/engine/src/policy/offline-plan.js';
import { OpaBinary } from '../../../packages/engine/src/runtimes/opa/opa-binary.js';

const testbed = inject('testbed');
const opa = new OpaBinary({ binary: testbed.opa.bin });
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Production rules a platform team writes: replicas and databases denied, missing owners warned. */
const productionRego = {
  'kusion/production.rego': `package kusion.production

import rego.v1

deny contains {"id": r.id, "msg": sprintf("%s runs %d replica(s); production needs 2", [r.id, r.attributes.spec.replicas])} if {
	input.workspace == "prod"
	some r in input.spec.resources
	r.attributes.kind == "Deployment"
	r.attributes.spec.replicas < 2
}

deny contains {"id": c.id, "msg": "databases are never deleted by an apply"} if {
	some c in input.plan.changes
	c.action == "Delete"
	endswith(c.id, "_db_instance")
}
`,
  'kusion/owners.rego': `package kusion.owners

import rego.v1

warn contains {"id": r.id, "msg": "no owner label"} if {
	some r in input.spec.resources
	r.attributes.kind == "Deployment"
	not r.attributes.metadata.labels.owner
}
`,
};

const rules: PolicyEntry[] = [
  { name: 'production', severity: 'deny', rego: { path: 'rego', query: 'data.kusion.production.deny' } },
  { name: 'owners', severity: 'warn', rego: { path: 'rego', query: 'data.kusion.owners.warn' } },
];

const input = (resources: Parameters<typeof specOf>[0]) => {
  const spec = specOf(resources);
  return { project: 'shop', stack: 'prod', workspace: 'prod', spec, plan: offlinePlan(spec) };
};

const evaluate = (engine: OpaBinary, resources: Parameters<typeof specOf>[0], files = productionRego) =>
  evaluatePolicies(compilePolicies(rules).policies, input(resources), {
    rego: engine,
    files: { production: files, owners: files },
  });

describe('Rego rules with the real opa', () => {
  it('checks modules and locates a syntax error in its file', async () => {
    expect(await opa.check(productionRego)).toEqual([]);
    const problems = await opa.check({
      'kusion/bad.rego': 'package kusion\n\ndeny contains x if {\n  x := \n}\n',
    });
    expect(problems).toEqual([
      { message: 'rego_parse_error: unexpected } token', file: 'kusion/bad.rego', row: 5, col: 1 },
    ]);
  });

  it('gives deny and warn results on a realistic stack, once per rule', async () => {
    const report = await evaluate(opa, [
      namespace(),
      ...webApp({ replicas: 1 }),
      ...webApp({ app: 'api', replicas: 3 }),
      awsDatabase(),
    ]);
    expect(report.violations).toEqual([
      {
        name: 'owners',
        severity: 'warn',
        id: 'apps/v1:Deployment:shop:shop-prod-api',
        message: 'no owner label',
      },
      {
        name: 'owners',
        severity: 'warn',
        id: 'apps/v1:Deployment:shop:shop-prod-web',
        message: 'no owner label',
      },
      {
        name: 'production',
        severity: 'deny',
        id: 'apps/v1:Deployment:shop:shop-prod-web',
        message: 'apps/v1:Deployment:shop:shop-prod-web runs 1 replica(s); production needs 2',
      },
    ]);
    expect(report.denied).toBe(true);
  });

  it('passes a stack that satisfies the rules', async () => {
    const report = await evaluate(opa, [namespace(), ...webApp({ replicas: 2 })], {
      ...productionRego,
      'kusion/owners.rego': 'package kusion.owners\n\nwarn := set()\n',
    });
    expect(report).toEqual({ violations: [], unmatched: [], denied: false });
  });

  it('makes an evaluation error of opa a deny with its message', async () => {
    const report = await evaluate(opa, [namespace()], {
      ...productionRego,
      'kusion/production.rego': 'package kusion.production\n\ndeny := {"a"} if true\ndeny := {"b"} if true\n',
    });
    expect(report.violations).toContainEqual({
      name: 'production',
      severity: 'deny',
      id: null,
      message: expect.stringMatching(/^opa failed: kusion\/production\.rego:\d+:\d+: eval_conflict_error: /),
    });
    expect(report.denied).toBe(true);
  });

  it('makes an opa crash a deny, never a pass', async () => {
    const dir = await mkdtemp(join(testbed.runDir, 'opa-crash-'));
    dirs.push(dir);
    // The real opa for everything but eval, which dies the way a crashing process does.
    const crashing = join(dir, 'opa');
    await writeFile(
      crashing,
      `#!/bin/sh\nif [ "$1" = eval ]; then kill -SEGV $$; fi\nexec '${testbed.opa.bin}' "$@"\n`,
    );
    await chmod(crashing, 0o755);
    const engine = new OpaBinary({ binary: crashing });
    expect(await engine.check(productionRego)).toEqual([]);
    const report = await evaluate(engine, [namespace(), ...webApp({ replicas: 2 })]);
    expect(report.violations).toEqual([
      { name: 'owners', severity: 'deny', id: null, message: 'opa failed: opa was killed by SIGSEGV' },
      { name: 'production', severity: 'deny', id: null, message: 'opa failed: opa was killed by SIGSEGV' },
    ]);
  });
});
