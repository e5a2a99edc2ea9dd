import { join } from 'node:path';
import type { UnitStateStore } from '../port.js';
import { checkUnitName, unitNamePattern } from '../rules.js';
import { readIfExists } from './atomic-file.js';
import { listNames, removeFile, replaceFile } from './durable-file.js';

const suffix = '.enc';

/** OpenTofu state blobs as files: `tfstate/<project>/<stack>/<workspace>/<unit>.enc` (SPEC §9.2). */
export class LocalUnitStateStore implements UnitStateStore {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async read(unit: string): Promise<string | undefined> {
    return await readIfExists(this.fileOf(unit));
  }

  async write(unit: string, text: string): Promise<void> {
    await replaceFile(this.fileOf(unit), text, { durable: true, mode: 0o600 });
  }

  async remove(unit: string): Promise<void> {
    await removeFile(this.fileOf(unit), { durable: true });
  }

  async list(): Promise<readonly string[]> {
    return (await listNames(this.dir))
      .filter((name) => name.endsWith(suffix))
      .map((name) => name.slice(0, -suffix.length))
      .filter((unit) => unitNamePattern.test(unit))
      .sort();
  }

  private fileOf(unit: string): string {
    return join(this.dir, `${checkUnitName(unit)}${suffix}`);
  }
}
