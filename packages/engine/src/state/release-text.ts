/**
 * The text of a stored release (local and S3 adapters, SPEC §9.2): canonical YAML, keys sorted at every
 * level, no folding, no aliases. Written by the spec's own emitter and read by the fast subset reader,
 * with `yaml` behind it for anything else: a 1,000-resource release is written at every phase change, and
 * `yaml` spent most of a large apply's CPU there.
 */
import { readYamlValue } from '../config/yaml-value.js';
import { compareCodePoints, toCanonicalYaml } from '../generator/canonical.js';
import type { JsonValue } from '../model/index.js';
import type { Release } from '../model/release.js';

/**
 * Rendered top-level values by object. A run writes its release at every phase change with the same spec
 * and, until it compacts, the same state objects: each is rendered once. Callers never change a release
 * they handed to a store (the engine builds new objects for every change).
 */
const rendered = new WeakMap<object, { readonly key: string; readonly text: string }>();

/** Canonical YAML, top-level key by key: a block map is its pairs, each rendered alone, in key order. */
export function releaseToText(release: Release): string {
  const fields = release as unknown as Record<string, JsonValue | undefined>;
  let text = '';
  for (const key of Object.keys(fields).sort(compareCodePoints)) {
    const value = fields[key];
    if (value === undefined) continue;
    if (typeof value !== 'object' || value === null) {
      text += toCanonicalYaml({ [key]: value });
      continue;
    }
    let part = rendered.get(value);
    if (part?.key !== key) {
      part = { key, text: toCanonicalYaml({ [key]: value }) };
      rendered.set(value, part);
    }
    text += part.text;
  }
  return text;
}

/** The value a release text holds; throws `yaml`'s error for text that is not YAML. */
export const releaseFromText: (text: string) => unknown = readYamlValue;
