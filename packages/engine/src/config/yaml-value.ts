import { parse } from 'yaml';
import { readYamlSubset } from './yaml-fast-read.js';

/**
 * The value of a YAML text that needs no diagnostics (machine-written files: specs, releases): the fast
 * subset reader, and `yaml` for anything outside the subset. Throws `yaml`'s error for text that is not
 * YAML.
 */
export function readYamlValue(text: string): unknown {
  return readYamlSubset(text) ?? (parse(text) as unknown);
}
