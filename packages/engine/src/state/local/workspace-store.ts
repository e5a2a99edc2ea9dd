import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { Codes, KusionError } from '../../errors/index.js';
import type { WorkspacePolicyFiles } from '../../model/policy.js';
import { defaultWorkspace, type WorkspaceStore } from '../port.js';
import { readIfExists, removeIfExists, writeAtomically } from './atomic-file.js';
import { createExclusively } from './durable-file.js';

interface Metadata {
  current?: string | undefined;
  available?: string[];
}

const PolicyFilesSchema = z.record(z.string(), z.record(z.string(), z.string()));

/**
 * Workspaces as files: `workspaces/<name>.yaml` and `workspaces/.metadata.yaml` (SPEC §9.2), plus the Rego
 * files of a workspace's policies in `workspaces/<name>.policies.json` (not listed: not a `.yaml`).
 */
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
    await removeIfExists(this.policyFileOf(name));
    await this.updateMetadata((m) => ({
      current: m.current === name ? defaultWorkspace : m.current,
      available: (m.available ?? []).filter((n) => n !== name),
    }));
  }

  async seed(name: string, create: () => string): Promise<string> {
    const path = join(this.dir, `${name}.seed.enc`);
    const stored = await readIfExists(path);
    if (stored !== undefined) return stored;
    // Exclusive create: of two first runs one writes, and both read what it wrote.
    await createExclusively(path, create(), { durable: true, mode: 0o600 });
    return (await readIfExists(path)) ?? '';
  }

  async current(): Promise<string> {
    return (await this.metadata()).current ?? defaultWorkspace;
  }

  async setCurrent(name: string): Promise<void> {
    await this.updateMetadata((m) => ({ ...m, current: name }));
  }

  async readPolicyFiles(name: string): Promise<WorkspacePolicyFiles> {
    const path = this.policyFileOf(name);
    const text = await readIfExists(path);
    if (text === undefined) return {};
    let parsed: ReturnType<typeof PolicyFilesSchema.safeParse>;
    try {
      parsed = PolicyFilesSchema.safeParse(JSON.parse(text));
    } catch (error) {
      throw new KusionError(Codes.stateRecordInvalid, `${path} is not valid JSON`, {
        source: 'system',
        location: path,
        cause: error,
      });
    }
    if (!parsed.success)
      throw new KusionError(Codes.stateRecordInvalid, `${path} does not hold policy files`, {
        source: 'system',
        location: path,
      });
    return parsed.data;
  }

  async writePolicyFiles(name: string, files: WorkspacePolicyFiles): Promise<void> {
    if (Object.keys(files).length === 0) {
      await removeIfExists(this.policyFileOf(name));
      return;
    }
    // Sorted keys: the same files always give the same bytes.
    const sorted = Object.fromEntries(
      Object.keys(files)
        .sort()
        .map((rule) => {
          const byPath = files[rule] ?? {};
          return [
            rule,
            Object.fromEntries(
              Object.keys(byPath)
                .sort()
                .map((p) => [p, byPath[p]]),
            ),
          ];
        }),
    );
    await writeAtomically(this.policyFileOf(name), `${JSON.stringify(sorted, null, 2)}\n`);
  }

  private policyFileOf(name: string): string {
    return join(this.dir, `${name}.policies.json`);
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
