/** Milliseconds in each unit of a Prometheus duration. */
const unitMs: Readonly<Record<string, number>> = {
  y: 365 * 24 * 3600 * 1000,
  w: 7 * 24 * 3600 * 1000,
  d: 24 * 3600 * 1000,
  h: 3600 * 1000,
  m: 60 * 1000,
  s: 1000,
  ms: 1,
};

/** Length of a Prometheus duration such as `1m30s` in milliseconds. */
export function durationMs(duration: string): number {
  let total = 0;
  for (const match of duration.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)) {
    total += Number(match[1]) * (unitMs[match[2] ?? ''] ?? 0);
  }
  return total;
}
