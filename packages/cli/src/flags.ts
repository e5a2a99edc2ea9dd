import { InvalidArgumentError } from '@commander-js/extra-typings';

/** `-D key=value`, repeatable, into a map. */
export function collectArgument(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value (got "${value}")`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** Durations like `10m`, `30s`, `1h`, `500ms`; bare integers are seconds; `0` is none. In milliseconds. */
export function parseDuration(value: string): number {
  const match = value.trim().match(/^(\d+)(ms|s|m|h)?$/);
  if (!match) throw new InvalidArgumentError(`expected a duration like 30s, 10m or 1h (got "${value}")`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a positive integer (got "${value}")`);
  return n;
}

export const splitList = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
