import type { PlannedChange } from '../engine/plan/plan.js';
import type { Resource } from '../model/index.js';
import type { PolicyInput } from './types.js';

/** A planned resource as the rules see it: the spec entry, its change, and who generated it. */
export interface PolicySubject {
  /** The planned resource (spec entry, references unresolved). */
  readonly resource: Resource;
  readonly change: Pick<PlannedChange, 'action' | 'diff'>;
  /** The application, from `kusion.io/source` (`web/workload/service@1.0.0` → `web`); '' for core resources. */
  readonly app: string;
  /** The module name (`service`); '' for resources the core adds, such as the Namespace. */
  readonly module: string;
}

const unchanged: PolicySubject['change'] = { action: 'UnChanged', diff: [] };

/** The planned resources of a plan, in spec order (deletions have no planned resource and are not subjects). */
export function subjectsOf(input: PolicyInput): PolicySubject[] {
  const changes = new Map(input.plan.changes.map((c) => [c.id, c]));
  return input.spec.resources.map((resource) => {
    const source = resource.extensions?.['kusion.io/source'];
    const [app = '', , moduleRef = ''] = typeof source === 'string' ? source.split('/') : [];
    const at = moduleRef.lastIndexOf('@');
    return {
      resource,
      change: changes.get(resource.id) ?? unchanged,
      app,
      module: at > 0 ? moduleRef.slice(0, at) : moduleRef,
    };
  });
}
