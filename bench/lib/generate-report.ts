import { RESOURCES_PER_APP } from './stack.js';
import { bytes, linearFit, ms, ratio, type Summary, table } from './stats.js';
import type { YamlFloor } from './yaml-floor.js';

export interface SizeResult {
  readonly apps: number;
  readonly wall: Summary;
  readonly cpu: Summary;
  readonly bytes: number;
  readonly floor: YamlFloor;
}

export interface Reference {
  readonly wall: Summary;
  readonly cpu: Summary;
}

const TARGET_100_MS = 1000;
/** Growth of the per-app cost from 10 → 100 to 100 → 1,000 apps beyond which growth is not linear. */
const LINEAR_TOLERANCE = 2;

export function resultsTable(rows: readonly SizeResult[], ref: Reference): string {
  const header = ['apps', 'resources', 'spec', 'runs', 'wall median', 'wall min', '÷ node -e ""'];
  header.push('median − node', 'CPU median', 'YAML floor: parse main.yaml + stringify spec');
  return table(
    header,
    rows.map((r) => [
      String(r.apps),
      String(r.floor.resources),
      bytes(r.bytes),
      String(r.wall.runs),
      ms(r.wall.median),
      ms(r.wall.min),
      ratio(r.wall.median, ref.wall.median),
      ms(r.wall.median - ref.wall.median),
      ms(r.cpu.median),
      `${ms(r.floor.parseInputMs)} + ${ms(r.floor.stringifyOutputMs)}`,
    ]),
  );
}

type Metric = (r: SizeResult) => number;
const METRICS: readonly (readonly [string, Metric])[] = [
  ['wall median', (r) => r.wall.median],
  ['wall min', (r) => r.wall.min],
  ['CPU median', (r) => r.cpu.median],
];

/** ms per app between consecutive sizes. */
const slopes = (rows: readonly SizeResult[], metric: Metric): number[] =>
  rows.slice(1).map((r, i) => (metric(r) - metric(rows[i]!)) / (r.apps - rows[i]!.apps));

export function slopeReport(rows: readonly SizeResult[]): string {
  const lines = METRICS.map(([name, metric]) => {
    const steps = slopes(rows, metric).map(
      (s, i) => `${rows[i]!.apps} → ${rows[i + 1]!.apps}: ${s.toFixed(1)} ms/app`,
    );
    const fit = linearFit(rows.map((r) => ({ x: r.apps, y: metric(r) })));
    return `- ${name}: ${steps.join(' · ')} · least squares ${fit.slope.toFixed(1)} ms/app + ${fit.intercept.toFixed(0)} ms fixed`;
  });
  const counts = rows.map(
    (r) => `${r.apps} apps → ${r.floor.resources} (expected ${r.apps * RESOURCES_PER_APP + 1})`,
  );
  return [`Per-app slope:`, ...lines, `- resources: ${counts.join(' · ')}`].join('\n');
}

export function verdict(rows: readonly SizeResult[], ref: Reference): string {
  const lines: string[] = [];
  const hundred = rows.find((r) => r.apps === 100);
  if (hundred) {
    const pass = hundred.wall.median < TARGET_100_MS;
    const detail = `median ${ms(hundred.wall.median)}, min ${ms(hundred.wall.min)}, ${ratio(hundred.wall.median, ref.wall.median)} node -e ""`;
    lines.push(`- target 100 apps < 1 s wall: ${pass ? 'PASS' : 'FAIL'} (${detail})`);
  }
  if (rows.length >= 3) {
    // Superlinear growth shows as a per-app cost that rises with size; min wall is the least load-sensitive.
    const growth = METRICS.map(([name, metric]) => {
      const s = slopes(rows, metric);
      return [name, s[s.length - 1]! / s[0]!] as const;
    });
    const decisive = growth[1]![1];
    const detail = growth.map(([name, g]) => `${name} ${g.toFixed(2)}×`).join(', ');
    lines.push(
      `- target linear: ${decisive <= LINEAR_TOLERANCE ? 'PASS' : 'FAIL'} (per-app cost of the last step ÷ first step: ${detail}; ≤ ${LINEAR_TOLERANCE}× on wall min counts as linear)`,
    );
  }
  return lines.join('\n');
}
