import { describe, expect, it } from 'vitest';
import type { CelPolicy } from '../model/index.js';
import { compileCelRule, renderMessage } from './cel-rules.js';
import { toCel } from './cel-values.js';

const rule = (text: string, extra: Partial<CelPolicy> = {}): CelPolicy => ({
  name: 'r',
  severity: 'deny',
  rule: text,
  ...extra,
});

const bindings = (resource: object) => ({
  resource: toCel(resource as never),
  change: toCel({ action: 'Create', diff: [] }),
  project: 'shop',
  stack: 'prod',
  workspace: 'prod',
  app: 'web',
  module: 'service',
});

describe('CEL policy rules', () => {
  it('given a valid rule, when evaluated, then true is compliant and false is violated', () => {
    const compiled = compileCelRule(rule('resource.attributes.spec.replicas >= 2 && workspace == "prod"'));
    if (!('rule' in compiled)) throw new Error('expected the rule to compile');
    expect(compiled.rule.evaluate(bindings({ attributes: { spec: { replicas: 3 } } }))).toEqual({
      kind: 'compliant',
    });
    expect(compiled.rule.evaluate(bindings({ attributes: { spec: { replicas: 1 } } }))).toEqual({
      kind: 'violated',
    });
  });

  it('given a missing field, when evaluated, then the result is an error (never compliant)', () => {
    const compiled = compileCelRule(rule('resource.attributes.spec.replicas >= 2'));
    if (!('rule' in compiled)) throw new Error('expected the rule to compile');
    expect(compiled.rule.evaluate(bindings({ attributes: {} }))).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('spec'),
    });
  });

  it('given a rule that is not a bool, when evaluated, then it is an error', () => {
    const compiled = compileCelRule(rule('resource.attributes.kind'));
    if (!('rule' in compiled)) throw new Error('expected the rule to compile');
    expect(compiled.rule.evaluate(bindings({ attributes: { kind: 'Deployment' } }))).toEqual({
      kind: 'error',
      message: 'the rule gave a string, not a bool',
    });
  });

  it('reports a syntax error with its line and column inside the rule', () => {
    expect(compileCelRule(rule('resource.attributes.spec.replicas >'))).toEqual({
      problems: [{ field: 'rule', line: 1, column: 35, message: expect.stringContaining('found') }],
    });
  });

  it('reports unknown variables at their position, but accepts macro-bound ones', () => {
    expect(compileCelRule(rule('resourse.id != "" && app == "web"'))).toEqual({
      problems: [{ field: 'rule', line: 1, column: 1, message: expect.stringContaining('"resourse"') }],
    });
    expect(
      'rule' in
        compileCelRule(
          rule('resource.attributes.spec.template.spec.containers.all(c, has(c.resources.limits))'),
        ),
    ).toBe(true);
  });

  it('reports unknown message placeholders and fills known ones', () => {
    expect(compileCelRule(rule('true', { message: '{{resource.name}} is wrong' }))).toEqual({
      problems: [
        { field: 'message', line: 1, column: 1, message: expect.stringContaining('{{resource.name}}') },
      ],
    });
    expect(
      renderMessage('{{ resource.id }} of {{app}}', { 'resource.id': 'v1:Service:a:b', app: 'web' }),
    ).toBe('v1:Service:a:b of web');
  });
});
