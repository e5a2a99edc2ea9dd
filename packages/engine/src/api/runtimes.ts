import { Codes, KusionError } from '../errors/index.js';
import type { Resource, Spec, WorkspaceDocument } from '../model/index.js';
import type { Runtime } from '../runtimes/port.js';

export interface OpenedRuntimes {
  readonly runtimeFor: (type: Resource['type']) => Runtime;
  close(): Promise<void>;
}

/**
 * Opens the runtimes a spec needs, loading heavy clients only then. Terraform resources need the
 * Terraform runtime, which this build does not have yet (KUS6001).
 */
export async function openRuntimes(
  spec: Spec,
  workspace: WorkspaceDocument,
  projectDir: string,
): Promise<OpenedRuntimes> {
  const runtimes = new Map<Resource['type'], Runtime>();
  const needs = new Set(spec.resources.map((r) => r.type));
  if (needs.has('Kubernetes')) {
    const { KubernetesRuntime, loadKubeconfig } = await import('../runtimes/kubernetes/index.js');
    const context = (workspace.context ?? {}) as Record<string, unknown>;
    const settings = workspace.runtimes?.kubernetes ?? {};
    const { config } = loadKubeconfig({
      ...(typeof context['KUBECONFIG_CONTENT'] === 'string'
        ? { content: context['KUBECONFIG_CONTENT'] }
        : {}),
      ...(typeof context['KUBECONFIG_PATH'] === 'string' ? { path: context['KUBECONFIG_PATH'] } : {}),
      ...(settings.kubeconfig ? { runtimePath: settings.kubeconfig } : {}),
      ...(settings.context ? { context: settings.context } : {}),
      projectDir,
      env: process.env,
    });
    runtimes.set(
      'Kubernetes',
      new KubernetesRuntime({
        config,
        ...(settings.fieldManager ? { fieldManager: settings.fieldManager } : {}),
        ...(settings.qps ? { qps: settings.qps } : {}),
        ...(settings.burst ? { burst: settings.burst } : {}),
      }),
    );
  }
  return {
    runtimeFor(type) {
      const runtime = runtimes.get(type);
      if (!runtime) {
        throw new KusionError(
          Codes.terraformBinaryMissing,
          `this build of Kusion cannot apply ${type} resources yet`,
          {
            hints: [
              'the Terraform runtime is being built; remove Terraform resources from the stack for now',
            ],
          },
        );
      }
      return runtime;
    },
    async close() {
      for (const runtime of runtimes.values()) await runtime.close();
    },
  };
}
