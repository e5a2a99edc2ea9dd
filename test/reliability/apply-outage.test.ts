/**
 * The state backend goes away during a real 300-resource `kusion apply` (issue #6 item 5): a private
 * PostgreSQL is shut down immediately (SIGQUIT, as in a crash) or a private versitygw is SIGKILLed once
 * 50 resources are Ready. The apply must end by itself within a bound with a coded KUS4001 and no stack
 * trace. Once the server is back: the history reads back whole and state agrees with the cluster
 * (apply-checks.ts), `kusion release unlock` recovers the dead run's lock, the next apply converges (then a
 * preview shows no changes) and destroy leaves zero orphans. Never the shared servers: private-servers.ts.
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { exampleProject } from '../e2e/helpers.js';
import { deleteNamespace, useNamespace } from '../testbed/index.js';
import { checkConverged, checkState, orphans, recoverLock, stackUnderTest } from './apply-checks.js';
import { resourceCount, writeBulkStack, writeBulkWorkspace } from './bulk-stack.js';
import {
  type CliBackend,
  postgresBackend,
  prepareBackend,
  privateS3Backend,
  workspace,
} from './cli-backends.js';
import { hasStackTrace, runCli, startCli } from './cli-process.js';
import { type PrivateServer, startPrivatePostgres, startPrivateS3 } from './private-servers.js';

const readyBeforeOutage = 50;
/** An apply that has lost its backend must give up well within this (no hang). */
const endBoundMs = 90_000;
const outside = useNamespace('rel-outage');

const cases: [string, () => Promise<{ server: PrivateServer; backend: CliBackend }>][] = [
  [
    'postgres',
    async () => {
      const server = await startPrivatePostgres();
      return { server, backend: postgresBackend(server.url) };
    },
  ],
  [
    's3',
    async () => {
      const server = await startPrivateS3();
      return { server, backend: await privateS3Backend(server.url) };
    },
  ],
];

const readyLines = (stdout: string) => stdout.split('\n').filter((l) => / {2}Ready$/.test(l)).length;

describe.each(cases)('%s server stopped mid-apply', (kind, start) => {
  it('ends the apply with KUS4001, keeps state whole, and the next apply converges', async () => {
    const started = performance.now();
    const { server, backend } = await start();
    const p = await exampleProject('quickstart', 'default');
    const ws = ['--workspace', workspace];
    const s = stackUnderTest(p, backend, outside.name);
    try {
      await writeBulkWorkspace(p.dir);
      await prepareBackend(backend, p.kusion);
      const ids = await writeBulkStack(p.stackDir, p.project, s.ns, 0);
      const run = startCli(p.cli, ['apply', ...ws, '--yes', '--no-diff'], { cwd: p.stackDir, env: p.env });
      await run.until((stdout) => readyLines(stdout) >= readyBeforeOutage);
      await server.stop();
      const stoppedAt = performance.now();
      const hang = setTimeout(() => run.kill(), endBoundMs);
      const end = await run.ended;
      clearTimeout(hang);
      const where = `${kind} outage`;
      expect(end.killed, `${where}: the apply hung for ${endBoundMs} ms after the outage`).toBe(false);
      expect(readyLines(end.stdout), `${where}: the outage came too late`).toBeLessThan(resourceCount);
      expect(end.code, `${where}\n${end.stderr}`).toBe(1);
      expect(end.stderr, where).toMatch(/KUS4001/);
      expect(hasStackTrace(end.stderr), end.stderr).toBe(false);
      const endedAfterMs = Math.round(performance.now() - stoppedAt);

      await server.start();
      const check = await checkState(s, `${where}, server back`);
      await recoverLock(s, check, where);
      const next = await runCli(p.cli, ['apply', ...ws, '--yes', '--no-diff'], {
        cwd: p.stackDir,
        env: p.env,
      });
      expect(next.code, `${where}, next apply: ${next.stderr}`).toBe(0);
      await checkConverged(s, ws, ids, `${where}, converged`);
      const destroyed = await runCli(p.cli, ['destroy', ...ws, '--yes'], { cwd: p.stackDir, env: p.env });
      expect(destroyed.code, destroyed.stderr).toBe(0);
      const left = await orphans(s);
      console.log(
        `apply outage: ${JSON.stringify({
          backend: kind,
          readyBeforeOutage: readyLines(end.stdout),
          endedAfterMs,
          error: end.stderr.match(/KUS\d{4}[^\n]*/)?.[0]?.slice(0, 160),
          recovered: check.isMidRun,
          orphans: left.length,
          seconds: Math.round((performance.now() - started) / 100) / 10,
        })}`,
      );
      expect(left).toEqual([]);
    } finally {
      await Promise.all([s.ns.target, s.ns.owned].map((n) => deleteNamespace(inject('testbed'), n)));
      // The server and its data go next anyway: a failure to tidy it up first is of no interest.
      await backend.remove().catch(() => undefined);
      await server.destroy();
      await rm(dirname(p.dir), { recursive: true, force: true });
    }
  }, 300_000);
});
