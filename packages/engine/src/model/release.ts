import { z } from 'zod';

const resource = z.strictObject({
  id: z.string().min(1),
  type: z.enum(['Kubernetes', 'Terraform']),
  attributes: z.record(z.string(), z.unknown()),
  dependsOn: z.array(z.string()).optional(),
  extensions: z.record(z.string(), z.unknown()).optional(),
});

/** A Spec as persisted in releases and plans (SPEC §7.1). */
export const SpecSchema = z.strictObject({
  resources: z.array(resource),
  secretStore: z.record(z.string(), z.unknown()).nullable().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
  outputs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

/** Phases of a release (SPEC §9.1). */
export const releasePhases = [
  'generating',
  'previewing',
  'applying',
  'destroying',
  'succeeded',
  'failed',
] as const;
export type ReleasePhase = (typeof releasePhases)[number];

/** One numbered execution record of an identity (project, stack, workspace) (SPEC §9.1). */
export const ReleaseSchema = z.strictObject({
  project: z.string(),
  stack: z.string(),
  workspace: z.string(),
  revision: z.number().int().positive(),
  phase: z.enum(releasePhases),
  spec: SpecSchema,
  state: z.strictObject({ resources: z.array(resource) }),
  planDigest: z.string().optional(),
  modules: z
    .record(
      z.string(),
      z.strictObject({ source: z.string(), version: z.string(), integrity: z.string().optional() }),
    )
    .optional(),
  operator: z.string(),
  source: z.strictObject({
    kind: z.enum(['apply', 'destroy', 'rollback', 'import']),
    fromRevision: z.number().int().positive().optional(),
  }),
  kusionVersion: z.string(),
  createTime: z.string(),
  modifiedTime: z.string(),
});

export type Release = z.output<typeof ReleaseSchema>;
