import type { TerraformProvider } from '@kusion/module-sdk';
import type { DatabasePlatformInputs } from './schema.js';

/**
 * Provider versions this module release pins for `cloud: aws`, so the same module version always plans against
 * the same provider behaviour. The workspace's `providerVersions` may replace them.
 */
export const pinnedProviderVersions = { random: '3.6.3', aws: '5.100.0' } as const;

/**
 * Provider versions pinned for `cloud: offline`: the ones an offline provider mirror is expected to hold (the
 * testbed's does). The workspace's `providerVersions` may replace them.
 */
export const offlineProviderVersions = { random: '3.9.0', null: '3.3.1' } as const;

/** The `hashicorp/random` provider for the password, at `pinned` unless the workspace overrides it. */
export function randomProvider(
  platform: DatabasePlatformInputs,
  pinned: string = pinnedProviderVersions.random,
): TerraformProvider {
  return { source: 'hashicorp/random', version: platform.providerVersions?.random ?? pinned };
}

/** The `hashicorp/aws` provider in the instance's region. */
export function awsProvider(platform: DatabasePlatformInputs, region: string): TerraformProvider {
  return {
    source: 'hashicorp/aws',
    version: platform.providerVersions?.aws ?? pinnedProviderVersions.aws,
    meta: { region },
  };
}

/** The `hashicorp/null` provider of the offline stand-in instance. */
export function nullProvider(platform: DatabasePlatformInputs): TerraformProvider {
  return {
    source: 'hashicorp/null',
    version: platform.providerVersions?.null ?? offlineProviderVersions.null,
  };
}
