import type { Command } from '@commander-js/extra-typings';
import { engineOptions, type GlobalFlags } from '../context.js';
import { collectArgument } from '../flags.js';
import { ExitCode, reportWarnings } from '../render/errors.js';
import { policyMarkdown, renderPolicy } from '../render/policy.js';
import { run, styleFor } from '../run.js';

export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('Policy guardrails of workspaces');
  policy
    .command('test')
    .description(
      "Evaluate a workspace file's policies against the current stack, without a cluster; exit 2 on any deny",
    )
    .requiredOption('-f, --file <file>', 'the workspace YAML whose policies to test')
    .option('--spec-file <file>', 'test this spec (from kusion generate) instead of generating')
    .option(
      '-D, --argument <key=value>',
      'argument for ${{ args.key }} / args() (repeatable)',
      collectArgument,
      {},
    )
    .addHelpText(
      'after',
      '\nEvery resource is judged as a Create: nothing is read from a cluster.' +
        '\nOutput: -o text (default), -o json, -o markdown. Exit 0 when nothing denies, 2 on any deny, 1 on error.',
    )
    .action(async (options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      await run(flags, async () => {
        const { policyTest } = await import('@kusion/engine');
        const result = await policyTest({
          ...engineOptions(flags),
          file: options.file,
          ...(flags.workdir ? { workdir: flags.workdir } : {}),
          ...(options.specFile ? { specFile: options.specFile } : {}),
          args: options.argument,
        });
        const { report } = result;
        if (flags.output === 'json') {
          const document = {
            formatVersion: 1,
            kind: 'PolicyTest',
            project: result.project,
            stack: result.stack,
            workspace: result.workspace,
            resources: result.resources,
            denied: report.denied,
            policy: report.violations.map((v) => ({
              name: v.name,
              severity: v.severity,
              id: v.id,
              message: v.message,
            })),
            unmatched: report.unmatched,
          };
          process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
        } else {
          const style = styleFor(flags, process.stdout);
          reportWarnings(result.warnings, styleFor(flags));
          const header = `Policy test · Project ${result.project} · Stack ${result.stack} · Workspace ${result.workspace} · ${result.resources} resources`;
          process.stdout.write(
            flags.output === 'markdown'
              ? `### ${header}\n\n${policyMarkdown(report)}`
              : `${style.bold(header)}\n\n${renderPolicy(report, style)}\n`,
          );
        }
        return report.denied ? ExitCode.changes : ExitCode.ok;
      });
    });
}
