import type { Command } from '@commander-js/extra-typings';
import { engineOptions, type GlobalFlags } from '../context.js';
import { collectArgument, parsePositiveInt } from '../flags.js';
import { toYaml } from '../render/lazy.js';
import { renderTable } from '../render/table.js';
import { run } from '../run.js';

export function registerResource(program: Command): void {
  const resource = program.command('resource').description('Inspect the resources of the current stack');
  resource
    .command('graph')
    .option('--from-spec', 'render a freshly generated spec instead of the latest release')
    .option('--revision <n>', 'release revision (default: the latest)', parsePositiveInt)
    .option(
      '-D, --argument <key=value>',
      'argument for generate with --from-spec (repeatable)',
      collectArgument,
      {},
    )
    .option('--workspace-file <file>', 'read the workspace from this YAML file (with --from-spec)')
    .description('Show the dependency graph: -o text (default), json, dot or mermaid')
    .action(async (options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      await run(flags, async () => {
        const { resourceGraph, toDot, toMermaid } = await import('@kusion/engine');
        const view = await resourceGraph({
          ...engineOptions(flags),
          ...(flags.workdir ? { workdir: flags.workdir } : {}),
          ...(flags.workspace ? { workspace: flags.workspace } : {}),
          ...(options.workspaceFile ? { workspaceFile: options.workspaceFile } : {}),
          ...(options.revision ? { revision: options.revision } : {}),
          fromSpec: options.fromSpec === true,
          args: options.argument,
        });
        if (flags.output === 'json') process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
        else if (flags.output === 'dot') process.stdout.write(toDot(view));
        else if (flags.output === 'mermaid') process.stdout.write(toMermaid(view));
        else {
          const row = (n: (typeof view.nodes)[number]) => [n.id, n.kind, n.name, n.status, n.cloudId ?? '-'];
          const head = ['ID', 'KIND', 'NAME', 'STATUS', 'CLOUD ID'];
          const dependencies = new Set(view.edges.map((e) => e.dependency));
          const sections: [string, typeof view.nodes][] = [
            ['Workload', view.nodes.filter((n) => n.workload)],
            ['Dependencies', view.nodes.filter((n) => !n.workload && dependencies.has(n.id))],
            ['Others', view.nodes.filter((n) => !n.workload && !dependencies.has(n.id))],
          ];
          for (const [title, nodes] of sections)
            if (nodes.length > 0) process.stdout.write(`${title}\n${renderTable(head, nodes.map(row))}\n`);
        }
        return 0;
      });
    });

  resource
    .command('show')
    .argument('<id>', 'resource ID')
    .option('--revision <n>', 'release revision (default: the latest)', parsePositiveInt)
    .description('Show a resource: its spec entry and state entry (values masked)')
    .action(async (id, options, command) => {
      const flags = command.optsWithGlobals() as GlobalFlags;
      await run(flags, async () => {
        const { showResource } = await import('@kusion/engine');
        const result = await showResource({
          ...engineOptions(flags),
          id,
          ...(flags.workdir ? { workdir: flags.workdir } : {}),
          ...(flags.workspace ? { workspace: flags.workspace } : {}),
          ...(options.revision ? { revision: options.revision } : {}),
        });
        process.stdout.write(
          flags.output === 'json' ? `${JSON.stringify(result, null, 2)}\n` : toYaml(result),
        );
        return 0;
      });
    });
}
