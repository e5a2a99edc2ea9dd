import type { TerraformProvider } from '@kusion/module-sdk';
import { offlineProviderVersions, pinnedProviderVersions } from './provider-versions.js';
import type { DatabasePlatformInputs } from './schema.js';

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
