/**
 * Shared pieces of the ReleaseStore contract suite: the fixture a backend provides, the per-test context
 * and sample records. Test-only.
 */
import { expect } from 'vitest';
import type { Release, ReleasePhase } from '../../model/release.js';
import type { ReleaseIdentity } from '../errors.js';
import type { FakeClock } from '../fake-clock.js';
import type { ReleaseStore } from '../port.js';
import type { LockOwner, StateResource } from '../records.js';

/** What a backend under test provides to the contract suite. */
export interface ReleaseStoreFixture {
  /**
   * A store for an identity. Two calls with the same identity must share its history, as two processes
   * on the same backend would.
   */
  open(identity: ReleaseIdentity): ReleaseStore;
  /** Called after each test. */
  cleanup?(): Promise<void>;
}

/** Builds a fresh, empty backend whose lock expiry follows `clock`. */
export type MakeReleaseStoreFixture = (
  clock: FakeClock,
) => ReleaseStoreFixture | Promise<ReleaseStoreFixture>;

/** What each test sees; refreshed before every test. */
export interface ContractContext {
  clock: FakeClock;
  fixture: ReleaseStoreFixture;
  /** A store for `shop`. */
  store: ReleaseStore;
}

export const shop: ReleaseIdentity = { project: 'shop', stack: 'prod', workspace: 'default' };
export const leaseMs = 60_000;

export function owner(name: string): LockOwner {
  return { operator: `${name}@laptop`, host: `${name}-host`, pid: 4000 + name.length, runId: `run-${name}` };
}

export function resource(name: string, extra: Record<string, unknown> = {}): StateResource {
  return {
    id: `v1:ConfigMap:shop:${name}`,
    type: 'Kubernetes',
    attributes: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, ...extra },
  };
}

export function release(
  revision: number,
  phase: ReleasePhase = 'generating',
  changes: Partial<Release> = {},
): Release {
  return {
    ...shop,
    revision,
    phase,
    spec: { resources: [resource('a')] },
    state: { resources: [] },
    operator: 'alice@laptop',
    source: { kind: 'apply' },
    kusionVersion: '0.1.0',
    createTime: `2026-01-01T00:00:0${revision % 10}Z`,
    modifiedTime: `2026-01-01T00:00:0${revision % 10}Z`,
    ...changes,
  };
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return expect.unreachable('expected a rejection');
}
