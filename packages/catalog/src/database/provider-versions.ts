/**
 * Provider versions this module release pins for `cloud: aws`, so the same module version always plans against
 * the same provider behaviour. The workspace's `providerVersions` may replace them.
 */
export const pinnedProviderVersions = { random: '3.6.3', aws: '5.100.0' } as const;

/**
 * Provider versions pinned for `cloud: offline`: the one an offline provider mirror is expected to hold (the
 * testbed's does). The workspace's `providerVersions` may replace it.
 */
export const offlineProviderVersions = { kusiontest: '0.1.0' } as const;
