import { dirname, join, relative } from 'node:path';
import { Codes, diagnostic, KusionError, throwIfErrors } from '../errors/index.js';
import type { Extension, ProjectFile, StackContext } from '../model/index.js';
import type { FileReader } from './file-reader.js';
import { parseProjectFile } from './project-file.js';

const reservedNamespaces = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

export interface LocateStackOptions {
  readonly workdir: string;
  /** The working directory messages are relative to. */
  readonly cwd: string;
  /** True when the command reads a spec or plan file instead of the AppConfiguration. */
  readonly appConfigurationOptional?: boolean;
}

/**
 * Finds the stack (the working directory) and its project (the nearest ancestor holding `project.yaml`),
 * and works out the namespace and metadata extensions (SPEC §3.1, §3.2).
 */
export async function locateStack(files: FileReader, options: LocateStackOptions): Promise<StackContext> {
  const display = (path: string) => relative(options.cwd, path) || '.';
  const stackDir = options.workdir;
  const stackText = await files.readText(join(stackDir, 'stack.yaml'));
  if (stackText === undefined) {
    throw new KusionError(
      Codes.notInStack,
      `${display(stackDir)} is not a stack directory: stack.yaml not found`,
      {
        location: display(stackDir),
      },
    );
  }
  const projectDir = await findProjectDir(files, stackDir);
  if (!projectDir) {
    throw new KusionError(
      Codes.notInStack,
      `no project.yaml found in ${display(stackDir)} or any parent directory`,
      {
        location: display(stackDir),
        hints: ['create project.yaml in the project directory with `name: <project>`, or run `kusion init`'],
      },
    );
  }
  const projectParsed = parseProjectFile(
    (await files.readText(join(projectDir, 'project.yaml'))) ?? '',
    display(join(projectDir, 'project.yaml')),
  );
  const stackParsed = parseProjectFile(stackText, display(join(stackDir, 'stack.yaml')));
  throwIfErrors([...projectParsed.diagnostics, ...stackParsed.diagnostics]);
  const project = projectParsed.file as ProjectFile;
  const stack = stackParsed.file as ProjectFile;

  const entries = new Set((await files.list(stackDir)).filter((e) => !e.isDirectory).map((e) => e.name));
  const mains = ['main.yaml', 'main.ts'].filter((name) => entries.has(name));
  if (mains.length !== 1 && !options.appConfigurationOptional) {
    throw new KusionError(
      Codes.appConfigurationFileCount,
      mains.length === 0
        ? `${display(stackDir)}: no main.yaml or main.ts in the stack directory`
        : `${display(stackDir)}: both main.yaml and main.ts exist; a stack has exactly one AppConfiguration`,
      { location: display(stackDir) },
    );
  }
  const namespaceExtension =
    findExtension(stack, 'kubernetesNamespace') ?? findExtension(project, 'kubernetesNamespace');
  const metadataExtension =
    findExtension(stack, 'kubernetesMetadata') ?? findExtension(project, 'kubernetesMetadata');
  const namespace = namespaceExtension?.kubernetesNamespace.namespace ?? project.name;
  const mainFile = mains.length === 1 && mains[0] ? join(stackDir, mains[0]) : undefined;
  return {
    projectDir,
    stackDir,
    project,
    stack,
    namespace,
    createNamespace:
      (namespaceExtension?.kubernetesNamespace.create ?? true) && !reservedNamespaces.has(namespace),
    metadata: {
      labels: metadataExtension?.kubernetesMetadata.labels ?? {},
      annotations: metadataExtension?.kubernetesMetadata.annotations ?? {},
    },
    ...(mainFile ? { appConfigurationFile: mainFile } : {}),
  };
}

async function findProjectDir(files: FileReader, start: string): Promise<string | undefined> {
  for (let dir = start; ; dir = dirname(dir)) {
    if ((await files.readText(join(dir, 'project.yaml'))) !== undefined) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

type ExtensionOf<K extends Extension['kind']> = Extract<Extension, { kind: K }>;

function findExtension<K extends Extension['kind']>(file: ProjectFile, kind: K): ExtensionOf<K> | undefined {
  return file.extensions?.find((e): e is ExtensionOf<K> => e.kind === kind);
}

/**
 * Stack names are part of release identity, so they must be unique in a project (KUS1007). Scans the
 * project tree, skipping `node_modules` and dot-directories.
 */
export async function checkUniqueStackNames(
  files: FileReader,
  projectDir: string,
  cwd: string,
): Promise<void> {
  const seen = new Map<string, string>();
  const problems = [];
  const queue = [projectDir];
  for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
    const entries = [...(await files.list(dir))].sort((a, b) => (a.name < b.name ? -1 : 1));
    if (dir !== projectDir && entries.some((e) => e.name === 'stack.yaml' && !e.isDirectory)) {
      const text = (await files.readText(join(dir, 'stack.yaml'))) ?? '';
      const name = parseProjectFile(text, 'stack.yaml').file?.name;
      const where = relative(cwd, join(dir, 'stack.yaml'));
      if (name !== undefined) {
        const first = seen.get(name);
        if (first)
          problems.push(
            diagnostic(
              Codes.duplicateStackName,
              `stack name "${name}" is used twice: ${first} and ${where}`,
              where,
              'rename one of the stacks; stack names identify releases',
            ),
          );
        else seen.set(name, where);
      }
    }
    for (const entry of entries) {
      if (entry.isDirectory && entry.name !== 'node_modules' && !entry.name.startsWith('.'))
        queue.push(join(dir, entry.name));
    }
  }
  throwIfErrors(problems);
}
