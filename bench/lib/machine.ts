import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/lib/ → ../..). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The built CLI entry point; the benchmarks measure what `npm run build` produced (the bundle). */
export function cliPath(): string {
  const path = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first`);
  return path;
}

export const loadAverage = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

function gitRevision(): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim();
  } catch {
    return 'unknown';
  }
}

/** One line describing where and when the figures were taken. */
export function machineLine(): string {
  const cpu = cpus();
  return `node ${process.version} · ${process.platform}/${process.arch} · ${cpu.length}× ${cpu[0]?.model ?? 'cpu'} · commit ${gitRevision()} · load average ${loadAverage()}`;
}
