import { describe, expect, it } from 'vitest';
import { type ContractContext, shop } from './support.js';

/** OpenTofu state blobs per unit: whole replacements, per identity, listed sorted. */
export function describeUnitStates(t: ContractContext): void {
  describe('unit states', () => {
    it('given nothing stored, when read, then undefined and an empty list', async () => {
      expect(await t.store.unitStates.read('main')).toBeUndefined();
      expect(await t.store.unitStates.list()).toEqual([]);
    });

    it('given two writes of one unit, when read, then the second text wins, byte for byte', async () => {
      await t.store.unitStates.write('main', '{"v":1}');
      await t.store.unitStates.write('main', '{"v":2,"é":"ü"}\n');
      expect(await t.store.unitStates.read('main')).toBe('{"v":2,"é":"ü"}\n');
    });

    it('given units of two identities, when listed, then each sees only its own, sorted', async () => {
      await t.store.unitStates.write('main-2', 'b');
      await t.store.unitStates.write('main', 'a');
      await t.fixture.open({ ...shop, workspace: 'dev' }).unitStates.write('other', 'c');
      expect(await t.store.unitStates.list()).toEqual(['main', 'main-2']);
      expect(await t.fixture.open(shop).unitStates.read('main')).toBe('a');
    });

    it('given a stored unit, when removed twice, then it is gone and the second removal is no error', async () => {
      await t.store.unitStates.write('main', 'a');
      await t.store.unitStates.remove('main');
      await t.store.unitStates.remove('main');
      expect(await t.store.unitStates.read('main')).toBeUndefined();
    });

    it('given a unit name with a path separator, when written, then it is refused', async () => {
      await expect(t.store.unitStates.write('../escape', 'x')).rejects.toThrow(/invalid Terraform unit name/);
    });
  });
}
