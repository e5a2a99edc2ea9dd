import { graphView, type ResourceGraphView, toDot, toMermaid } from '../engine/graph/index.js';
import { Codes, KusionError } from '../errors/index.js';
import { maskSpec } from '../generator/mask.js';
import type { Resource } from '../model/index.js';
import { generate } from './generate.js';
import { type ReleaseQueryOptions, showRelease } from './releases.js';

export interface ResourceGraphOptions extends ReleaseQueryOptions {
  /** Render a freshly generated spec instead of the latest release. */
  readonly fromSpec?: boolean;
  readonly revision?: number;
  readonly args?: Readonly<Record<string, string>>;
  readonly workspaceFile?: string;
}

/** `resource graph`: the latest release (state status) or a fresh spec (status `planned`). */
export async function resourceGraph(input: ResourceGraphOptions): Promise<ResourceGraphView> {
  if (input.fromSpec) {
    const generated = await generate(input);
    return graphView(generated.spec.resources, () => 'planned');
  }
  const release = await showRelease(input);
  const inState = new Set(release.state.resources.map((r) => r.id));
  return graphView(release.spec.resources as unknown as Resource[], (id) =>
    inState.has(id) ? 'applied' : release.phase === 'succeeded' ? 'missing' : 'not applied',
  );
}

export { toDot, toMermaid };

/** `resource show <id>`: its spec entry and its state entry, values masked. */
export async function showResource(
  input: ReleaseQueryOptions & { readonly id: string; readonly revision?: number },
): Promise<{ spec?: unknown; state?: unknown }> {
  const release = await showRelease(input);
  const spec = release.spec.resources.find((r) => r.id === input.id);
  const state = release.state.resources.find((r) => r.id === input.id);
  if (!spec && !state) {
    throw new KusionError(
      Codes.releaseNotFound,
      `resource ${input.id} is not in revision ${release.revision}`,
      { location: input.id, hints: ['list resources with `kusion resource graph`'] },
    );
  }
  const mask = (r: unknown) =>
    r
      ? maskSpec({ resources: [r as Resource], secretStore: null, context: {}, outputs: {} }).resources[0]
      : undefined;
  return { ...(spec ? { spec: mask(spec) } : {}), ...(state ? { state: mask(state) } : {}) };
}
