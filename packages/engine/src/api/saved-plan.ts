import { writeFile } from 'node:fs/promises';
import type { Plan } from '../engine/plan/plan.js';
import { Codes, KusionError } from '../errors/index.js';
import { digestOf } from '../generator/canonical.js';
import type { JsonObject, ResolvedModules, Spec } from '../model/index.js';
import { nodeFiles } from './node-files.js';
import { type PlanContext, previewDocument } from './plan-context.js';
import { kusionVersion } from './version.js';

/** A plan saved by `preview --out` (SPEC §10.4): what apply --plan executes exactly. */
export type PlanFile = Omit<ReturnType<typeof previewDocument>, 'kind' | 'changes'> & {
  readonly kind: 'Plan';
  readonly changes: Plan['changes'];
  readonly spec: Spec;
  readonly modules: ResolvedModules;
  readonly kusionVersion: string;
  readonly createTime: string;
  readonly planDigest: string;
};

/** Writes the plan with its digest over everything else, so a hand-edited plan is refused. */
export async function writePlanFile(
  path: string,
  plan: Plan,
  context: PlanContext,
  spec: Spec,
): Promise<string> {
  const body = {
    ...previewDocument(plan, context),
    kind: 'Plan' as const,
    // The full changes, with the live version each was planned against (SPEC §10.4 `expect`).
    changes: plan.changes,
    spec,
    modules: context.modules,
    kusionVersion: kusionVersion(),
    createTime: new Date().toISOString(),
  };
  const planDigest = digestOf(body as unknown as JsonObject);
  await writeFile(path, `${JSON.stringify({ ...body, planDigest }, null, 2)}\n`);
  return planDigest;
}

/** Reads a plan file, checking its shape and digest. */
export async function readPlanFile(path: string, display: string): Promise<PlanFile> {
  const text = await nodeFiles.readText(path);
  if (text === undefined)
    throw new KusionError(Codes.planStale, `plan file ${display} not found`, { location: display });
  let parsed: PlanFile;
  try {
    parsed = JSON.parse(text) as PlanFile;
  } catch {
    throw new KusionError(Codes.planStale, `${display} is not a plan file (not JSON)`, { location: display });
  }
  if (
    parsed.kind !== 'Plan' ||
    parsed.formatVersion !== 1 ||
    !Array.isArray(parsed.changes) ||
    !parsed.spec
  ) {
    throw new KusionError(Codes.planStale, `${display} is not a Kusion plan (kind Plan, formatVersion 1)`, {
      location: display,
      hints: ['write one with `kusion preview --out plan.json`'],
    });
  }
  const { planDigest, ...body } = parsed;
  if (digestOf(body as unknown as JsonObject) !== planDigest) {
    throw new KusionError(Codes.planStale, `${display} was modified after it was written (digest mismatch)`, {
      location: display,
      hints: ['run preview --out again'],
    });
  }
  return parsed;
}
