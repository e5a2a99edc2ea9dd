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

/** The test provider of the offline stand-in's password: installable from a local mirror, no network. */
export function kusionTestProvider(platform: DatabasePlatformInputs): TerraformProvider {
  return {
    source: 'kusion.test/kusion/kusiontest',
    version: platform.providerVersions?.kusiontest ?? offlineProviderVersions.kusiontest,
  };
}

/** OpenTofu's and Terraform's built-in provider (`terraform_data`): nothing to install. */
export const builtinProvider: TerraformProvider = {
  source: 'terraform.io/builtin/terraform',
  version: 'builtin',
};
