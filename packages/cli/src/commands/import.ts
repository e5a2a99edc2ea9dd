import type { Command } from '@commander-js/extra-typings';
import { engineOptions, type GlobalFlags } from '../context.js';
import { collectArgument, parseDuration } from '../flags.js';
import { reportWarnings } from '../render/errors.js';
import { renderPolicy } from '../render/policy.js';
import { run, styleFor } from '../run.js';

/** `Import <id> into stack S in workspace W? [yes/no]`. */
async function promptImport(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} [yes/no] `)).trim().toLowerCase();
    return answer === 'yes' || answer === 'y';
  } finally {
    rl.close();
  }
}

/** `kusion import <id> [--import-id <providerId>]` (SPEC §15). */
export function registerImport(program: Command): void {
  program
    .command('import')
    .argument('<resourceId>', 'the ID of a resource of the current spec')
    .description(
      'Adopt an existing object into state, unchanged, as a managed resource (a new revision with source import)',
    )
    .option('--import-id <providerId>', "the provider's ID of the existing object (required for Terraform)")
    .option('-y, --yes', 'import without asking')
    .option(
      '-D, --argument <key=value>',
      'argument for ${{ args.key }} / args() (repeatable)',
      collectArgument,
      {},
    )
    .option('--spec-file <file>', 'take the resource from this spec instead of generating')
    .option('--workspace-file <file>', 'read the workspace from this YAML file instead of the backend')
    .option('--lock-wait <duration>', 'wait this long for a held lock instead of failing', parseDuration)
    .action(async (resourceId, options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      await run(flags, async () => {
        const engine = await import('@kusion/engine');
        const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
        if (!options.yes && !interactive)
          throw new engine.KusionError(
            engine.Codes.promptNeedsTty,
            'import needs confirmation, and there is no terminal to ask',
            { hints: ['pass --yes to run without a prompt'] },
          );
        const result = await engine.importResource({
          ...engineOptions(flags),
          ...(flags.workdir ? { workdir: flags.workdir } : {}),
          ...(flags.workspace ? { workspace: flags.workspace } : {}),
          ...(options.workspaceFile ? { workspaceFile: options.workspaceFile } : {}),
          ...(options.specFile ? { specFile: options.specFile } : {}),
          ...(options.importId ? { importId: options.importId } : {}),
          ...(options.lockWait ? { lockWaitMs: options.lockWait } : {}),
          args: options.argument,
          resourceId,
          confirm: async (context) => {
            if (options.yes) return true;
            const go = await promptImport(
              `Import ${context.id} into stack ${context.stack} in workspace ${context.workspace} as revision ${context.revision}?`,
            );
            if (!go) process.stdout.write('Import cancelled.\n');
            return go;
          },
        });
        if (flags.output === 'json') {
          process.stdout.write(
            `${JSON.stringify(
              {
                formatVersion: 1,
                kind: 'ImportResult',
                id: result.id,
                type: result.type,
                revision: result.revision ?? null,
                baseRevision: result.baseRevision,
                policy: result.policy?.violations ?? [],
              },
              null,
              2,
            )}\n`,
          );
          return 0;
        }
        const style = styleFor(flags, process.stdout);
        reportWarnings(result.warnings, styleFor(flags));
        if (result.policy && result.policy.violations.length > 0)
          process.stdout.write(`${renderPolicy(result.policy, style)}\n`);
        if (result.revision)
          process.stdout.write(
            `Import complete! ${result.id} is managed from revision ${result.revision}; \`kusion preview\` shows how it differs from the spec.\n`,
          );
        return 0;
      });
    });
}
