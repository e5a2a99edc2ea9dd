import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { Codes, KusionError } from '../../errors/index.js';

export interface KubeconfigSources {
  /** `context.KUBECONFIG_CONTENT`: kubeconfig text, highest precedence. */
  readonly content?: string;
  /** `context.KUBECONFIG_PATH`: `~`/`$HOME` expanded, relative to the project directory. */
  readonly path?: string;
  /** `runtimes.kubernetes.kubeconfig`. */
  readonly runtimePath?: string;
  /** `runtimes.kubernetes.context`; default: the file's current-context. */
  readonly context?: string;
  readonly projectDir: string;
  /** The process environment (`KUBECONFIG`, `HOME`), injected for tests. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

function expand(path: string, sources: KubeconfigSources): string {
  const home = sources.env['HOME'] ?? homedir();
  const expanded = path.replace(/^~(?=$|\/)/, home).replace(/\$HOME|\$\{HOME\}/g, home);
  return isAbsolute(expanded) ? expanded : resolve(sources.projectDir, expanded);
}

/**
 * Loads the kubeconfig by SPEC §13.1 precedence: KUBECONFIG_CONTENT › KUBECONFIG_PATH › runtimes
 * kubeconfig › $KUBECONFIG › ~/.kube/config › in-cluster service account. Failure is KUS5001.
 */
export function loadKubeconfig(sources: KubeconfigSources): { config: KubeConfig; origin: string } {
  const config = new KubeConfig();
  const fail = (message: string, cause?: unknown) =>
    new KusionError(Codes.kubeconfigInvalid, message, {
      source: 'user',
      ...(cause === undefined ? {} : { cause }),
      hints: [
        'point KUBECONFIG (or the workspace context KUBECONFIG_PATH / runtimes.kubernetes.kubeconfig) at a valid kubeconfig',
      ],
    });
  let origin: string;
  try {
    if (sources.content) {
      config.loadFromString(sources.content);
      origin = 'context KUBECONFIG_CONTENT';
    } else {
      const file = [sources.path, sources.runtimePath, sources.env['KUBECONFIG']?.split(':')[0]].find(
        (p): p is string => Boolean(p),
      );
      const fallback = join(sources.env['HOME'] ?? homedir(), '.kube', 'config');
      const path = file ? expand(file, sources) : existsSync(fallback) ? fallback : undefined;
      if (path) {
        if (!existsSync(path)) throw fail(`kubeconfig ${path} does not exist`);
        config.loadFromFile(path);
        origin = path;
      } else if (sources.env['KUBERNETES_SERVICE_HOST']) {
        config.loadFromCluster();
        origin = 'in-cluster service account';
      } else
        throw fail(
          'no kubeconfig found: none configured, no $KUBECONFIG, no ~/.kube/config, not in a cluster',
        );
    }
  } catch (error) {
    if (error instanceof KusionError) throw error;
    throw fail(`kubeconfig could not be loaded: ${(error as Error).message}`, error);
  }
  if (sources.context) {
    if (!config.getContexts().some((c) => c.name === sources.context))
      throw fail(`kubeconfig ${origin} has no context "${sources.context}"`);
    config.setCurrentContext(sources.context);
  }
  if (!config.getCurrentCluster()) throw fail(`kubeconfig ${origin} has no current cluster`);
  return { config, origin };
}
