/**
 * The text of a stored release (local and S3 adapters, SPEC §9.2): canonical YAML, keys sorted at every
 * level, no folding, no aliases. Written by the spec's own emitter and read by the fast subset reader,
 * with `yaml` behind it for anything else: a 1,000-resource release is written at every phase change, and
 * `yaml` spent most of a large apply's CPU there.
 */
import { parse } from 'yaml';
import { readYamlSubset } from '../config/yaml-fast-read.js';
import { toCanonicalYaml } from '../generator/canonical.js';
import type { JsonValue } from '../model/index.js';
import type { Release } from '../model/release.js';

export function releaseToText(release: Release): string {
  return toCanonicalYaml(release as unknown as JsonValue);
}

/** The value a release text holds; throws `yaml`'s error for text that is not YAML. */
export function releaseFromText(text: string): unknown {
  return readYamlSubset(text) ?? (parse(text) as unknown);
}
