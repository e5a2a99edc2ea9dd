import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from '@commander-js/extra-typings';
import { engineOptions, type GlobalFlags } from '../context.js';
import { parsePositiveInt } from '../flags.js';
import { toYaml } from '../render/lazy.js';
import { renderTable } from '../render/table.js';
import { run } from '../run.js';
import { registerRollback } from './rollback.js';

export function registerRelease(program: Command): void {
  const release = program
    .command('release')
    .description('Inspect the release history of the current stack and workspace');
  const flagsOf = (command: { optsWithGlobals(): unknown }) => command.optsWithGlobals() as GlobalFlags;
  const scope = (flags: GlobalFlags) => ({
    ...engineOptions(flags),
    ...(flags.workdir ? { workdir: flags.workdir } : {}),
    ...(flags.workspace ? { workspace: flags.workspace } : {}),
  });

  release
    .command('list')
    .description('REVISION PHASE OPERATOR CREATED')
    .action(async (_options, command) => {
      const flags = flagsOf(command);
      await run(flags, async () => {
        const { listReleases } = await import('@kusion/engine');
        const result = await listReleases(scope(flags));
        if (flags.output === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else {
          process.stdout.write(
            renderTable(
              ['REVISION', 'PHASE', 'OPERATOR', 'CREATED'],
              [...result.entries]
                .reverse()
                .map((e) => [String(e.revision), e.phase, e.operator, e.createTime]),
            ),
          );
          if (result.lock)
            process.stderr.write(
              `Locked by ${result.lock.owner.operator} (pid ${result.lock.owner.pid} on ${result.lock.owner.host}) for ${result.lock.operation} until ${result.lock.leaseExpiresAt}\n`,
            );
        }
        return 0;
      });
    });

  release
    .command('show')
    .option('--revision <n>', 'revision (default: the latest)', parsePositiveInt)
    .option('--state-only', 'print only the recorded state')
    .description('Print a release (secret values masked)')
    .action(async (options, command) => {
      const flags = flagsOf(command);
      await run(flags, async () => {
        const { showRelease } = await import('@kusion/engine');
        const result = await showRelease({
          ...scope(flags),
          ...(options.revision ? { revision: options.revision } : {}),
        });
        const body = options.stateOnly ? result.state : result;
        process.stdout.write(flags.output === 'json' ? `${JSON.stringify(body, null, 2)}\n` : toYaml(body));
        return 0;
      });
    });

  release
    .command('unlock')
    .option('-y, --yes', 'do not ask')
    .description(
      'Release a stale lock: replays the journal, re-reads what the dead run left unfinished and marks its release failed',
    )
    .action(async (_options, command) => {
      const flags = flagsOf(command);
      await run(flags, async () => {
        const { unlockRelease } = await import('@kusion/engine');
        const result = await unlockRelease(scope(flags));
        process.stdout.write(
          result.removed
            ? `Removed the lock of ${result.removed.owner.operator} (${result.removed.operation}, lease until ${result.removed.leaseExpiresAt}).\n`
            : 'The stack was not locked.\n',
        );
        if (result.recovered)
          process.stdout.write(
            `Release ${result.recovered} was replayed from its journal and marked failed.\n`,
          );
        return 0;
      });
    });

  registerRollback(release);

  release
    .command('export')
    .option('-f, --file <path>', 'write the history to this file instead of stdout')
    .description(
      "Write the stack's release history (this backend and workspace) as a portable JSON document; " +
        'move it with `release import --backend <other>`',
    )
    .action(async (options, command) => {
      const flags = flagsOf(command);
      await run(flags, async () => {
        const { Codes, exportReleases, formatReleaseHistory, KusionError } = await import('@kusion/engine');
        const history = await exportReleases(scope(flags));
        const text = formatReleaseHistory(history);
        if (!options.file) {
          process.stdout.write(text);
          return 0;
        }
        await writeFile(options.file, text, { mode: 0o600 }).catch((error: NodeJS.ErrnoException) => {
          throw new KusionError(
            Codes.outputNotWritable,
            `cannot write ${options.file}: ${error.code ?? error.message}`,
            {
              location: options.file,
              hints: ['check that the directory exists and is writable'],
            },
          );
        });
        process.stderr.write(
          `Exported ${history.releases.length} release(s) of ${history.project}/${history.stack}/${history.workspace} to ${options.file}.\n`,
        );
        return 0;
      });
    });

  release
    .command('import')
    .requiredOption('-f, --file <path>', 'a document written by `release export` (- reads stdin)')
    .description(
      'Write an exported release history into this backend, for the current stack and workspace, whose history must be empty',
    )
    .action(async (options, command) => {
      const flags = flagsOf(command);
      await run(flags, async () => {
        const { Codes, importReleases, KusionError } = await import('@kusion/engine');
        const text = await readSource(options.file).catch((error: NodeJS.ErrnoException) => {
          throw new KusionError(
            Codes.stateRecordInvalid,
            `cannot read ${options.file}: ${error.code ?? error.message}`,
            {
              location: options.file,
              hints: ['pass the file written by `kusion release export -f <file>`'],
            },
          );
        });
        const result = await importReleases({
          ...scope(flags),
          text,
          source: options.file === '-' ? 'stdin' : options.file,
        });
        const { project, stack, workspace } = result.identity;
        process.stdout.write(
          `Imported ${result.imported} release(s) and ${result.unitStates} OpenTofu state(s) of ${project}/${stack}/${workspace} into backend "${result.backend}".\n`,
        );
        return 0;
      });
    });
}

/** A file's text, or all of stdin for `-`. */
async function readSource(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
