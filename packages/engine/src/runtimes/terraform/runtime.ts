import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Codes, KusionError } from '../../errors/index.js';
import { digestOf } from '../../generator/canonical.js';
import type { JsonObject, JsonValue, Resource } from '../../model/index.js';
import { outputMasker, underRoots } from '../../secrets/index.js';
import type { UnitStateStore } from '../../state/port.js';
import type {
  Readiness,
  RefreshedResource,
  ResourcePlan,
  Runtime,
  RuntimeCallOptions,
  UnitCallOptions,
  UnitOutcome,
  UnitRuntime,
} from '../port.js';
import { importArgs } from './adopt.js';
import { addressOf, providersOnlyConfig, unitConfig } from './config.js';
import { parsePlanDocument } from './plan-json.js';
import { refreshArgs, refreshedResources, refreshPlanFile } from './refresh.js';
import { linkSharedInit } from './shared-init.js';
import { parseStateFile, type StateFile } from './state-file.js';
import { describeDiagnostic, runTofu, type TofuDiagnostic, type TofuEvent, type TofuResult } from './tofu.js';
import { Workdir } from './workdir.js';

export interface TerraformRuntimeOptions {
  /** `tofu`, `terraform` or a path. */
  readonly binary: string;
  /** `TF_CLI_CONFIG_FILE`: provider installation, e.g. a filesystem mirror. */
  readonly cliConfigFile?: string;
  readonly parallelism: number;
  /** Per OpenTofu command. */
  readonly timeoutMs: number;
  /** Exported to OpenTofu: the workspace context's credentials (SPEC §4.4). */
  readonly env: Readonly<Record<string, string>>;
  /** `<KUSION_HOME>/cache/terraform`. */
  readonly cacheDir: string;
  /** Names this identity's working directories: a hash of project, stack and workspace. */
  readonly identityKey: string;
  readonly states: UnitStateStore;
  readonly key: Uint8Array;
  /** `TF_LOG=debug` (SPEC: only with --debug). */
  readonly debug?: boolean;
}

/**
 * The Terraform runtime on OpenTofu (SPEC §13.2). One encrypted state per stack holds every Terraform
 * resource; units run one after another on it, each a `-target`ed plan/apply of its members, so a unit
 * never touches resources of another unit or ones waiting for deletion. Plans computed for preview are
 * kept and applied as they are when the configuration and state did not change since.
 */
export class TerraformRuntime implements Runtime, UnitRuntime {
  readonly type = 'Terraform' as const;
  private readonly options: TerraformRuntimeOptions;
  private workdir: Promise<Workdir> | undefined;
  /** Serialises commands: they share one working directory and state. */
  private queue: Promise<unknown> = Promise.resolve();
  private initialized = '';
  private readonly savedPlans = new Map<string, string>();
  private planCount = 0;

  constructor(options: TerraformRuntimeOptions) {
    this.options = options;
  }

  async planUnit(
    members: readonly Resource[],
    options: RuntimeCallOptions = {},
  ): Promise<ReadonlyMap<string, ResourcePlan>> {
    return this.exclusive(async (workdir) => {
      const { planFile, document } = await this.planAndShow(workdir, members, options);
      this.savedPlans.set(await this.planKey(workdir, members), planFile);
      const plans = new Map<string, ResourcePlan>();
      for (const member of members) {
        const address = addressOf(member);
        const change = document.changes.get(address);
        const live = withoutNulls(change?.before ?? document.prior.get(address) ?? null);
        plans.set(member.id, {
          action: change?.action === 'Delete' ? 'Create' : (change?.action ?? 'UnChanged'),
          predicted: change ? withoutNulls(change.after) : live,
          live,
          liveVersion: null,
          notes:
            change && change.replacePaths.length > 0
              ? [`forces replacement: ${change.replacePaths.join(', ')}`]
              : [],
          sensitivePaths: change?.sensitive ?? [],
        });
      }
      return plans;
    });
  }

  async applyUnit(
    members: readonly Resource[],
    targets: ReadonlySet<string>,
    options: UnitCallOptions = {},
  ): Promise<readonly UnitOutcome[]> {
    return this.exclusive(async (workdir) => {
      await this.configure(workdir, unitConfig(members), options);
      const saved = this.savedPlans.get(await this.planKey(workdir, members));
      const targeted = members.filter((m) => targets.has(m.id));
      const progress = progressOf(members, options);
      const run = saved
        ? await this.tofu(
            workdir,
            ['apply', '-json', '-input=false', '-lock=false', this.parallelismFlag(), saved],
            options,
            progress.onEvent,
          )
        : await this.tofu(
            workdir,
            [
              'apply',
              '-json',
              '-input=false',
              '-lock=false',
              '-auto-approve',
              this.parallelismFlag(),
              ...targetFlags(targeted),
            ],
            options,
            progress.onEvent,
          );
      this.savedPlans.clear();
      await workdir.persist();
      const state = parseStateFile((await workdir.state()) ?? '{}');
      return members.map((member) => {
        if (!targets.has(member.id))
          return { id: member.id, status: 'succeeded', ...withState(member, state) };
        return outcomeOf(member, run, progress, state);
      });
    });
  }

  async deleteUnit(
    priors: readonly Resource[],
    options: UnitCallOptions = {},
  ): Promise<readonly UnitOutcome[]> {
    return this.exclusive(async (workdir) => {
      await this.configure(workdir, providersOnlyConfig(priors), options);
      const progress = progressOf(priors, options);
      const run = await this.tofu(
        workdir,
        [
          'apply',
          '-destroy',
          '-json',
          '-input=false',
          '-lock=false',
          '-auto-approve',
          this.parallelismFlag(),
          ...targetFlags(priors),
        ],
        options,
        progress.onEvent,
      );
      this.savedPlans.clear();
      await workdir.persist();
      const state = parseStateFile((await workdir.state()) ?? '{}');
      return priors.map((prior): UnitOutcome => {
        if (!state.attributes.has(addressOf(prior))) return { id: prior.id, status: 'succeeded' };
        return {
          id: prior.id,
          status: 'failed',
          error: failure(prior, run, progress.errored.get(addressOf(prior))),
        };
      });
    });
  }

  /** Drift: a refresh-only plan of the recorded resources (refresh.ts); nothing is written. */
  async driftUnit(
    priors: readonly Resource[],
    options: RuntimeCallOptions = {},
  ): Promise<ReadonlyMap<string, RefreshedResource>> {
    return this.exclusive(async (workdir) => {
      await this.configure(workdir, providersOnlyConfig(priors), options);
      const run = await this.tofu(workdir, refreshArgs(priors, this.options.parallelism), options, () => {});
      if (run.exitCode !== 0) throw diagnosticsError(run.errors, priors);
      const shown = await this.tofu(workdir, ['show', '-json', '-no-color', refreshPlanFile], options);
      if (shown.exitCode !== 0) throw diagnosticsError(shown.errors, priors);
      return refreshedResources(priors, shown.stdout);
    });
  }

  /** `kusion import`: `tofu import` into the stack's state (adopt.ts); undefined when nothing was adopted. */
  async import(resource: Resource, importId: string | undefined, options: RuntimeCallOptions = {}) {
    if (importId === undefined) return undefined;
    return this.exclusive(async (workdir) => {
      await this.configure(workdir, unitConfig([resource]), options);
      const run = await this.tofu(workdir, importArgs(resource, importId), options);
      this.savedPlans.clear();
      await workdir.persist();
      if (run.exitCode !== 0) throw diagnosticsError(run.errors, [resource]);
      return withState(resource, parseStateFile((await workdir.state()) ?? '{}')).resource;
    });
  }

  async read(resource: Resource, options: RuntimeCallOptions = {}): Promise<JsonObject | undefined> {
    return (await this.planUnit([resource], options)).get(resource.id)?.live ?? undefined;
  }

  async plan(
    _prior: Resource | undefined,
    planned: Resource,
    options: RuntimeCallOptions = {},
  ): Promise<ResourcePlan> {
    return (await this.planUnit([planned], options)).get(planned.id) as ResourcePlan;
  }

  async apply(planned: Resource, _plan: ResourcePlan, options: RuntimeCallOptions = {}): Promise<Resource> {
    const [outcome] = await this.applyUnit([planned], new Set([planned.id]), options);
    if (outcome?.status !== 'succeeded' || !outcome.resource) throw outcome?.error ?? unknownFailure(planned);
    return outcome.resource;
  }

  async delete(prior: Resource, options: RuntimeCallOptions = {}): Promise<void> {
    const [outcome] = await this.deleteUnit([prior], options);
    if (outcome?.status !== 'succeeded') throw outcome?.error ?? unknownFailure(prior);
  }

  /** OpenTofu reports completion per address; there is nothing to wait for afterwards. */
  async readiness(): Promise<Readiness> {
    return { state: 'ready', message: 'applied' };
  }

  async close(): Promise<void> {
    const workdir = await this.workdir?.catch(() => undefined);
    await this.queue.catch(() => undefined);
    await workdir?.close();
  }

  private exclusive<T>(fn: (workdir: Workdir) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => fn(await this.openWorkdir()));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private openWorkdir(): Promise<Workdir> {
    this.workdir ??= Workdir.open({
      root: join(this.options.cacheDir, this.options.identityKey),
      states: this.options.states,
      key: this.options.key,
    });
    return this.workdir;
  }

  /** `plan -out` then `show -json`: the changes with values, for preview and for reuse by apply. */
  private async planAndShow(workdir: Workdir, members: readonly Resource[], options: RuntimeCallOptions) {
    await this.configure(workdir, unitConfig(members), options);
    this.planCount += 1;
    const planFile = `plan-${this.planCount}.bin`;
    const run = await this.tofu(
      workdir,
      [
        'plan',
        '-json',
        '-input=false',
        '-lock=false',
        `-out=${planFile}`,
        this.parallelismFlag(),
        ...targetFlags(members),
      ],
      options,
      () => undefined,
    );
    if (run.exitCode !== 0) throw diagnosticsError(run.errors, members);
    const shown = await this.tofu(workdir, ['show', '-json', '-no-color', planFile], options);
    if (shown.exitCode !== 0) throw diagnosticsError(shown.errors, members);
    return { planFile, document: parsePlanDocument(shown.stdout) };
  }

  /**
   * Writes `main.tf.json`; when the required providers changed, links the shared installation of them
   * (shared-init.ts), or runs `init` here when the state's lock file pins other packages.
   */
  private async configure(workdir: Workdir, config: JsonObject, options: RuntimeCallOptions): Promise<void> {
    await writeFile(join(workdir.dir, 'main.tf.json'), `${JSON.stringify(config, null, 2)}\n`);
    const required = ((config['terraform'] ?? {}) as JsonObject)['required_providers'] as JsonObject;
    const providers = digestOf(required ?? {});
    if (providers === this.initialized) return;
    const init = (dir: string) => this.init(dir, options);
    if (!(await linkSharedInit(workdir.dir, this.options.cacheDir, required ?? {}, init)))
      await init(workdir.dir);
    this.initialized = providers;
  }

  private async init(dir: string, options: RuntimeCallOptions): Promise<void> {
    const run = await this.tofuIn(dir, ['init', '-input=false', '-no-color'], options);
    if (run.exitCode === 0) return;
    throw new KusionError(
      Codes.providerInstallFailed,
      `${this.options.binary} init failed: ${run.errors.map(describeDiagnostic).join('; ')}`,
      {
        source: 'external',
        hints: [
          'providers are installed from the registry or the mirror of runtimes.terraform.cliConfigFile; check that it holds the pinned versions',
        ],
      },
    );
  }

  private async planKey(workdir: Workdir, members: readonly Resource[]): Promise<string> {
    return digestOf({ config: unitConfig(members), state: (await workdir.state()) ?? '' });
  }

  private parallelismFlag(): string {
    return `-parallelism=${this.options.parallelism}`;
  }

  private tofu(
    workdir: Workdir,
    args: readonly string[],
    options: RuntimeCallOptions,
    onEvent?: (event: TofuEvent) => void,
  ): Promise<TofuResult> {
    return this.tofuIn(workdir.dir, args, options, onEvent);
  }

  private tofuIn(
    cwd: string,
    args: readonly string[],
    options: RuntimeCallOptions,
    onEvent?: (event: TofuEvent) => void,
  ): Promise<TofuResult> {
    return runTofu(args, {
      binary: this.options.binary,
      cwd,
      env: this.environment(),
      timeoutMs: this.options.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(onEvent ? { onEvent } : {}),
    });
  }

  /** A clean environment: credentials come from the workspace context only (SPEC §13.2). */
  private environment(): Record<string, string> {
    const inherited = ['PATH', 'HOME', 'TMPDIR', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'SSL_CERT_FILE'];
    const env: Record<string, string> = {};
    for (const name of inherited) {
      const value = process.env[name];
      if (value !== undefined) env[name] = value;
    }
    const cliConfigFile = this.options.cliConfigFile ?? process.env['TF_CLI_CONFIG_FILE'];
    return {
      ...env,
      ...this.options.env,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      TF_PLUGIN_CACHE_DIR: join(this.options.cacheDir, 'plugins'),
      ...(cliConfigFile ? { TF_CLI_CONFIG_FILE: cliConfigFile } : {}),
      ...(this.options.debug ? { TF_LOG: 'debug' } : {}),
    };
  }
}

const targetFlags = (resources: readonly Resource[]) => resources.map((r) => `-target=${addressOf(r)}`);

interface Progress {
  readonly onEvent: (event: TofuEvent) => void;
  readonly completed: Set<string>;
  readonly errored: Map<string, TofuDiagnostic | undefined>;
  readonly diagnostics: Map<string, TofuDiagnostic>;
}

/** Maps `-json` hook events to resource IDs: progress messages, completions and errors per address. */
function progressOf(resources: readonly Resource[], options: UnitCallOptions): Progress {
  const idOf = new Map(resources.map((r) => [addressOf(r), r.id]));
  const completed = new Set<string>();
  const errored = new Map<string, TofuDiagnostic | undefined>();
  const diagnostics = new Map<string, TofuDiagnostic>();
  return {
    completed,
    errored,
    diagnostics,
    onEvent(event) {
      const address = event.hook?.resource?.addr ?? event.diagnostic?.address;
      if (!address) return;
      if (event.type === 'diagnostic' && event.diagnostic?.severity === 'error') {
        diagnostics.set(address, event.diagnostic);
        if (errored.has(address)) errored.set(address, event.diagnostic);
      }
      if (event.type === 'apply_complete') completed.add(address);
      if (event.type === 'apply_errored') errored.set(address, diagnostics.get(address));
      const id = idOf.get(address);
      if (id && event.type === 'apply_progress' && event.hook?.elapsed_seconds !== undefined)
        options.onProgress?.(
          id,
          `still ${event.hook.action ?? 'working'}… (${event.hook.elapsed_seconds}s elapsed)`,
        );
    },
  };
}

function outcomeOf(member: Resource, run: TofuResult, progress: Progress, state: StateFile): UnitOutcome {
  const address = addressOf(member);
  if (progress.errored.has(address))
    return {
      id: member.id,
      status: 'failed',
      error: failure(member, run, progress.errored.get(address) ?? progress.diagnostics.get(address)),
    };
  const present = state.attributes.has(address);
  if (present && (progress.completed.has(address) || run.exitCode === 0))
    return { id: member.id, status: 'succeeded', ...withState(member, state) };
  if (run.exitCode === 0) return { id: member.id, status: 'failed', error: unknownFailure(member) };
  // Not attempted: OpenTofu stops a resource whose dependency failed, or the whole run on a config error.
  const own = progress.diagnostics.get(address);
  if (own) return { id: member.id, status: 'failed', error: failure(member, run, own) };
  const unattributed = run.errors.filter((d) => !d.address);
  if (unattributed.length > 0)
    return { id: member.id, status: 'failed', error: failure(member, run, unattributed[0]) };
  return { id: member.id, status: 'skipped' };
}

function withState(member: Resource, state: StateFile): { resource?: Resource } {
  const address = addressOf(member);
  const attributes = state.attributes.get(address);
  if (!attributes) return {};
  const declared = member.extensions?.['kusion.io/sensitive'];
  const marked = [
    ...(Array.isArray(declared) ? declared.map(String) : []),
    ...(state.sensitive.get(address) ?? []),
  ];
  const sensitive = [...new Set([...marked, ...copiesOf(attributes, marked)])].sort();
  for (const value of valuesAt(attributes, sensitive)) outputMasker.register(value);
  return {
    resource: {
      ...member,
      attributes,
      extensions: {
        ...member.extensions,
        ...(sensitive.length > 0 ? { 'kusion.io/sensitive': sensitive } : {}),
      },
    },
  };
}

function failure(resource: Resource, run: TofuResult, diagnostic: TofuDiagnostic | undefined): KusionError {
  const chosen = diagnostic ?? run.errors[0];
  return new KusionError(
    Codes.terraformDiagnostic,
    chosen ? describeDiagnostic(chosen) : `OpenTofu exited with status ${run.exitCode}`,
    { location: resource.id, source: 'external' },
  );
}

function diagnosticsError(errors: readonly TofuDiagnostic[], members: readonly Resource[]): KusionError {
  const byAddress = new Map(members.map((m) => [addressOf(m), m.id]));
  const first = errors[0];
  const id = first?.address ? byAddress.get(first.address) : undefined;
  return new KusionError(
    Codes.terraformDiagnostic,
    errors.length > 0
      ? errors
          .map(
            (d) => `${d.address ? `${byAddress.get(d.address) ?? d.address}: ` : ''}${describeDiagnostic(d)}`,
          )
          .join('; ')
      : 'OpenTofu failed without a diagnostic',
    { source: 'external', ...(id ? { location: id } : {}) },
  );
}

const unknownFailure = (resource: Resource) =>
  new KusionError(Codes.terraformDiagnostic, 'OpenTofu did not apply it and reported no error', {
    location: resource.id,
    source: 'external',
  });

/**
 * Paths holding a copy of a sensitive value (e.g. `terraform_data.output` mirroring a sensitive `input`):
 * OpenTofu does not always carry the mark over, but the value must be encrypted and masked there too.
 */
function copiesOf(attributes: JsonObject, sensitivePaths: readonly string[]): string[] {
  const under = underRoots(sensitivePaths);
  const strings = stringLeaves(attributes);
  const secrets = new Set(
    strings.filter(([path, value]) => under(path) && value.length >= 4).map(([, v]) => v),
  );
  return strings.filter(([path, value]) => secrets.has(value) && !under(path)).map(([path]) => path);
}

/** OpenTofu reports unset optional attributes as null; they are noise in a diff. */
function withoutNulls(value: JsonObject | null): JsonObject | null {
  if (value === null) return null;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) as JsonObject;
}

/** String values at or below the given paths: what the masker must hide wherever it shows up. */
function valuesAt(attributes: JsonObject, paths: readonly string[]): string[] {
  const under = underRoots(paths);
  return stringLeaves(attributes)
    .filter(([path]) => under(path))
    .map(([, value]) => value);
}

/** Every string leaf with its dot path (list indexes as segments, as `kusion.io/sensitive` writes them). */
function stringLeaves(value: JsonValue, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  const child = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (Array.isArray(value)) return value.flatMap((item, i) => stringLeaves(item, child(i)));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, child(k)));
  return [];
}
