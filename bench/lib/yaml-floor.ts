import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { LineCounter, parse, parseDocument, stringify } from 'yaml';
import { summarize } from './stats.js';

export interface YamlFloor {
  /** `parseDocument` + `toJS` of main.yaml with the options of the engine's source-document.ts. */
  readonly parseInputMs: number;
  /** `stringify` of the spec with the canonical options of toCanonicalYaml. */
  readonly stringifyOutputMs: number;
  readonly resources: number;
}

const median = (runs: number, work: () => void): number => {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  return summarize(samples).median;
};

/**
 * The YAML work generate cannot avoid, measured in this process with the `yaml` package the CLI uses:
 * a lower bound for the part of generate that grows with the number of apps.
 */
export function yamlFloor(mainYaml: string, specYaml: string, runs: number): YamlFloor {
  const input = readFileSync(mainYaml, 'utf8');
  const spec = parse(readFileSync(specYaml, 'utf8')) as { resources?: unknown[] };
  const options = { indent: 2, lineWidth: 0, aliasDuplicateObjects: false, version: '1.2' } as const;
  return {
    parseInputMs: median(runs, () => {
      const doc = parseDocument(input, {
        lineCounter: new LineCounter(),
        prettyErrors: false,
        uniqueKeys: true,
        merge: true,
      });
      doc.toJS();
    }),
    stringifyOutputMs: median(runs, () => stringify(spec, options)),
    resources: spec.resources?.length ?? 0,
  };
}
