import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Resource } from '../../../packages/engine/src/model/index.js';
import { TerraformRuntime } from '../../../packages/engine/src/runtimes/terraform/index.js';
import { LocalReleaseStore } from '../../../packages/engine/src/state/local/release-store.js';

const testbed = inject('testbed');
const kusiontest = testbed.tofu.providers.find((p) => p.source.endsWith('/kusiontest'));
const provider = `${kusiontest?.source}/${kusiontest?.version}`;

const password = (name: string, length = 20): Resource => ({
  id: `kusion:kusiontest:kusiontest_password:${name}`,
  type: 'Terraform',
  attributes: { length, special: false },
  extensions: { provider, providerMeta: {}, resourceType: 'kusiontest_password' },
});
const instance = (name: string, passwordId: string): Resource => ({
  id: `builtin:terraform:terraform_data:${name}`,
  type: 'Terraform',
  attributes: { input: { host: `${name}.internal`, secret: `$kusion_path.${passwordId}.result` } },
  dependsOn: [passwordId],
  extensions: {
    provider: 'terraform.io/builtin/terraform/builtin',
    providerMeta: {},
    resourceType: 'terraform_data',
    'kusion.io/sensitive': ['input.secret', 'output.secret'],
  },
});
const file = (name: string, filename: string): Resource => ({
  id: `kusion:kusiontest:kusiontest_file:${name}`,
  type: 'Terraform',
  attributes: { filename, content: 'hello' },
  extensions: { provider, providerMeta: {}, resourceType: 'kusiontest_file' },
});

describe('Terraform runtime on the testbed OpenTofu (offline mirror)', () => {
  let home = '';
  let store: LocalReleaseStore;
  const key = randomBytes(32);
  const open = () =>
    new TerraformRuntime({
      binary: testbed.tofu.bin,
      cliConfigFile: testbed.tofu.cliConfigFile,
      parallelism: 10,
      timeoutMs: 120_000,
      env: {},
      cacheDir: path.join(home, 'cache', 'terraform'),
      identityKey: 'test',
      states: store.unitStates,
      key,
    });

  beforeAll(async () => {
    home = await mkdtemp(path.join(testbed.runDir, 'tf-runtime-'));
    store = new LocalReleaseStore(
      home,
      { project: 'p', stack: 's', workspace: 'w' },
      { clock: { now: () => new Date() } },
    );
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('plans, applies a unit with a native reference, keeps the state encrypted, re-plans as unchanged and destroys', async () => {
    const pw = password('db');
    const db = instance('db', pw.id);
    const runtime = open();
    const plans = await runtime.planUnit([pw, db]);
    expect(plans.get(pw.id)).toMatchObject({ action: 'Create', live: null });
    expect(plans.get(pw.id)?.predicted?.['result']).toBe('(known after apply)');
    expect(plans.get(pw.id)?.sensitivePaths).toContain('result');
    expect(plans.get(db.id)?.action).toBe('Create');

    const progress: string[] = [];
    const outcomes = await runtime.applyUnit([pw, db], new Set([pw.id, db.id]), {
      onProgress: (id, message) => progress.push(`${id} ${message}`),
    });
    expect(outcomes.map((o) => [o.id, o.status])).toEqual([
      [pw.id, 'succeeded'],
      [db.id, 'succeeded'],
    ]);
    const secret = outcomes[0]?.resource?.attributes['result'];
    expect(secret).toMatch(/^[A-Za-z0-9]{20}$/);
    // The reference between members was native: OpenTofu passed the password on, unwrapped from its type.
    expect(outcomes[1]?.resource?.attributes['output']).toEqual({ host: 'db.internal', secret });
    expect(outcomes[1]?.resource?.extensions?.['kusion.io/sensitive']).toEqual(
      expect.arrayContaining(['input.secret', 'output.secret']),
    );
    await runtime.close();

    const stored = await store.unitStates.read('main');
    expect(stored).toContain('$kusion_encrypted');
    expect(stored).not.toContain(String(secret));
    // Working directories (with the decrypted state) are gone once the runtime is closed.
    expect(await readdir(path.join(home, 'cache', 'terraform', 'test'))).toEqual([]);

    const again = open();
    const replanned = await again.planUnit([pw, db]);
    expect(replanned.get(pw.id)).toMatchObject({ action: 'UnChanged' });
    expect(replanned.get(pw.id)?.live?.['result']).toBe(secret);
    expect(replanned.get(db.id)?.action).toBe('UnChanged');
    const longer = password('db', 24);
    expect((await again.planUnit([longer, db])).get(pw.id)).toMatchObject({
      action: 'Replace',
      notes: ['forces replacement: length'],
    });
    const deleted = await again.deleteUnit([pw, db]);
    expect(deleted.map((o) => o.status)).toEqual(['succeeded', 'succeeded']);
    expect((await again.planUnit([pw])).get(pw.id)?.action).toBe('Create');
    await again.close();
  });

  it('reports a failing provider with its diagnostic, skips dependents and still applies independent members', async () => {
    const runtime = open();
    const bad = file('bad', '/proc/kusion-cannot-write/here.txt');
    const dependent = {
      ...instance('after-bad', bad.id),
      attributes: { input: `$kusion_path.${bad.id}.id` },
    };
    const good = password('independent');
    const outcomes = await runtime.applyUnit(
      [bad, dependent, good],
      new Set([bad.id, dependent.id, good.id]),
    );
    const byId = new Map(outcomes.map((o) => [o.id, o]));
    expect(byId.get(bad.id)?.status).toBe('failed');
    expect(byId.get(bad.id)?.error?.code).toBe('KUS6003');
    expect(byId.get(bad.id)?.error?.message).toMatch(/^cannot create directory/);
    expect(byId.get(bad.id)?.error?.location).toBe(bad.id);
    expect(byId.get(dependent.id)?.status).toBe('skipped');
    expect(byId.get(good.id)?.status).toBe('succeeded');
    await runtime.close();
    const state = JSON.stringify(await store.unitStates.read('main'));
    expect(state.length).toBeGreaterThan(0);
    const reopened = open();
    expect((await reopened.planUnit([good])).get(good.id)?.action).toBe('UnChanged');
    await reopened.deleteUnit([good]);
    await reopened.close();
  });

  it('imports an observed resource by its import ID and never changes it', async () => {
    const existing = path.join(home, 'existing.conf');
    await writeFile(existing, 'kept as it is\n');
    const observed: Resource = {
      ...file('existing', existing),
      attributes: { filename: existing, content: 'what the spec says' },
      extensions: { ...file('existing', existing).extensions, 'kusionstack.io/import-id': existing },
    };
    const reader = {
      ...instance('reader', observed.id),
      attributes: { input: `$kusion_path.${observed.id}.content` },
    };
    const runtime = open();
    const outcomes = await runtime.applyUnit([observed, reader], new Set([observed.id, reader.id]));
    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded']);
    expect(outcomes[0]?.resource?.attributes['content']).toBe('kept as it is\n');
    expect(outcomes[1]?.resource?.attributes['output']).toBe('kept as it is\n');
    expect(await readFile(existing, 'utf8')).toBe('kept as it is\n');
    expect((await runtime.planUnit([observed, reader])).get(observed.id)?.action).toBe('UnChanged');
    await runtime.deleteUnit([reader]);
    await runtime.close();
  });

  it('adopts the newer state a killed run left in its working directory', async () => {
    const runtime = open();
    const pw = password('orphan');
    await runtime.applyUnit([pw], new Set([pw.id]));
    // Simulate a kill -9 after OpenTofu wrote state but before Kusion stored it: keep the directory, roll
    // the stored blob back to the state before the apply.
    const runDirs = await readdir(path.join(home, 'cache', 'terraform', 'test'));
    expect(runDirs).toHaveLength(1);
    const leftover = path.join(home, 'cache', 'terraform', 'test', runDirs[0] as string);
    const leftState = await readFile(path.join(leftover, 'terraform.tfstate'), 'utf8');
    expect(leftState).toContain('kusiontest_password');
    await store.unitStates.remove('main');
    const dead = leftover.replace(/run-\d+-/, 'run-999999-');
    await import('node:fs/promises').then((fs) => fs.rename(leftover, dead));

    const next = open();
    expect((await next.planUnit([pw])).get(pw.id)?.action).toBe('UnChanged');
    expect(await readdir(path.join(home, 'cache', 'terraform', 'test'))).toHaveLength(1);
    await next.deleteUnit([pw]);
    await next.close();
  });

  it('installs providers once and links every later run directory to the shared installation', async () => {
    const first = open();
    await first.planUnit([password('shared-a')]);
    const second = open();
    await second.planUnit([password('shared-b')]);
    const runDirs = await readdir(path.join(home, 'cache', 'terraform', 'test'));
    expect(runDirs).toHaveLength(2);
    // Both runs link to one installation (earlier tests made others, for other sets of providers).
    const links = await Promise.all(
      runDirs.map((dir) => readlink(path.join(home, 'cache', 'terraform', 'test', dir, '.terraform'))),
    );
    expect(new Set(links).size).toBe(1);
    expect(path.relative(path.join(home, 'cache', 'terraform', 'init'), links[0] as string)).toMatch(
      /^[0-9a-f]{16}\/\.terraform$/,
    );
    await Promise.all([first.close(), second.close()]);
  });
});
