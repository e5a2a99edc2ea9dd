import type pLimit from 'p-limit';
import type { JsonObject, Resource } from '../../model/index.js';
import type { Action } from '../../runtimes/port.js';
import type { PlannedChange } from '../plan/plan.js';
import type { ExecuteInput, ResourceOutcome, ResourceStatus } from './types.js';

/** What the steps of one execution share: the input, what was applied so far and how to report it. */
export interface ExecutionContext {
  readonly input: ExecuteInput;
  readonly byId: ReadonlyMap<string, Resource>;
  readonly specIds: ReadonlySet<string>;
  readonly changes: ReadonlyMap<string, PlannedChange>;
  /** The state after execution, as Kusion last observed it. */
  readonly state: Map<string, Resource>;
  /** Applied results by ID, for `$kusion_path`. */
  readonly applied: Map<string, JsonObject>;
  readonly outcomes: Map<string, ResourceOutcome>;
  readonly finish: (outcome: ResourceOutcome, message?: string) => void;
  readonly emit: (id: string, action: Action, status: ResourceStatus, message?: string) => void;
  /** Marks every not yet finished dependent of `id` skipped, transitively. */
  readonly skipDependents: (id: string, reason: string) => void;
  /** Stop scheduling (first interrupt, timeout). */
  readonly stop: AbortSignal;
  readonly timedOut: () => boolean;
  readonly limit: ReturnType<typeof pLimit>;
  /** Abort in-flight calls (second interrupt). */
  readonly callSignal?: AbortSignal;
}

export const callOptions = (ctx: ExecutionContext) => (ctx.callSignal ? { signal: ctx.callSignal } : {});
