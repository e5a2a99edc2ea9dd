import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { defaultWorkspace, type WorkspaceStore } from '../port.js';
import { readIfExists, removeIfExists, writeAtomically } from './atomic-file.js';

interface Metadata {
  current?: string | undefined;
  available?: string[];
}

/** Workspaces as files: `workspaces/<name>.yaml` and `workspaces/.metadata.yaml` (SPEC §9.2). */
export class LocalWorkspaceStore implements WorkspaceStore {
  private readonly dir: string;

  constructor(root: string) {
    this.dir = join(root, 'workspaces');
  }

  async read(name: string): Promise<string | undefined> {
    const text = await readIfExists(this.fileOf(name));
    if (text === undefined && name === defaultWorkspace) {
      await this.write(defaultWorkspace, '');
      return '';
    }
    return text;
  }

  async list(): Promise<readonly string[]> {
    await this.read(defaultWorkspace);
    const entries = await readdir(this.dir);
    return entries
      .filter((f) => f.endsWith('.yaml') && !f.startsWith('.'))
      .map((f) => f.slice(0, -'.yaml'.length))
      .sort();
  }

  async write(name: string, text: string): Promise<void> {
    await writeAtomically(this.fileOf(name), text);
    await this.updateMetadata((m) => ({
      ...m,
      available: [...new Set([...(m.available ?? []), name])].sort(),
    }));
  }

  async remove(name: string): Promise<void> {
    await removeIfExists(this.fileOf(name));
    await this.updateMetadata((m) => ({
      current: m.current === name ? defaultWorkspace : m.current,
      available: (m.available ?? []).filter((n) => n !== name),
    }));
  }

  async current(): Promise<string> {
    return (await this.metadata()).current ?? defaultWorkspace;
  }

  async setCurrent(name: string): Promise<void> {
    await this.updateMetadata((m) => ({ ...m, current: name }));
  }

  private fileOf(name: string): string {
    return join(this.dir, `${name}.yaml`);
  }

  private async metadata(): Promise<Metadata> {
    const text = await readIfExists(join(this.dir, '.metadata.yaml'));
    return ((text ? parse(text) : {}) ?? {}) as Metadata;
  }

  private async updateMetadata(change: (m: Metadata) => Metadata): Promise<void> {
    const next = change(await this.metadata());
    await writeAtomically(
      join(this.dir, '.metadata.yaml'),
      stringify({ current: next.current ?? defaultWorkspace, available: next.available ?? [] }),
    );
  }
}
