/**
 * Drift of one Kubernetes object (SPEC §15): the fields Kusion owns, compared between the object state
 * recorded and the live one. Kusion's fields are those its field manager's entries name in the live
 * object plus those the release's spec declares: another manager that changes a field with `--force` or
 * an update takes its ownership away from Kusion, so the live entry alone would hide exactly the drift.
 * Each drifted field names the manager that owns it now (or, for a removed field, the latest other writer).
 */
import type { JsonObject } from '../../model/index.js';
import { type DiffEntry, diffObjects } from '../plan/diff.js';
import { declaredPaths, fieldPaths, isUnder, managedEntries, overlaps } from './owned-fields.js';

/** A drifted field, with the manager that changed it when known. */
export interface DriftEntry extends DiffEntry {
  readonly manager?: string;
}

export interface ObjectDriftInput {
  /** The object as state recorded it (without managed fields). */
  readonly recorded: JsonObject;
  /** The live object with `metadata.managedFields`. */
  readonly live: JsonObject;
  /** The attributes the release's spec declared, when known. */
  readonly declared?: JsonObject;
  readonly fieldManager: string;
  readonly isSensitive: (path: string) => boolean;
}

/** Fields that carry no intent: the server maintains them whoever writes the object. */
const serverOwned = ['status', 'metadata.managedFields', 'metadata.resourceVersion', 'metadata.generation'];
const isServerOwned = (path: string) => serverOwned.some((root) => isUnder(path, root));

/** The drifted fields of an object; empty when every field Kusion owns holds its recorded value. */
export function objectDrift(input: ObjectDriftInput): DriftEntry[] {
  const entries = managedEntries(input.live);
  const ours = entries.filter((e) => e.manager === input.fieldManager && !e.subresource);
  const owned = [
    ...ours.flatMap((e) => [...fieldPaths(e.fields, input.recorded), ...fieldPaths(e.fields, input.live)]),
    ...(input.declared ? declaredPaths(input.declared) : []),
  ].filter((p) => !isServerOwned(p));
  if (owned.length === 0) return [];
  const isOwned = (path: string) => owned.some((p) => overlaps(path, p));
  const diff = diffObjects(input.recorded, input.live, {
    isSensitive: input.isSensitive,
    isIgnored: (path) => !isOwned(path) || isServerOwned(path),
  });
  const others = entries.filter((e) => e.manager !== input.fieldManager && !e.subresource);
  const ownersOf = (path: string) =>
    others.filter((e) => fieldPaths(e.fields, input.live).some((p) => overlaps(p, path)));
  const latest = <T extends { time: string; manager: string }>(list: readonly T[]) =>
    [...list].sort((a, b) =>
      a.time === b.time ? (a.manager < b.manager ? -1 : 1) : a.time < b.time ? 1 : -1,
    )[0];
  const ourTime = latest(ours)?.time ?? '';
  const lastWriter = latest(others.filter((e) => e.time >= ourTime));
  return diff.map((d) => {
    const manager = latest(ownersOf(d.path))?.manager ?? lastWriter?.manager;
    return manager ? { ...d, manager } : d;
  });
}
