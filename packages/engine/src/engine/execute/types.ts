import type { Resource, Spec } from '../../model/index.js';
import type { Action, Runtime } from '../../runtimes/port.js';
import type { PlannedChange } from '../plan/plan.js';

/** Where a resource stands during and after execution (SPEC §11.5). */
export type ResourceStatus =
  | 'pending'
  | 'running'
  | 'waiting'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'unchanged';

export interface ResourceOutcome {
  readonly id: string;
  readonly action: Action;
  readonly status: ResourceStatus;
  readonly ready: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

/** Progress the host renders: one event per transition. */
export interface ResourceEvent {
  readonly id: string;
  readonly action: Action;
  readonly status: ResourceStatus;
  /** Why: `2/3 available`, the error message, `dependency failed: <id>`. */
  readonly message?: string;
}

/** Per-resource journal hooks: one append before and one after each runtime call (SPEC §9.4). */
export interface Journal {
  started(id: string, action: Action): Promise<void>;
  finished(
    id: string,
    outcome: 'succeeded' | 'failed',
    resource?: Resource,
    error?: { code: string; message: string },
  ): Promise<void>;
}

export interface ExecuteInput {
  readonly changes: readonly PlannedChange[];
  readonly spec: Spec;
  readonly prior: readonly Resource[];
  readonly runtimeFor: (type: Resource['type']) => Runtime;
  readonly journal: Journal;
  readonly onEvent: (event: ResourceEvent) => void;
  /** @default 16 */
  readonly parallelism?: number;
  /** Wait for readiness before dependents start. @default true */
  readonly watch?: boolean;
  /** Execution plus watching. 0 = none. */
  readonly timeoutMs?: number;
  /** Stop scheduling new work (first SIGINT, timeout); in-flight calls finish. */
  readonly stopSignal?: AbortSignal;
  /** Abort in-flight calls too (second SIGINT). */
  readonly abortSignal?: AbortSignal;
  readonly forceConflicts?: boolean;
  readonly derive?: (label: string, length: number) => string;
  /** Resolves `ref://` values and marks reference paths sensitive (secrets/resolve.ts), before `$kusion_path`. */
  readonly resolveSecrets?: (resource: Resource, signal?: AbortSignal) => Promise<Resource>;
}

export interface ExecuteResult {
  readonly outcomes: readonly ResourceOutcome[];
  /** The state after execution: what exists, as Kusion last observed it. */
  readonly state: readonly Resource[];
  readonly timedOut: boolean;
  readonly interrupted: boolean;
}
