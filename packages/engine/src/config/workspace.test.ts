import { describe, expect, it } from 'vitest';
import { parseWorkspace } from './workspace.js';

const builtinModules = ['network', 'postgres', 'service'];
const parse = (text: string) => parseWorkspace('prod', text, { builtinModules });

describe('parseWorkspace', () => {
  it('accepts catalog modules without a source and npm modules with a version', () => {
    const result = parse(
      'modules:\n  service:\n    configs: {default: {replicas: 2}}\n  kafka: {source: "npm:@acme/kafka", version: ^2.1.0}\n',
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.workspace?.document.modules?.['kafka']?.version).toBe('^2.1.0');
  });

  it('reports every problem together, located in the workspace', () => {
    const result = parse(`modules:
  servce: {configs: {default: {}}}
  kafka: {source: "npm:@acme/kafka"}
  service:
    configs:
      default: {projectSelector: [a]}
      one: {projectSelector: [shop]}
      two: {projectSelector: [shop]}
      three: {projectSelector: []}
secretStore:
  provider: {alicloud: {}}
`);
    const codes = result.diagnostics.map((d) => `${d.code} ${d.location}`);
    expect(codes).toEqual([
      'KUS2002 workspace prod:2:3',
      'KUS2002 workspace prod:3:19',
      'KUS2002 workspace prod:6:34',
      'KUS2003 workspace prod:8:31',
      'KUS2002 workspace prod:9:14',
      'KUS2002 workspace prod:11:13',
    ]);
    expect(result.diagnostics[0]?.hint).toBe('did you mean the built-in "service"?');
    expect(result.workspace).toBeUndefined();
  });

  it('rejects unknown top-level keys with a suggestion', () => {
    const result = parse('modles: {}\n');
    expect(result.diagnostics[0]).toMatchObject({
      code: 'KUS2002',
      location: 'workspace prod:1:1',
      hint: 'did you mean "modules"?',
    });
  });

  it("reads the original's OCI catalog paths as builtin, with warning KUS2010", () => {
    const result = parse(
      'modules:\n  service:\n    path: oci://ghcr.io/kusionstack/service\n    version: 0.2.0\n',
    );
    expect(result.workspace?.document.modules?.['service']).toEqual({ source: 'builtin' });
    expect(result.diagnostics).toMatchObject([{ code: 'KUS2010', severity: 'warning' }]);
  });

  it('rejects an invalid workspace name', () => {
    expect(parseWorkspace('bad name', '', { builtinModules }).diagnostics[0]?.code).toBe('KUS2002');
  });
});
