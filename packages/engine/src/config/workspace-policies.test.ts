import { describe, expect, it } from 'vitest';
import { parseWorkspace } from './workspace.js';

const parse = (text: string) => parseWorkspace('prod', text, { builtinModules: ['service'] });

describe('workspace policies', () => {
  it('accepts the three forms and keeps them typed', () => {
    const result = parse(`policies:
  - name: min-replicas
    severity: deny
    match: {kind: [Deployment, StatefulSet], module: service}
    rule: resource.attributes.spec.replicas >= 2
    message: "{{resource.id}} needs two replicas"
  - name: opa
    severity: warn
    rego: {path: ./policies, query: data.kusion.deny}
  - use: baseline
    except: [pinned-images, "no-public-database:hashicorp:aws:aws_db_instance:db"]
`);
    expect(result.diagnostics).toEqual([]);
    expect(result.workspace?.document.policies).toHaveLength(3);
  });

  it('rejects a rule that does not compile, naming the rule and its location', () => {
    const result = parse(`policies:
  - name: min-replicas
    severity: deny
    rule: resource.attributes.spec.replicas >=
`);
    expect(result.workspace).toBeUndefined();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'KUS2002',
        severity: 'error',
        location: 'workspace prod:4:11',
        message: expect.stringMatching(
          /^policy "min-replicas": rule does not compile at 1:\d+ of the rule: /,
        ),
      }),
    ]);
  });

  it('reports every problem of every entry with its location', () => {
    const result = parse(`policies:
  - name: typo
    severity: deny
    rule: resourc.id != ""
  - name: typo
    severity: block
    rule: "true"
  - name: shape
    severity: warn
    rego: {path: ./p}
  - use: baseline
    except: [pinned-image]
  - {name: msg, severity: warn, rule: "true", message: "{{resource.name}}"}
`);
    expect(result.diagnostics.map((d) => `${d.location} ${d.message}`)).toEqual([
      expect.stringMatching(/^workspace prod:6:15 policies\[1\]\.severity/),
      'workspace prod:10:5 policies[2].rego: missing required field "query"',
      'workspace prod:12:14 baseline has no rule "pinned-image"',
      expect.stringMatching(
        /^workspace prod:4:11 policy "typo": rule does not compile .*unknown variable "resourc"/,
      ),
      expect.stringMatching(/^workspace prod:13:56 policy "msg": bad message .*\{\{resource.name\}\}/),
    ]);
    expect(result.diagnostics[2]?.hint).toBe('did you mean "pinned-images"?');
  });

  it('reports duplicate names, unknown variables and unknown placeholders together', () => {
    const result = parse(`policies:
  - {name: a, severity: deny, rule: 'resourc.id != ""'}
  - {name: a, severity: deny, rule: 'true'}
  - {name: b, severity: warn, rule: "true", message: "{{resource.name}}"}
`);
    expect(result.diagnostics.map((d) => `${d.location} ${d.message}`)).toEqual([
      'workspace prod:3:12 policy "a" is defined twice (policies[0] and policies[1])',
      expect.stringMatching(
        /^workspace prod:2:37 policy "a": rule does not compile at 1:1 of the rule: unknown variable "resourc"/,
      ),
      expect.stringMatching(
        /^workspace prod:4:54 policy "b": bad message at 1:1 of the message: unknown placeholder/,
      ),
    ]);
  });
});
