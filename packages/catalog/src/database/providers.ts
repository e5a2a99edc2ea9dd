import type { TerraformProvider } from '@kusion/module-sdk';
import type { DatabasePlatformInputs } from './schema.js';

/**
 * Provider versions this module release pins, so the same module version always plans against the same
 * provider behaviour. The workspace's `providerVersions` may replace them.
 */
export const pinnedProviderVersions = { random: '3.6.3', aws: '5.100.0' } as const;

/** The `hashicorp/random` provider for the password. */
export function randomProvider(platform: DatabasePlatformInputs): TerraformProvider {
  return {
    source: 'hashicorp/random',
    version: platform.providerVersions?.random ?? pinnedProviderVersions.random,
  };
}

/** The `hashicorp/aws` provider in the instance's region. */
export function awsProvider(platform: DatabasePlatformInputs, region: string): TerraformProvider {
  return {
    source: 'hashicorp/aws',
    version: platform.providerVersions?.aws ?? pinnedProviderVersions.aws,
    meta: { region },
  };
}
