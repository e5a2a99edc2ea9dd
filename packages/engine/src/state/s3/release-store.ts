/**
 * Release histories as objects (SPEC §9.2), under the backend's prefix:
 *
 *   releases/<project>/<stack>/<workspace>/<revision>.yaml     one release, canonical YAML
 *   releases/<project>/<stack>/<workspace>/index.json          {latestRevision, entries}
 *   releases/<project>/<stack>/<workspace>/journal/<revision>/<seq>.json
 *   locks/<project>/<stack>/<workspace>.json                   see lock.ts
 *   tfstate/<project>/<stack>/<workspace>/<unit>.enc
 *
 * Compare-and-set: a revision is created with `If-None-Match: *` (of two creators exactly one gets it),
 * replaced with `If-Match` on the ETag read (so a release someone finished meanwhile is never
 * overwritten), and each journal entry is its own object created with `If-None-Match: *`, never a
 * rewrite of state.
 *
 * As in the local adapter, the release objects are the truth and `index.json` a summary that may lag by
 * the one write a crash interrupted: reading lists the revision keys, keeps the index's finished entries
 * (finished releases never change) and re-reads the rest, and the next write persists a repaired index.
 */
import pLimit from 'p-limit';
import { type Release, ReleaseSchema } from '../../model/release.js';
import {
  identityLabel,
  invalidRecord,
  type ReleaseIdentity,
  releaseNotFound,
  StateConflictError,
} from '../errors.js';
import type {
  Clock,
  OpenReleaseStore,
  ReleaseJournal,
  ReleaseLock,
  ReleaseStore,
  UnitStateStore,
} from '../port.js';
import {
  isFinishedPhase,
  type JournalEntry,
  JournalEntrySchema,
  type ReleaseIndex,
  type ReleaseIndexEntry,
  ReleaseIndexSchema,
} from '../records.js';
import { releaseFromText, releaseToText } from '../release-text.js';
import {
  checkDeletable,
  checkIdentitySegments,
  checkJournalEntry,
  checkMutable,
  checkNextRevision,
  checkReleaseWrite,
  indexEntryOf,
  indexOf,
  revisionExists,
} from '../rules.js';
import { S3Lock } from './lock.js';
import type { S3Objects, StoredObject } from './objects.js';
import { S3UnitStates } from './unit-states.js';

/** Options of the S3 release store. */
export interface S3ReleaseStoreOptions {
  /** Decides lock expiry. */
  readonly clock: Clock;
}

const revisionKey = /^([1-9][0-9]*)\.yaml$/;
const journalKey = /^([1-9][0-9]*)\.json$/;
const readLimit = pLimit(16);

/** Opens histories on one S3 backend. */
export function openS3ReleaseStore(objects: S3Objects, options: S3ReleaseStoreOptions): OpenReleaseStore {
  return (identity) => new S3ReleaseStore(objects, identity, options);
}

/** The release history of one identity, stored as objects. */
export class S3ReleaseStore implements ReleaseStore {
  readonly identity: ReleaseIdentity;
  readonly lock: ReleaseLock;
  readonly unitStates: UnitStateStore;
  private readonly objects: S3Objects;
  private readonly dir: string;

  constructor(objects: S3Objects, identity: ReleaseIdentity, options: S3ReleaseStoreOptions) {
    checkIdentitySegments(identity);
    const { project, stack, workspace } = identity;
    this.identity = { project, stack, workspace };
    this.objects = objects;
    this.dir = `releases/${project}/${stack}/${workspace}`;
    this.lock = new S3Lock(
      objects,
      `locks/${project}/${stack}/${workspace}.json`,
      this.identity,
      options.clock,
    );
    this.unitStates = new S3UnitStates(objects, `tfstate/${project}/${stack}/${workspace}/`);
  }

  async list(): Promise<ReleaseIndex> {
    return (await this.loadIndex()).index;
  }

  async get(revision: number): Promise<Release | undefined> {
    if (!Number.isInteger(revision) || revision < 1) return undefined;
    return (await this.readRelease(revision))?.release;
  }

  async latest(): Promise<Release | undefined> {
    const revisions = await this.revisionsStored();
    // Newest first: a revision deleted between the listing and the read falls back to the one before.
    for (let i = revisions.length - 1; i >= 0; i--) {
      const found = await this.readRelease(revisions[i] ?? 0);
      if (found) return found.release;
    }
    return undefined;
  }

  async create(release: Release): Promise<void> {
    const checked = checkReleaseWrite(this.identity, release);
    const loaded = await this.loadIndex();
    checkNextRevision(this.identity, loaded.index.latestRevision, checked.revision);
    const written = await this.objects.putExclusive(this.keyOf(checked.revision), releaseToText(checked), {
      ifNoneMatch: true,
    });
    if (written === undefined) throw revisionExists(this.identity, checked.revision);
    await this.writeIndex(indexOf([...loaded.index.entries, indexEntryOf(checked)]), loaded.stored);
  }

  async update(release: Release): Promise<void> {
    const checked = checkReleaseWrite(this.identity, release);
    const stored = await this.readRelease(checked.revision);
    if (!stored) throw releaseNotFound(this.identity, checked.revision);
    checkMutable(this.identity, stored.release);
    const written = await this.objects.put(this.keyOf(checked.revision), releaseToText(checked), {
      ifMatch: stored.etag,
    });
    if (written === undefined) {
      const now = await this.readRelease(checked.revision);
      if (!now) throw releaseNotFound(this.identity, checked.revision);
      checkMutable(this.identity, now.release);
      throw new StateConflictError(
        'release-finished',
        `release ${checked.revision} of ${identityLabel(this.identity)} changed while it was being written`,
      );
    }
    const loaded = await this.loadIndex();
    if (loaded.isStale) await this.writeIndex(loaded.index, loaded.stored);
  }

  async delete(revision: number): Promise<void> {
    const loaded = await this.loadIndex();
    const stored = await this.readRelease(revision);
    if (!stored) throw releaseNotFound(this.identity, revision);
    checkDeletable(this.identity, loaded.index.latestRevision, revision);
    checkMutable(this.identity, stored.release);
    await this.journal(revision).clear();
    await this.objects.delete(this.keyOf(revision));
    await this.writeIndex(
      indexOf(loaded.index.entries.filter((e) => e.revision !== revision)),
      loaded.stored,
    );
  }

  journal(revision: number): ReleaseJournal {
    return new S3Journal(this.objects, `${this.dir}/journal/${revision}/`, revision, this.identity);
  }

  /** The index checked against the release objects (see the note at the top). */
  private async loadIndex(): Promise<{
    index: ReleaseIndex;
    isStale: boolean;
    stored: StoredObject | undefined;
  }> {
    const [revisions, stored] = await Promise.all([
      this.revisionsStored(),
      this.objects.get(this.indexKey()),
    ]);
    const parsedIndex = stored ? ReleaseIndexSchema.safeParse(parseJson(stored.body)) : undefined;
    // The index is a cache of the release objects: a damaged one is rebuilt rather than fatal.
    const known = new Map((parsedIndex?.success ? parsedIndex.data.entries : []).map((e) => [e.revision, e]));
    let isStale = !parsedIndex?.success ? revisions.length > 0 : known.size !== revisions.length;
    const fresh = await Promise.all(
      revisions.map((revision) => {
        const entry = known.get(revision);
        if (entry && isFinishedPhase(entry.phase)) return entry;
        return readLimit(async () => {
          const found = await this.readRelease(revision);
          return found && indexEntryOf(found.release);
        });
      }),
    );
    const entries: ReleaseIndexEntry[] = [];
    for (const entry of fresh) {
      if (!entry) continue; // deleted meanwhile
      const old = known.get(entry.revision);
      if (!old || !sameEntry(old, entry)) isStale = true;
      entries.push(entry);
    }
    const index = indexOf(entries);
    if (parsedIndex?.success && parsedIndex.data.latestRevision !== index.latestRevision) isStale = true;
    return { index, isStale, stored };
  }

  /**
   * Replaces the index if nobody else did since it was read. Losing that race is harmless: the index is
   * a cache that every read checks, and the winner wrote one at least as fresh.
   */
  private async writeIndex(index: ReleaseIndex, read: StoredObject | undefined): Promise<void> {
    await this.objects.put(
      this.indexKey(),
      `${JSON.stringify(index, null, 2)}\n`,
      read ? { ifMatch: read.etag } : { ifNoneMatch: true },
    );
  }

  private async revisionsStored(): Promise<number[]> {
    const keys = await this.objects.list(`${this.dir}/`, { shallow: true });
    const prefix = this.dir.length + 1;
    return keys
      .map((key) => revisionKey.exec(key.slice(prefix))?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  private async readRelease(revision: number): Promise<{ release: Release; etag: string } | undefined> {
    const key = this.keyOf(revision);
    const stored = await this.objects.get(key);
    if (!stored) return undefined;
    let value: unknown;
    try {
      value = releaseFromText(stored.body);
    } catch (error) {
      throw invalidRecord('release', key, error instanceof Error ? error.message : String(error));
    }
    const parsed = ReleaseSchema.safeParse(value);
    if (!parsed.success) throw invalidRecord('release', key, parsed.error.message);
    if (parsed.data.revision !== revision) {
      throw invalidRecord('release', key, `it records revision ${parsed.data.revision}`);
    }
    return { release: parsed.data, etag: stored.etag };
  }

  private keyOf(revision: number): string {
    return `${this.dir}/${revision}.yaml`;
  }

  private indexKey(): string {
    return `${this.dir}/index.json`;
  }
}

/** One revision's journal: one object per entry. */
class S3Journal implements ReleaseJournal {
  private readonly objects: S3Objects;
  private readonly dir: string;
  private readonly revision: number;
  private readonly identity: ReleaseIdentity;

  constructor(objects: S3Objects, dir: string, revision: number, identity: ReleaseIdentity) {
    this.objects = objects;
    this.dir = dir;
    this.revision = revision;
    this.identity = identity;
  }

  async append(entry: JournalEntry): Promise<void> {
    const checked = checkJournalEntry(entry);
    const written = await this.objects.put(`${this.dir}${checked.seq}.json`, `${JSON.stringify(checked)}\n`, {
      ifNoneMatch: true,
    });
    if (written === undefined) {
      throw new StateConflictError(
        'journal-seq-exists',
        `journal entry ${checked.seq} of release ${this.revision} of ${identityLabel(this.identity)} already exists`,
      );
    }
  }

  async read(): Promise<readonly JournalEntry[]> {
    const keys = (await this.objects.list(this.dir)).filter((key) =>
      journalKey.test(key.slice(this.dir.length)),
    );
    const entries = await Promise.all(keys.map((key) => readLimit(() => this.readEntry(key))));
    return entries.filter((e): e is JournalEntry => e !== undefined).sort((a, b) => a.seq - b.seq);
  }

  async clear(): Promise<void> {
    await this.objects.deleteAll(await this.objects.list(this.dir));
  }

  private async readEntry(key: string): Promise<JournalEntry | undefined> {
    const stored = await this.objects.get(key);
    if (!stored) return undefined;
    const parsed = JournalEntrySchema.safeParse(parseJson(stored.body));
    if (!parsed.success) throw invalidRecord('journal entry', key, parsed.error.message);
    if (`${this.dir}${parsed.data.seq}.json` !== key)
      throw invalidRecord('journal entry', key, 'seq and key differ');
    return parsed.data;
  }
}

function sameEntry(a: ReleaseIndexEntry, b: ReleaseIndexEntry): boolean {
  return (
    a.revision === b.revision &&
    a.phase === b.phase &&
    a.operator === b.operator &&
    a.createTime === b.createTime
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
