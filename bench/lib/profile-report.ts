import { type ThreadReport, top } from './cpuprofile.js';
import { table } from './stats.js';

/** Names a thread after the kusion code it ran (thread 0 is always the main thread). */
export function threadName(index: string, report: ThreadReport): string {
  if (index === '0') return 'main thread';
  if (report.inclusiveByBucket.has('@kusion/engine/modules/loader/worker.js')) return 'module worker';
  if (report.inclusiveByBucket.has('@kusion/engine/modules/loader/ts-hooks.js')) return 'loader-hooks thread';
  return `thread ${index}`;
}

const withoutIdle = (map: ReadonlyMap<string, number>): ReadonlyMap<string, number> =>
  new Map([...map].filter(([key]) => key !== '(idle)'));

/**
 * The kusion functions with the most inclusive time, in order of first appearance: a coarse timeline of
 * phases, relative to `originMs` (the main thread's profile start).
 */
function timeline(report: ThreadReport, originMs: number, limit: number): string {
  const rows = top(report.inclusiveByFunction, report.busyMs, limit)
    .map(([key, inclusive, share]) => ({
      key: key!,
      inclusive: inclusive!,
      share: share!,
      seen: report.seenByFunction.get(key!)!,
    }))
    .sort((a, b) => a.seen.first - b.seen.first)
    .map((r) => [
      r.key,
      `${(r.seen.first - originMs).toFixed(0)}`,
      `${(r.seen.last - originMs).toFixed(0)}`,
      r.inclusive,
      r.share,
    ]);
  return table(['kusion function', 'first seen (ms)', 'last seen (ms)', 'inclusive', 'share of busy'], rows);
}

/** Markdown for one thread's profile. */
export function renderThread(name: string, report: ThreadReport, originMs: number, limit: number): string {
  const from = (report.startMs - originMs).toFixed(0);
  const to = (report.endMs - originMs).toFixed(0);
  return [
    `### ${name}: ${from} → ${to} ms after the main thread's profile start, busy ${report.busyMs.toFixed(0)} ms`,
    `Self time by bucket (package, kusion file, node internal area, V8 pseudo-frame)\n\n${table(['bucket', 'self', 'share of busy'], top(withoutIdle(report.selfByBucket), report.busyMs, limit))}`,
    `Inclusive time by bucket\n\n${table(['bucket', 'inclusive', 'share of busy'], top(report.inclusiveByBucket, report.busyMs, limit))}`,
    `Module top-level evaluation, inclusive (nested CommonJS requires count in their parent too)\n\n${table(['module', 'inclusive', 'share of busy'], top(report.moduleBodies, report.busyMs, limit))}`,
    `Kusion functions, timeline\n\n${timeline(report, originMs, limit)}`,
  ].join('\n\n');
}
