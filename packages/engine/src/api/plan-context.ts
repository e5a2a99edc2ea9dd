import type { Diagnostic } from '../errors/index.js';
import type { ResolvedModules, Spec } from '../model/index.js';

/** Who and what a plan is about, for headers and JSON. */
export interface PlanContext {
  readonly project: string;
  readonly stack: string;
  readonly workspace: string;
  readonly baseRevision: number;
  readonly specDigest: string;
  readonly stateDigest: string;
  readonly modules: ResolvedModules;
  readonly outputs: Spec['outputs'];
  readonly warnings: readonly Diagnostic[];
}
