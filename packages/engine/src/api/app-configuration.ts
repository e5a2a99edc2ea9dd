import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type AppConfiguration,
  documentFromPositions,
  interpolateArgs,
  parseYaml,
  readAppConfiguration,
} from '../config/index.js';
import { Codes, KusionError, throwIfErrors } from '../errors/index.js';
import { type ModuleWorker, WorkerCallError } from '../modules/loader/module-worker.js';
import { nodeFiles } from './node-files.js';

/**
 * Reads `main.yaml` (positions from YAML) or evaluates `main.ts` in the guarded worker (positions from
 * builder calls), its imports of module packages resolving to the workspace's versions (`packages`).
 */
export async function loadAppConfiguration(
  file: string,
  cwd: string,
  args: Readonly<Record<string, string>>,
  worker: ModuleWorker,
  packages: () => Readonly<Record<string, string>>,
): Promise<AppConfiguration> {
  const display = relative(cwd, file) || file;
  if (file.endsWith('.yaml')) {
    const parsed = parseYaml((await nodeFiles.readText(file)) ?? '', display);
    throwIfErrors(parsed.diagnostics);
    return readAppConfiguration(interpolateArgs(parsed.document, args));
  }
  let evaluated: Awaited<ReturnType<ModuleWorker['evaluate']>>;
  try {
    evaluated = await worker.evaluate(pathToFileURL(file).href, args, packages());
  } catch (error) {
    const failure = error instanceof WorkerCallError ? error.failure : undefined;
    const site = failure?.stack?.match(/\((?:file:\/\/)?([^():]+main\.ts):(\d+):(\d+)\)/);
    throw new KusionError(Codes.mainTsFailed, `main.ts failed: ${failure?.message ?? String(error)}`, {
      location: site ? `${relative(cwd, site[1] ?? file)}:${site[2]}:${site[3]}` : display,
      hints: [
        failure?.nonDeterministic
          ? 'main.ts must be deterministic: no clock, randomness or environment'
          : 'fix the error in main.ts; it is evaluated (type-stripped, not type-checked) on every generate',
      ],
      cause: error,
    });
  }
  const positions = new Map([...evaluated.positions].map(([path, site]) => [path, relativeSite(site, cwd)]));
  return readAppConfiguration(documentFromPositions(display, evaluated.apps, positions));
}

function relativeSite(site: string, cwd: string): string {
  const match = site.match(/^(.*):(\d+):(\d+)$/);
  return match ? `${relative(cwd, match[1] ?? '')}:${match[2]}:${match[3]}` : site;
}
