/**
 * Ten `kusion apply` of one stack at once with state on PostgreSQL and on S3 (issue #6 item 5; the local
 * backend's counterpart is test/e2e/concurrency.test.ts, whose assertions these are): exactly one run
 * proceeds; every other one fails fast with KUS4002 naming the holder (its pid: the winner, or a late run
 * that took the lock after it and found nothing to change), or, having started after it finished, finds
 * nothing to change; exactly one release is written and the lock is released.
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { exampleProject } from '../e2e/helpers.js';
import { deleteNamespace } from '../testbed/index.js';
import { type CliBackend, postgresBackend, s3Backend } from './cli-backends.js';
import { hasStackTrace, startCli } from './cli-process.js';

const runs = 10;
const backends: [string, () => Promise<CliBackend>][] = [
  ['postgres', async () => postgresBackend()],
  ['s3', s3Backend],
];

describe.each(backends)('%s state, concurrent applies', (kind, makeBackend) => {
  it(`lets exactly one of ${runs} concurrent applies proceed`, async () => {
    const started = performance.now();
    const p = await exampleProject('quickstart', 'default');
    const backend = await makeBackend();
    const ws = ['--workspace-file', '../workspace.yaml'];
    try {
      await backend.select(p.kusion);
      const children = Array.from({ length: runs }, () =>
        startCli(p.cli, ['apply', ...ws, '--yes'], { cwd: p.stackDir, env: p.env }),
      );
      const ends = await Promise.all(children.map((c) => c.ended));
      const results = ends.map((end, i) => ({ ...end, pid: children[i]?.pid }));
      const completed = results.filter((r) => r.stdout.includes('Apply complete!'));
      const refused = results.filter((r) => r.code !== 0);
      const unchanged = results.filter((r) => r.code === 0 && r.stdout.includes('No changes'));
      expect(completed, results.map((r) => r.stderr).join('\n')).toHaveLength(1);
      expect(refused.length + completed.length + unchanged.length).toBe(runs);
      const winner = completed[0];
      // A run that started late may take the lock after the winner and find nothing to change: the
      // runs refused meanwhile name it instead.
      const holders = [winner, ...unchanged];
      for (const run of refused) {
        const holder = holders.find((h) =>
          new RegExp(`KUS4002.*locked by e2e@testbed \\(host [^,]+, pid ${h?.pid}\\b`).test(run.stderr),
        );
        expect(holder, run.stderr).toBeDefined();
        // Fail fast: a refused run does not wait for the holder (slack for one refused just before release).
        expect(run.ms).toBeLessThan((holder?.ms ?? 0) + 1_000);
        expect(hasStackTrace(run.stderr), run.stderr).toBe(false);
      }
      const releases = JSON.parse(
        (await p.kusion('release', 'list', '--workspace', 'workspace', '-o', 'json')).stdout,
      ) as { latestRevision: number; lock?: unknown };
      expect(releases.latestRevision).toBe(1);
      expect(releases.lock).toBeUndefined();
      expect((await p.kusion('destroy', ...ws, '--yes')).code).toBe(0);
      console.log(
        `concurrent applies: ${JSON.stringify({
          backend: kind,
          runs,
          completed: completed.length,
          refused: refused.length,
          unchanged: unchanged.length,
          slowestRefusedMs: Math.round(Math.max(0, ...refused.map((r) => r.ms))),
          winnerMs: Math.round(winner?.ms ?? 0),
          seconds: Math.round((performance.now() - started) / 100) / 10,
        })}`,
      );
    } finally {
      await deleteNamespace(inject('testbed'), p.project);
      await backend.remove();
      await rm(dirname(p.dir), { recursive: true, force: true });
    }
  });
});
