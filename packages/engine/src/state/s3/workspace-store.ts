/**
 * Workspaces as objects (SPEC §9.2): `workspaces/<name>.yaml`, `workspaces/.metadata.yaml`
 * (`{current, available}`, changed only by `If-Match` on the version read, so two switches never lose
 * one another's change) and `workspaces/<name>.policies.json` (a workspace's Rego files).
 */
import stringify from 'safe-stable-stringify';
import { parse, stringify as toYaml } from 'yaml';
import { z } from 'zod';
import { Codes, KusionError } from '../../errors/index.js';
import type { WorkspacePolicyFiles } from '../../model/policy.js';
import { invalidRecord } from '../errors.js';
import { defaultWorkspace, type WorkspaceStore } from '../port.js';
import type { S3Objects } from './objects.js';

const MetadataSchema = z.object({
  current: z.string().nullish(),
  available: z.array(z.string()).nullish(),
});
type Metadata = { current: string; available: string[] };
const PolicyFilesSchema = z.record(z.string(), z.record(z.string(), z.string()));

const metadataKey = 'workspaces/.metadata.yaml';
const fileOf = (name: string) => `workspaces/${name}.yaml`;
const policyFileOf = (name: string) => `workspaces/${name}.policies.json`;

/** The workspaces of one S3 backend. */
export class S3WorkspaceStore implements WorkspaceStore {
  private readonly objects: S3Objects;

  constructor(objects: S3Objects) {
    this.objects = objects;
  }

  async read(name: string): Promise<string | undefined> {
    const stored = await this.objects.get(fileOf(name));
    if (stored) return stored.body;
    if (name !== defaultWorkspace) return undefined;
    // `default` always exists; of two first users one creates it, and both read the same text.
    await this.objects.createIfAbsent(fileOf(name), '');
    return (await this.objects.get(fileOf(name)))?.body ?? '';
  }

  async list(): Promise<readonly string[]> {
    await this.read(defaultWorkspace);
    return (await this.objects.list('workspaces/', { shallow: true }))
      .map((key) => key.slice('workspaces/'.length))
      .filter((name) => name.endsWith('.yaml') && !name.startsWith('.'))
      .map((name) => name.slice(0, -'.yaml'.length))
      .sort();
  }

  async write(name: string, text: string): Promise<void> {
    await this.objects.put(fileOf(name), text);
    await this.updateMetadata((m) => ({ ...m, available: [...new Set([...m.available, name])].sort() }));
  }

  async remove(name: string): Promise<void> {
    await this.objects.delete(fileOf(name));
    await this.objects.delete(policyFileOf(name));
    await this.updateMetadata((m) => ({
      current: m.current === name ? defaultWorkspace : m.current,
      available: m.available.filter((n) => n !== name),
    }));
  }

  async seed(name: string, create: () => string): Promise<string> {
    const key = `workspaces/${name}.seed.enc`;
    const stored = await this.objects.get(key);
    if (stored) return stored.body;
    // If-None-Match without the probe (previews create seeds too): the first writer's text is kept.
    await this.objects.createIfAbsent(key, create());
    return (await this.objects.get(key))?.body ?? '';
  }

  async current(): Promise<string> {
    return (await this.metadata()).value.current;
  }

  async setCurrent(name: string): Promise<void> {
    await this.updateMetadata((m) => ({ ...m, current: name }));
  }

  async readPolicyFiles(name: string): Promise<WorkspacePolicyFiles> {
    const stored = await this.objects.get(policyFileOf(name));
    if (!stored) return {};
    let value: unknown;
    try {
      value = JSON.parse(stored.body) as unknown;
    } catch {
      value = undefined;
    }
    const parsed = PolicyFilesSchema.safeParse(value);
    if (!parsed.success) throw invalidRecord('policy files', policyFileOf(name), 'not a map of Rego files');
    return parsed.data;
  }

  async writePolicyFiles(name: string, files: WorkspacePolicyFiles): Promise<void> {
    if (Object.keys(files).length === 0) await this.objects.delete(policyFileOf(name));
    // Sorted keys: the same files always give the same bytes.
    else await this.objects.put(policyFileOf(name), `${stringify(files, null, 2)}\n`);
  }

  private async metadata(): Promise<{ value: Metadata; etag: string | undefined }> {
    const stored = await this.objects.get(metadataKey);
    if (!stored) return { value: { current: defaultWorkspace, available: [] }, etag: undefined };
    let raw: unknown;
    try {
      raw = parse(stored.body) as unknown;
    } catch {
      raw = undefined;
    }
    const parsed = MetadataSchema.safeParse(raw ?? {});
    if (!parsed.success) throw invalidRecord('workspace metadata', metadataKey, parsed.error.message);
    return {
      value: { current: parsed.data.current ?? defaultWorkspace, available: parsed.data.available ?? [] },
      etag: stored.etag,
    };
  }

  private async updateMetadata(change: (m: Metadata) => Metadata): Promise<void> {
    for (let round = 0; round < 10; round++) {
      const { value, etag } = await this.metadata();
      const next = change(value);
      const text = toYaml({ current: next.current, available: next.available });
      const written = await this.objects.put(
        metadataKey,
        text,
        etag ? { ifMatch: etag } : { ifNoneMatch: true },
      );
      if (written !== undefined) return;
    }
    throw new KusionError(Codes.backendUnreachable, `${metadataKey} keeps changing; try again`, {
      source: 'external',
    });
  }
}
