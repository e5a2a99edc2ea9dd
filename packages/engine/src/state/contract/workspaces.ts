/**
 * The contract every WorkspaceStore adapter passes (local, PostgreSQL, S3): `default` always exists,
 * listing is sorted, `current` follows switches and deletions, Rego files live and die with their
 * workspace. Test-only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceStore } from '../port.js';

/** What a backend under test provides. */
export interface WorkspaceStoreFixture {
  /** A handle on the backend's workspaces; two calls must share them, as two processes would. */
  open(): WorkspaceStore;
  cleanup?(): Promise<void>;
}

/** Registers the WorkspaceStore contract tests for one adapter. */
export function describeWorkspaceStoreContract(
  name: string,
  makeFixture: () => WorkspaceStoreFixture | Promise<WorkspaceStoreFixture>,
): void {
  describe(`WorkspaceStore contract: ${name}`, () => {
    let fixture: WorkspaceStoreFixture;
    let store: WorkspaceStore;

    beforeEach(async () => {
      fixture = await makeFixture();
      store = fixture.open();
    });

    afterEach(async () => {
      await fixture.cleanup?.();
    });

    it('given a fresh backend, then default exists, empty, and is current', async () => {
      expect(await store.current()).toBe('default');
      expect(await store.list()).toEqual(['default']);
      expect(await store.read('default')).toBe('');
      expect(await store.read('prod')).toBeUndefined();
    });

    it('given written workspaces, when listed by another handle, then sorted by code point, text verbatim', async () => {
      const text = 'context:\n  REGION: eu-west-1 # ü\n';
      await store.write('prod', text);
      await store.write('Zeta', 'a: 1\n');
      await store.write('dev', '');
      const other = fixture.open();
      expect(await other.list()).toEqual(['Zeta', 'default', 'dev', 'prod']);
      expect(await other.read('prod')).toBe(text);
      await other.write('prod', 'b: 2\n');
      expect(await store.read('prod')).toBe('b: 2\n');
    });

    it('given a switch and the removal of the current workspace, then current resets to default', async () => {
      await store.write('prod', 'a: 1\n');
      await store.write('dev', 'a: 2\n');
      await store.setCurrent('prod');
      expect(await fixture.open().current()).toBe('prod');
      await store.remove('dev');
      expect(await store.current()).toBe('prod');
      await store.remove('prod');
      expect(await store.current()).toBe('default');
      expect(await store.list()).toEqual(['default']);
      expect(await store.read('prod')).toBeUndefined();
    });

    it('given Rego files, when written, read, replaced and the workspace removed, then they follow', async () => {
      expect(await store.readPolicyFiles('prod')).toEqual({});
      await store.write('prod', 'policies: []\n');
      const files = {
        deny: { 'b.rego': 'package b\n', 'a.rego': 'package a\n' },
        warn: { 'w.rego': 'package w\n' },
      };
      await store.writePolicyFiles('prod', files);
      expect(await fixture.open().readPolicyFiles('prod')).toEqual(files);
      await store.writePolicyFiles('prod', { deny: { 'a.rego': 'package a2\n' } });
      expect(await store.readPolicyFiles('prod')).toEqual({ deny: { 'a.rego': 'package a2\n' } });
      expect(await store.list()).toEqual(['default', 'prod']);
      await store.remove('prod');
      expect(await store.readPolicyFiles('prod')).toEqual({});
      await store.write('other', '');
      await store.writePolicyFiles('other', files);
      await store.writePolicyFiles('other', {});
      expect(await store.readPolicyFiles('other')).toEqual({});
    });

    it('given two first runs asking for a seed at once, then both get the same stored text, kept after', async () => {
      const [a, b] = await Promise.all([
        store.seed('prod', () => 'seed-a'),
        fixture.open().seed('prod', () => 'seed-b'),
      ]);
      expect(a).toBe(b);
      expect(['seed-a', 'seed-b']).toContain(a);
      expect(await store.seed('prod', () => 'seed-c')).toBe(a);
      expect(await store.seed('dev', () => 'seed-d')).toBe('seed-d');
      expect(await store.list()).toEqual(['default']);
    });
  });
}
