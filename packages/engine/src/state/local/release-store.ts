/**
 * Release histories as files under the backend path (SPEC §9.2):
 *
 *   releases/<project>/<stack>/<workspace>/<revision>.yaml     one release, canonical YAML
 *   releases/<project>/<stack>/<workspace>/index.json          {latestRevision, entries}
 *   releases/<project>/<stack>/<workspace>/journal/<revision>.jsonl   see journal-file.ts
 *   locks/<project>/<stack>/<workspace>.json                   see lock-file.ts
 *
 * Crash consistency. The release files are the truth and `index.json` a summary that may lag by the one
 * write a crash interrupted; every read checks it against the directory (names) and against the release
 * files of its unfinished entries (finished releases never change), so a lagging index is never served,
 * and the next write under the lock persists the repaired index. Orders that make this hold: create writes
 * the release (exclusive create) before the index; update the release before the index; delete removes the
 * journal, then the release, then the index entry.
 *
 * The journal is one append-only file per revision rather than the `<seq>.json` objects of the S3 key
 * layout: a local disk syncs one file cheaply many times, and appends are group-committed
 * (journal-file.ts).
 */
import { join } from 'node:path';
import { Codes, KusionError } from '../../errors/index.js';
import { type Release, ReleaseSchema } from '../../model/release.js';
import { identityLabel, invalidRecord, type ReleaseIdentity, releaseNotFound } from '../errors.js';
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
  type ReleaseIndex,
  type ReleaseIndexEntry,
  ReleaseIndexSchema,
} from '../records.js';
import { releaseFromText, releaseToText } from '../release-text.js';
import {
  checkDeletable,
  checkMutable,
  checkNextRevision,
  checkReleaseWrite,
  indexEntryOf,
  indexOf,
  revisionExists,
} from '../rules.js';
import { readIfExists } from './atomic-file.js';
import { createExclusively, listNames, removeFile, replaceFile } from './durable-file.js';
import { LocalJournal } from './journal-file.js';
import { LocalLock } from './lock-file.js';
import { LocalUnitStateStore } from './unit-state-store.js';

/** Options of the local release store. */
export interface LocalReleaseStoreOptions {
  /** Decides lock expiry. */
  readonly clock: Clock;
}

const revisionFile = /^([1-9][0-9]*)\.yaml$/;
/** Releases and journal entries must survive a power loss. */
const durable = { durable: true };

/** A release file's text as this process last wrote or read it, with what it holds. */
interface KnownRelease {
  readonly text: string;
  readonly entry: ReleaseIndexEntry;
  /** The parsed release, once somebody read it whole. */
  readonly release?: Release;
}

/** Opens histories under a local backend path (`$KUSION_HOME` by default). */
export function openLocalReleaseStore(root: string, options: LocalReleaseStoreOptions): OpenReleaseStore {
  return (identity) => new LocalReleaseStore(root, identity, options);
}

/** The release history of one identity, stored as files. */
export class LocalReleaseStore implements ReleaseStore {
  readonly identity: ReleaseIdentity;
  readonly lock: ReleaseLock;
  readonly unitStates: UnitStateStore;
  private readonly dir: string;
  /**
   * Releases as last read or written, by their file text: a run re-reads its release at every phase, and
   * parsing (or copying) a large spec dominated that. The file stays the truth: a changed text is parsed.
   * Writes keep only the text and the index entry; the release itself is parsed when someone asks for it.
   */
  private readonly known = new Map<number, KnownRelease>();

  constructor(root: string, identity: ReleaseIdentity, options: LocalReleaseStoreOptions) {
    const { project, stack, workspace } = identity;
    for (const segment of [project, stack, workspace]) checkSegment(segment, identity);
    this.identity = { project, stack, workspace };
    this.dir = join(root, 'releases', project, stack, workspace);
    this.lock = new LocalLock(
      join(root, 'locks', project, stack, `${workspace}.json`),
      this.identity,
      options,
    );
    this.unitStates = new LocalUnitStateStore(join(root, 'tfstate', project, stack, workspace));
  }

  async list(): Promise<ReleaseIndex> {
    return (await this.loadIndex()).index;
  }

  async get(revision: number): Promise<Release | undefined> {
    if (!Number.isInteger(revision) || revision < 1) return undefined;
    return this.readRelease(revision);
  }

  async latest(): Promise<Release | undefined> {
    const revisions = await this.revisionsOnDisk();
    const latest = revisions.at(-1);
    return latest === undefined ? undefined : this.readRelease(latest);
  }

  async create(release: Release): Promise<void> {
    const checked = checkReleaseWrite(this.identity, release);
    const { index } = await this.loadIndex();
    checkNextRevision(this.identity, index.latestRevision, checked.revision);
    const text = releaseToText(checked);
    if (!(await createExclusively(this.fileOf(checked.revision), text, durable))) {
      throw revisionExists(this.identity, checked.revision);
    }
    this.known.set(checked.revision, { text, entry: indexEntryOf(checked) });
    await this.writeIndex(indexOf([...index.entries, indexEntryOf(checked)]));
  }

  async update(release: Release): Promise<void> {
    const checked = checkReleaseWrite(this.identity, release);
    const stored = await this.readEntry(checked.revision);
    if (!stored) throw releaseNotFound(this.identity, checked.revision);
    checkMutable(this.identity, stored);
    const text = releaseToText(checked);
    await replaceFile(this.fileOf(checked.revision), text, durable);
    this.known.set(checked.revision, { text, entry: indexEntryOf(checked) });
    const { index, isStale } = await this.loadIndex();
    if (isStale) await this.writeIndex(index);
  }

  async delete(revision: number): Promise<void> {
    const { index } = await this.loadIndex();
    const stored = await this.readEntry(revision);
    if (!stored) throw releaseNotFound(this.identity, revision);
    checkDeletable(this.identity, index.latestRevision, revision);
    checkMutable(this.identity, stored);
    await removeFile(this.journalPathOf(revision), durable);
    await removeFile(this.fileOf(revision), durable);
    this.known.delete(revision);
    await this.writeIndex(indexOf(index.entries.filter((e) => e.revision !== revision)));
  }

  journal(revision: number): ReleaseJournal {
    return new LocalJournal(this.journalPathOf(revision), revision, this.identity);
  }

  /**
   * The index, checked against the release files: entries for files that are gone are dropped, files
   * missing from it are added, and unfinished entries are refreshed from their files.
   */
  private async loadIndex(): Promise<{ index: ReleaseIndex; isStale: boolean }> {
    const [revisions, stored] = await Promise.all([this.revisionsOnDisk(), this.readIndexFile()]);
    const known = new Map((stored?.entries ?? []).map((e) => [e.revision, e]));
    let isStale = stored === undefined ? revisions.length > 0 : known.size !== revisions.length;
    const entries: ReleaseIndexEntry[] = [];
    for (const revision of revisions) {
      const entry = known.get(revision);
      if (entry && isFinishedPhase(entry.phase)) {
        entries.push(entry);
        continue;
      }
      const fresh = await this.readEntry(revision);
      if (!fresh) continue; // deleted meanwhile
      if (!entry || !sameEntry(entry, fresh)) isStale = true;
      entries.push(fresh);
    }
    const index = indexOf(entries);
    if (stored && stored.latestRevision !== index.latestRevision) isStale = true;
    return { index, isStale };
  }

  private async readIndexFile(): Promise<ReleaseIndex | undefined> {
    const text = await readIfExists(this.indexPath());
    if (text === undefined) return undefined;
    // The index is a cache of the release files: a damaged one is rebuilt rather than fatal.
    const parsed = ReleaseIndexSchema.safeParse(parseJson(text));
    return parsed.success ? parsed.data : undefined;
  }

  private async writeIndex(index: ReleaseIndex): Promise<void> {
    // Not fsync'd: a lost index write is repaired from the release files on the next read.
    await replaceFile(this.indexPath(), `${JSON.stringify(index, null, 2)}\n`, { durable: false });
  }

  private async revisionsOnDisk(): Promise<number[]> {
    const names = await listNames(this.dir);
    return names
      .map((name) => revisionFile.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** The index entry of a stored release, from the text this process last saw when it is unchanged. */
  private async readEntry(revision: number): Promise<ReleaseIndexEntry | undefined> {
    const text = await readIfExists(this.fileOf(revision));
    if (text === undefined) return undefined;
    const known = this.known.get(revision);
    if (known?.text === text) return known.entry;
    return indexEntryOf(this.parseRelease(revision, text));
  }

  private async readRelease(revision: number): Promise<Release | undefined> {
    const text = await readIfExists(this.fileOf(revision));
    if (text === undefined) return undefined;
    const known = this.known.get(revision);
    // A copy: callers may change what they get (the contract), never what is kept.
    if (known?.text === text && known.release) return structuredClone(known.release);
    return this.parseRelease(revision, text);
  }

  /** Parses and checks a release text, and keeps it as known. */
  private parseRelease(revision: number, text: string): Release {
    const path = this.fileOf(revision);
    let value: unknown;
    try {
      value = releaseFromText(text);
    } catch (error) {
      throw invalidRecord('release', path, error instanceof Error ? error.message : String(error));
    }
    const parsed = ReleaseSchema.safeParse(value);
    if (!parsed.success) throw invalidRecord('release', path, parsed.error.message);
    if (parsed.data.revision !== revision) {
      throw invalidRecord('release', path, `it records revision ${parsed.data.revision}`);
    }
    this.known.set(revision, {
      text,
      entry: indexEntryOf(parsed.data),
      release: structuredClone(parsed.data),
    });
    return parsed.data;
  }

  private fileOf(revision: number): string {
    return join(this.dir, `${revision}.yaml`);
  }

  private indexPath(): string {
    return join(this.dir, 'index.json');
  }

  private journalPathOf(revision: number): string {
    return join(this.dir, 'journal', `${revision}.jsonl`);
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

/** Identity parts become path segments: refuse anything that could leave the backend directory. */
function checkSegment(segment: string, identity: ReleaseIdentity): void {
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(segment) || segment.startsWith('.')) {
    throw new KusionError(
      Codes.stateRecordInvalid,
      `cannot store releases of ${identityLabel(identity)}: "${segment}" is not a valid name for a state key`,
    );
  }
}
