import type { UnitStateStore } from '../port.js';
import { checkUnitName, unitNamePattern } from '../rules.js';
import type { S3Objects } from './objects.js';

const suffix = '.enc';

/**
 * OpenTofu state blobs as objects, `tfstate/<project>/<stack>/<workspace>/<unit>.enc` (SPEC §9.2). A PUT
 * replaces an object atomically, so readers see the old or the new text, never half.
 */
export class S3UnitStates implements UnitStateStore {
  private readonly objects: S3Objects;
  private readonly dir: string;

  constructor(objects: S3Objects, dir: string) {
    this.objects = objects;
    this.dir = dir;
  }

  async read(unit: string): Promise<string | undefined> {
    return (await this.objects.get(this.keyOf(unit)))?.body;
  }

  async write(unit: string, text: string): Promise<void> {
    await this.objects.put(this.keyOf(unit), text);
  }

  async remove(unit: string): Promise<void> {
    await this.objects.delete(this.keyOf(unit));
  }

  async list(): Promise<readonly string[]> {
    return (await this.objects.list(this.dir))
      .map((key) => key.slice(this.dir.length))
      .filter((name) => name.endsWith(suffix))
      .map((name) => name.slice(0, -suffix.length))
      .filter((unit) => unitNamePattern.test(unit))
      .sort();
  }

  private keyOf(unit: string): string {
    return `${this.dir}${checkUnitName(unit)}${suffix}`;
  }
}
