/**
 * `kusion drift` (SPEC §15): every resource of the latest release's state compared with what is live —
 * Kubernetes objects on the fields Kusion owns (kubernetes-drift.ts), Terraform resources by a refresh-only
 * plan of the stack's OpenTofu state. Read-only: nothing is planned, locked or written.
 */
import { isDeepStrictEqual } from 'node:util';
import pLimit from 'p-limit';
import { Codes, KusionError } from '../../errors/index.js';
import type { Resource } from '../../model/index.js';
import { isUnitRuntime, type Runtime } from '../../runtimes/port.js';
import { diffObjects, ignoreMatchers, underAny } from '../plan/diff.js';
import { sensitiveRoots } from '../plan/plan.js';
import { type DriftEntry, objectDrift } from './kubernetes-drift.js';

export type { DriftEntry };

export type DriftStatus = 'InSync' | 'Drifted' | 'Missing';

/** One recorded resource against live. */
export interface ResourceDrift {
  readonly id: string;
  readonly type: Resource['type'];
  readonly status: DriftStatus;
  readonly diff: readonly DriftEntry[];
  /** Kubernetes: the field managers that changed the drifted fields, comma-separated. */
  readonly manager?: string;
}

export interface DriftSummary {
  readonly inSync: number;
  readonly drifted: number;
  readonly missing: number;
}

export interface DriftReport {
  /** By ID, code-point order. */
  readonly resources: readonly ResourceDrift[];
  readonly summary: DriftSummary;
}

export interface DriftInput {
  /** The latest release's state. */
  readonly state: readonly Resource[];
  /** The latest release's spec: what Kusion declared, hence owns, of each object. */
  readonly declared: readonly Resource[];
  readonly runtimeFor: (type: Resource['type']) => Runtime;
  readonly parallelism?: number;
  /** `--ignore-fields`: dot paths with `[*]` for any index, left out of every comparison. */
  readonly ignoreFields?: readonly string[];
  readonly signal?: AbortSignal;
}

/** Observed resources (`kusionstack.io/import-id`) are only read, never managed: they cannot drift. */
const isObserved = (r: Resource) => r.extensions?.['kusionstack.io/import-id'] !== undefined;

export async function detectDrift(input: DriftInput): Promise<DriftReport> {
  const options = input.signal ? { signal: input.signal } : {};
  const managed = input.state.filter((r) => !isObserved(r));
  const declared = new Map(input.declared.map((r) => [r.id, r.attributes]));
  const limit = pLimit(input.parallelism ?? 16);
  const kubernetes = managed.filter((r) => r.type === 'Kubernetes');
  const terraform = managed.filter((r) => r.type === 'Terraform');
  const ignored = ignoreMatchers(input.ignoreFields ?? []);
  const verdict = (resource: Resource, diff: readonly DriftEntry[]) =>
    verdictOf(
      resource,
      diff.filter((d) => !ignored.some((m) => m(d.path))),
    );
  const found: ResourceDrift[] = [];
  await Promise.all([
    ...kubernetes.map((resource) =>
      limit(async () => {
        const runtime = input.runtimeFor('Kubernetes');
        if (!runtime.observe) throw unsupported('Kubernetes');
        const observed = await runtime.observe(resource, options);
        if (!observed) {
          found.push({ id: resource.id, type: resource.type, status: 'Missing', diff: [] });
          return;
        }
        const spec = declared.get(resource.id);
        const diff = objectDrift({
          recorded: resource.attributes,
          live: observed.object,
          ...(spec ? { declared: spec } : {}),
          fieldManager: observed.fieldManager,
          isSensitive: underAny(sensitiveRoots(resource)),
        });
        found.push(verdict(resource, diff));
      }),
    ),
    (async () => {
      if (terraform.length === 0) return;
      const runtime = input.runtimeFor('Terraform');
      if (!isUnitRuntime(runtime) || !runtime.driftUnit) throw unsupported('Terraform');
      const refreshed = await runtime.driftUnit(terraform, options);
      for (const resource of terraform) {
        const r = refreshed.get(resource.id);
        if (!r?.after) {
          found.push({ id: resource.id, type: resource.type, status: 'Missing', diff: [] });
          continue;
        }
        if (isDeepStrictEqual(r.before, r.after)) {
          found.push(verdict(resource, []));
          continue;
        }
        const isSensitive = underAny(sensitiveRoots(resource, r.sensitivePaths));
        found.push(
          verdict(resource, diffObjects(r.before, r.after, { isSensitive, isIgnored: () => false })),
        );
      }
    })(),
  ]);
  const resources = found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const count = (status: DriftStatus) => resources.filter((r) => r.status === status).length;
  return {
    resources,
    summary: { inSync: count('InSync'), drifted: count('Drifted'), missing: count('Missing') },
  };
}

function verdictOf(resource: Resource, diff: readonly DriftEntry[]): ResourceDrift {
  if (diff.length === 0) return { id: resource.id, type: resource.type, status: 'InSync', diff: [] };
  const managers = [...new Set(diff.flatMap((d) => (d.manager ? [d.manager] : [])))].sort();
  return {
    id: resource.id,
    type: resource.type,
    status: 'Drifted',
    diff,
    ...(managers.length > 0 ? { manager: managers.join(', ') } : {}),
  };
}

const unsupported = (type: Resource['type']) =>
  new KusionError(Codes.internal, `the ${type} runtime cannot detect drift`);

/** True when anything drifted or went missing. */
export const hasDrift = (report: DriftReport): boolean =>
  report.summary.drifted > 0 || report.summary.missing > 0;
