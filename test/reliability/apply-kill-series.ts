/**
 * kill -9 at 20 random instants of a real 300-resource `kusion apply` on one backend (issue #6 item 5).
 *
 * What is checked when:
 * - first, a clean apply creates the stack (generation 0); its duration, and how long it ran once the first
 *   resource started, set the windows for kill instants;
 * - each trial rewrites the stack to a new generation (every resource changes, 20 are swapped for new ones),
 *   starts `kusion apply --yes` in its own process group and SIGKILLs the group at a random instant: even
 *   trials anywhere in the run (start-up, lock, plan, execution, compaction), odd trials within execution,
 *   counted from the first resource's progress line, so that every series kills runs with a journal in
 *   flight; a run that finishes before its instant is not a trial (it is counted and the next generation
 *   is tried);
 * - after every kill: the history reads back whole (engine adapter and `kusion release list -o json`) and
 *   state agrees with the cluster, uncertain resources exempt (apply-checks.ts `checkState`); the lock is
 *   recovered with `kusion release unlock` and state must then match the cluster exactly;
 * - trials are chained: trial k+1's apply is also the re-apply after trial k's kill, so it must recover
 *   whatever trial k left;
 * - at the end of the series a last apply must succeed, a preview show no changes and state be exactly the
 *   spec's 300 resources as they are live; then `kusion destroy` must leave zero orphans.
 *
 * Kill instants come from a seeded RNG: KUSION_CRASH_SEED replays a series (the instants are fractions of
 * the measured apply time, so a replay lands at the same relative points, not the same microsecond).
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { seededRandom } from '../../packages/engine/src/state/local/crash-workload.js';
import { exampleProject } from '../e2e/helpers.js';
import { deleteNamespace, useNamespace } from '../testbed/index.js';
import {
  checkConverged,
  checkState,
  orphans,
  recoverLock,
  type StateCheck,
  stackUnderTest,
} from './apply-checks.js';
import { resourceCount, writeBulkStack, writeBulkWorkspace } from './bulk-stack.js';
import { type BackendKind, type CliBackend, prepareBackend, workspace } from './cli-backends.js';
import { runCli, startCli } from './cli-process.js';

const trials = 20;
/** Runs that may finish before their kill instant before the series gives up (the window is then wrong). */
const maxMisses = 10;

export function killSeries(
  kind: BackendKind,
  makeBackend: (home: string) => CliBackend | Promise<CliBackend>,
) {
  const seed = Number(process.env['KUSION_CRASH_SEED'] ?? Date.now() % 2 ** 31);
  const outside = useNamespace(`rel-kill-${kind}`);

  describe(`kill -9 during a ${resourceCount}-resource apply, ${kind} state`, () => {
    it(`given ${trials} kills at random instants, then state stays readable and consistent, a re-apply converges and destroy leaves no orphans`, async () => {
      const started = performance.now();
      const p = await exampleProject('quickstart', 'default');
      const backend = await makeBackend(p.home);
      const ws = ['--workspace', workspace];
      const s = stackUnderTest(p, backend, outside.name);
      const apply = ['apply', ...ws, '--yes', '--no-diff'];
      try {
        await writeBulkWorkspace(p.dir);
        await prepareBackend(backend, p.kusion);
        let generation = 0;
        let ids = await writeBulkStack(p.stackDir, p.project, s.ns, generation);
        const firstRun = startCli(p.cli, apply, { cwd: p.stackDir, env: p.env });
        await firstRun.until(executing);
        const executionStarted = performance.now();
        const first = await firstRun.ended;
        expect(first.code, first.stderr).toBe(0);
        expect(first.stdout).toContain(`Apply complete! Resources: ${resourceCount} created`);
        let windowMs = first.ms;
        let executionMs = Math.max(1, performance.now() - executionStarted);
        const random = seededRandom(seed);
        const outcomes: (StateCheck & { atMs: number })[] = [];
        let misses = 0;
        while (outcomes.length < trials) {
          generation += 1;
          ids = await writeBulkStack(p.stackDir, p.project, s.ns, generation);
          const inExecution = outcomes.length % 2 === 1;
          const atMs = Math.floor(random() * (inExecution ? executionMs : windowMs));
          const end = await killedRun(p.cli, apply, { cwd: p.stackDir, env: p.env }, atMs, inExecution);
          const where = `${kind}, seed ${seed}, trial ${outcomes.length}, generation ${generation}, kill at ${atMs} ms${inExecution ? ' into execution' : ''}`;
          if (!end.killed) {
            expect(end.code, `${where}: ended by itself\n${end.stderr}`).toBe(0);
            misses += 1;
            if (inExecution) executionMs = atMs;
            else windowMs = end.ms;
            expect(misses, `too many runs finished before their kill instant (${where})`).toBeLessThanOrEqual(
              maxMisses,
            );
            continue;
          }
          const check = await checkState(s, where);
          await recoverLock(s, check, where);
          outcomes.push({ ...check, atMs });
        }
        const last = await runCli(p.cli, apply, { cwd: p.stackDir, env: p.env });
        expect(last.code, `${kind}, seed ${seed}, converging apply: ${last.stderr}`).toBe(0);
        await checkConverged(s, ws, ids, `${kind}, seed ${seed}, converged`);

        const destroyed = await runCli(p.cli, ['destroy', ...ws, '--yes'], { cwd: p.stackDir, env: p.env });
        expect(destroyed.code, destroyed.stderr).toBe(0);
        expect(destroyed.stdout).toContain(`Destroy complete! Resources: ${resourceCount} deleted.`);
        const left = await orphans(s);
        const summary = {
          seed,
          backend: kind,
          trials: outcomes.length,
          finishedBeforeKill: misses,
          killedMidRun: outcomes.filter((o) => o.isMidRun).length,
          killedWithJournal: outcomes.filter((o) => o.journalEntries > 0).length,
          uncertainResources: outcomes.reduce((n, o) => n + o.uncertain, 0),
          orphans: left.length,
          seconds: Math.round((performance.now() - started) / 100) / 10,
        };
        console.log(`apply kill series: ${JSON.stringify(summary)}`);
        expect(left).toEqual([]);
        // Kills must land inside runs, mid-execution, or the series proves little.
        expect(summary.killedMidRun).toBeGreaterThanOrEqual(trials / 4);
        expect(summary.killedWithJournal).toBeGreaterThan(0);
      } finally {
        // Only after a failure is anything left to remove; destroy has deleted the namespaces otherwise.
        await Promise.all([s.ns.target, s.ns.owned].map((n) => deleteNamespace(inject('testbed'), n)));
        await backend.remove();
        await rm(dirname(p.dir), { recursive: true, force: true });
      }
    }, 900_000);
  });
}

/** The first progress line of a resource being written: execution has begun. */
const executing = (stdout: string) => stdout.includes('\u27f3 ');

/** Runs the CLI and SIGKILLs it `atMs` after its start, or after execution began (`inExecution`). */
async function killedRun(
  cli: string,
  args: readonly string[],
  options: { cwd: string; env: Readonly<Record<string, string>> },
  atMs: number,
  inExecution: boolean,
) {
  if (!inExecution) return startCli(cli, args, { ...options, killAfterMs: atMs }).ended;
  const run = startCli(cli, args, options);
  await run.until(executing);
  const timer = setTimeout(run.kill, atMs);
  const end = await run.ended;
  clearTimeout(timer);
  return end;
}
