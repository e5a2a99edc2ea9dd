/**
 * The state boundary: a release store whose every write is sealed and every read unsealed (SPEC §9.1,
 * §14). Wrapping the port, not the adapters, gives every backend (local, PostgreSQL, S3, memory) the same
 * encryption without each re-implementing it; the engine above works on clear values in memory only.
 */
import type { Release } from '../model/release.js';
import type { JournalEntry, ReleaseJournal, ReleaseStore } from '../state/port.js';
import { sealResource, sealSpec, unsealResource, unsealSpec } from './seal.js';

/**
 * Sealed copies by the object sealed: a run writes its release at every phase with the same spec and state
 * objects, and sealing them once keeps the work (and the stored text, release-text.ts) from repeating.
 */
const sealedParts = new WeakMap<object, { readonly key: Buffer; readonly sealed: object }>();

function sealedOnce<T extends object>(part: T, key: Buffer, seal: (part: T) => T): T {
  const known = sealedParts.get(part);
  if (known?.key === key) return known.sealed as T;
  const sealed = seal(part);
  sealedParts.set(part, { key, sealed });
  return sealed;
}

/** A release with its spec and state sealed. */
export function sealRelease(release: Release, key: Buffer): Release {
  return {
    ...release,
    spec: sealedOnce(release.spec, key, (spec) => sealSpec(spec, key)),
    state: sealedOnce(release.state, key, (state) => ({
      resources: state.resources.map((r) => sealResource(r, key)),
    })),
  };
}

/** A release with its spec and state unsealed (KUS4004 when written with another key). */
export function unsealRelease(release: Release, key: Buffer): Release {
  return {
    ...release,
    spec: unsealSpec(release.spec, key),
    state: { resources: release.state.resources.map((r) => unsealResource(r, key)) },
  };
}

function sealEntry(entry: JournalEntry, key: Buffer): JournalEntry {
  return entry.type === 'finished' && entry.resource
    ? { ...entry, resource: sealResource(entry.resource, key) }
    : entry;
}

function unsealEntry(entry: JournalEntry, key: Buffer): JournalEntry {
  return entry.type === 'finished' && entry.resource
    ? { ...entry, resource: unsealResource(entry.resource, key) }
    : entry;
}

/** The journal of one release, sealed like the release itself: entries carry whole resources. */
export function sealedJournal(journal: ReleaseJournal, key: Buffer): ReleaseJournal {
  return {
    append: (entry) => journal.append(sealEntry(entry, key)),
    read: async () => (await journal.read()).map((entry) => unsealEntry(entry, key)),
    clear: () => journal.clear(),
  };
}

/** Wraps a release store so that nothing sensitive is written in clear and reads come back decrypted. */
export function sealedReleaseStore(store: ReleaseStore, key: Buffer): ReleaseStore {
  const unsealed = (release: Release | undefined) => (release ? unsealRelease(release, key) : undefined);
  return {
    identity: store.identity,
    list: () => store.list(),
    get: async (revision) => unsealed(await store.get(revision)),
    latest: async () => unsealed(await store.latest()),
    create: (release) => store.create(sealRelease(release, key)),
    update: (release) => store.update(sealRelease(release, key)),
    delete: (revision) => store.delete(revision),
    journal: (revision) => sealedJournal(store.journal(revision), key),
    lock: store.lock,
    unitStates: store.unitStates,
  };
}
