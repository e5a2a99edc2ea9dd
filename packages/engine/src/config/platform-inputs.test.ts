import { describe, expect, it } from 'vitest';
import { deepMerge, resolvePlatformInputs } from './platform-inputs.js';
import { parseYaml } from './source-document.js';

const workspaceText = `modules:
  service:
    configs:
      default:
        replicas: 2
        labels: {env: prod, tier: web}
        ports: [80, 443]
        importedResources: {"v1:ConfigMap:a:b": "a/b"}
      payments:
        projectSelector: [payments, billing]
        replicas: 4
        labels: {tier: null, team: pay}
        ports: [8443]
`;

describe('resolvePlatformInputs', () => {
  const { document } = parseYaml(workspaceText, 'workspace prod');
  const block = (document.value as { modules: { service: Parameters<typeof resolvePlatformInputs>[1] } })
    .modules.service;

  it('deep-merges the selected patcher over default: maps merge, lists replace, null deletes', () => {
    const resolved = resolvePlatformInputs('service', block, 'billing', document);
    expect(resolved.inputs).toEqual({ replicas: 4, labels: { env: 'prod', team: 'pay' }, ports: [8443] });
    expect(resolved.importedResources).toEqual({ 'v1:ConfigMap:a:b': 'a/b' });
  });

  it('uses default alone for a project no patcher selects', () => {
    const resolved = resolvePlatformInputs('service', block, 'shop', document);
    expect(resolved.inputs).toEqual({ replicas: 2, labels: { env: 'prod', tier: 'web' }, ports: [80, 443] });
  });

  it('locates a value in the patcher block that set it, else in default', () => {
    const resolved = resolvePlatformInputs('service', block, 'payments', document);
    expect(resolved.document.locate(['replicas'])).toBe('workspace prod:11:19');
    expect(resolved.document.locate(['labels', 'env'])).toBe('workspace prod:6:23');
  });
});

describe('deepMerge', () => {
  it('does not modify its inputs', () => {
    const base = { a: { b: 1 } };
    deepMerge(base, { a: { c: 2 } });
    expect(base).toEqual({ a: { b: 1 } });
  });
});
