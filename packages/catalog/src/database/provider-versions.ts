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
