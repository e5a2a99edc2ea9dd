/**
 * Per-suite isolation (TESTBED.md §3.8): one namespace `kt-<suite>-<6 random chars>` per test file.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, inject } from 'vitest';
import { type ApiTarget, pollUntil, request, requestOk } from './http.js';
import type { TestbedInfo } from './info.js';

/** The apiserver of `info`, with its CA and bearer token, for the harness's own REST calls. */
export function apiTarget(info: TestbedInfo): ApiTarget {
  const k = info.kubernetes;
  return { url: k.apiserverUrl, ca: readFileSync(k.caFile), token: k.token };
}

/** Six lowercase alphanumerics. */
export function randomSuffix(length = 6): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** A suite's namespace; `name` is valid from `beforeAll` on. */
export interface SuiteNamespace {
  readonly name: string;
  /** The testbed the namespace lives in. */
  readonly testbed: TestbedInfo;
}

/** Creates a namespace labelled `kusion.test/run=<runId>` and waits for its `default` ServiceAccount. */
export async function createNamespace(info: TestbedInfo, name: string, signal?: AbortSignal): Promise<void> {
  const api = apiTarget(info);
  const body = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kusion.test/run': info.runId } },
  };
  await requestOk(api, '/api/v1/namespaces', { method: 'POST', body, ...(signal ? { signal } : {}) });
  await pollUntil(
    `ServiceAccount default in ${name}`,
    async () => (await request(api, `/api/v1/namespaces/${name}/serviceaccounts/default`)).status === 200,
    signal ?? AbortSignal.timeout(30_000),
  );
}

/** Deletes a namespace without waiting for it to finish terminating. */
export async function deleteNamespace(info: TestbedInfo, name: string): Promise<void> {
  const res = await request(apiTarget(info), `/api/v1/namespaces/${name}`, { method: 'DELETE' });
  if (res.status !== 200 && res.status !== 202 && res.status !== 404) {
    throw new Error(`DELETE namespace ${name}: HTTP ${res.status}: ${res.text.slice(0, 300)}`);
  }
}

/**
 * Registers `beforeAll`/`afterAll` hooks that create this suite's namespace and delete it afterwards.
 * `suite` is a short lowercase name (letters, digits, dashes).
 */
export function useNamespace(suite: string): SuiteNamespace {
  if (!/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/.test(suite)) throw new Error(`invalid suite name '${suite}'`);
  let name: string | undefined;
  const testbed = inject('testbed');
  beforeAll(async () => {
    const candidate = `kt-${suite}-${randomSuffix()}`;
    await createNamespace(testbed, candidate, AbortSignal.timeout(60_000));
    name = candidate;
  });
  afterAll(async () => {
    if (name) await deleteNamespace(testbed, name);
  });
  return {
    testbed,
    get name(): string {
      if (!name) throw new Error('useNamespace: the namespace exists only from beforeAll on');
      return name;
    },
  };
}
