import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Codes, KusionError } from '../errors/index.js';
import type { Resource, WorkspaceDocument } from '../model/index.js';
import type { Runtime } from '../runtimes/port.js';
import type { UnitStateStore } from '../state/port.js';

/** What the Terraform runtime needs beyond the workspace: where its state and working files live. */
export interface TerraformSurroundings {
  readonly home: string;
  readonly identity: { readonly project: string; readonly stack: string; readonly workspace: string };
  readonly unitStates: UnitStateStore;
  readonly key: Uint8Array;
  readonly debug?: boolean;
}

export interface OpenedRuntimes {
  readonly runtimeFor: (type: Resource['type']) => Runtime;
  close(): Promise<void>;
}

/** Opens the runtimes a spec needs, loading heavy clients only then. */
export async function openRuntimes(
  needs: ReadonlySet<Resource['type']>,
  workspace: WorkspaceDocument,
  projectDir: string,
  terraform: TerraformSurroundings,
): Promise<OpenedRuntimes> {
  const runtimes = new Map<Resource['type'], Runtime>();
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
  if (needs.has('Terraform')) {
    const { TerraformRuntime } = await import('../runtimes/terraform/index.js');
    const settings = workspace.runtimes?.terraform ?? {};
    const { project, stack, workspace: name } = terraform.identity;
    runtimes.set(
      'Terraform',
      new TerraformRuntime({
        binary: settings.binary ? expandHome(settings.binary) : 'tofu',
        ...(settings.cliConfigFile
          ? { cliConfigFile: resolve(projectDir, expandHome(settings.cliConfigFile)) }
          : {}),
        parallelism: settings.parallelism ?? 10,
        timeoutMs: durationMs(settings.timeout ?? '30m'),
        env: terraformEnvironment(workspace.context ?? {}),
        cacheDir: join(terraform.home, 'cache', 'terraform'),
        identityKey: createHash('sha256').update(`${project}\0${stack}\0${name}`).digest('hex').slice(0, 16),
        states: terraform.unitStates,
        key: terraform.key,
        debug: terraform.debug ?? false,
      }),
    );
  }
  return {
    runtimeFor(type) {
      const runtime = runtimes.get(type);
      if (!runtime) throw new KusionError(Codes.internal, `no runtime was opened for ${type} resources`);
      return runtime;
    },
    async close() {
      for (const runtime of runtimes.values()) await runtime.close();
    },
  };
}

/** Context keys exported to OpenTofu (SPEC §4.4): upper-case names, not Kusion's own nor kubeconfigs. */
function terraformEnvironment(context: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(context).filter(
      (entry): entry is [string, string] =>
        /^[A-Z][A-Z0-9_]*$/.test(entry[0]) &&
        !entry[0].startsWith('KUBECONFIG_') &&
        !entry[0].startsWith('KUSION_') &&
        typeof entry[1] === 'string',
    ),
  );
}

const expandHome = (path: string) => path.replace(/^(~|\$HOME)(?=\/|$)/, homedir());

/** `30m`, `90s`, `1h`, `500ms`; bare integers are seconds (validated by the workspace schema). */
function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(text);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match?.[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(match?.[1] ?? 0) * unit;
}
