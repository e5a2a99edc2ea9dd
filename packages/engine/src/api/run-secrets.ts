/**
 * Wires secrets into one stack run (SPEC §14): the workspace's secret store, opened on the first
 * reference that needs it; the workspace context with its `ref://` values resolved (only now, as
 * runtimes are initialised); the per-resource resolver the planner and executor call; a `derive` whose
 * values are registered with the masker.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { Codes, KusionError } from '../errors/index.js';
import type { JsonObject, Spec, WorkspaceDocument } from '../model/index.js';
import {
  isSecretRef,
  outputMasker,
  type ResolveResourceSecrets,
  resolveContext,
  resourceSecretResolver,
} from '../secrets/index.js';
import { openSecretStore, type SecretStore } from '../secrets/stores/index.js';

export interface RunSecrets {
  /** The workspace document with its context resolved: what runtimes are opened with. */
  readonly workspace: WorkspaceDocument;
  readonly resolveSecrets: ResolveResourceSecrets;
}

/** Opens the secret side of a run; contacts the store only if the context holds references. */
export async function openRunSecrets(input: {
  readonly spec: Spec;
  readonly workspace: WorkspaceDocument;
  readonly projectDir: string;
  readonly signal?: AbortSignal;
}): Promise<RunSecrets> {
  const rawContext = (input.workspace.context ?? {}) as Record<string, unknown>;
  let resolvedContext: Record<string, unknown> | undefined;
  const kubeconfig = async (): Promise<KubeConfig> => {
    const context = resolvedContext ?? rawContext;
    if (
      !resolvedContext &&
      (isSecretRef(context['KUBECONFIG_CONTENT']) || isSecretRef(context['KUBECONFIG_PATH']))
    )
      throw new KusionError(
        Codes.workspaceInvalid,
        'the kubernetes secret store reaches the cluster through the kubeconfig, so the kubeconfig cannot come from it',
        {
          hints: [
            'keep KUBECONFIG_CONTENT in another secret store, or use KUBECONFIG_PATH with a literal path',
          ],
        },
      );
    const { loadKubeconfig } = await import('../runtimes/kubernetes/index.js');
    const settings = input.workspace.runtimes?.kubernetes ?? {};
    return loadKubeconfig({
      ...(typeof context['KUBECONFIG_CONTENT'] === 'string'
        ? { content: context['KUBECONFIG_CONTENT'] }
        : {}),
      ...(typeof context['KUBECONFIG_PATH'] === 'string' ? { path: context['KUBECONFIG_PATH'] } : {}),
      ...(settings.kubeconfig ? { runtimePath: settings.kubeconfig } : {}),
      ...(settings.context ? { context: settings.context } : {}),
      projectDir: input.projectDir,
      env: process.env,
    }).config;
  };
  let store: SecretStore | undefined | null = null;
  const storeOnce = () => {
    if (store === null)
      store = openSecretStore(
        (input.spec.secretStore ?? input.workspace.secretStore ?? null) as JsonObject | null,
        { env: process.env, kubeconfig },
      );
    return store;
  };
  const hasRefs = Object.values(rawContext).some(isSecretRef);
  resolvedContext = await resolveContext(rawContext, {
    store: hasRefs ? storeOnce() : undefined,
    masker: outputMasker,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  return {
    workspace: { ...input.workspace, context: resolvedContext },
    resolveSecrets: resourceSecretResolver({ store: storeOnce, masker: outputMasker }),
  };
}

/** A `derive` whose every value is registered with the masker before anyone sees it. */
export function maskedDerive(
  derive: (label: string, length: number) => string,
): (label: string, length: number) => string {
  return (label, length) => {
    const value = derive(label, length);
    outputMasker.register(value);
    return value;
  };
}
