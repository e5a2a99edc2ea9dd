import { describe, expect, it } from 'vitest';
import { openSecretStore } from './index.js';

const deps = {
  env: {},
  kubeconfig: () => Promise.reject(new Error('no cluster in unit tests')),
};

describe('openSecretStore', () => {
  it('opens nothing without a secret store', () => {
    expect(openSecretStore(null, deps)).toBeUndefined();
    expect(openSecretStore({ provider: {} }, deps)).toBeUndefined();
  });

  it('opens the configured provider', () => {
    expect(openSecretStore({ provider: { fake: { data: [] } } }, deps)?.provider).toBe('fake');
    expect(openSecretStore({ provider: { kubernetes: { namespace: 'secrets' } } }, deps)?.provider).toBe(
      'kubernetes',
    );
    expect(
      openSecretStore({ provider: { vault: { server: 'https://vault.example:8200' } } }, deps)?.provider,
    ).toBe('vault');
    expect(openSecretStore({ provider: { aws: { region: 'eu-west-1' } } }, deps)?.provider).toBe('aws');
  });

  it('says azure is not supported yet, with a hint (KUS2002)', () => {
    expect(() => openSecretStore({ provider: { azure: { vaultUrl: 'https://kv.example' } } }, deps)).toThrow(
      expect.objectContaining({ code: 'KUS2002', message: expect.stringContaining('not supported yet') }),
    );
  });

  it('refuses a kubernetes store without a namespace', () => {
    expect(() => openSecretStore({ provider: { kubernetes: {} } }, deps)).toThrow(
      expect.objectContaining({ code: 'KUS2002' }),
    );
  });
});
