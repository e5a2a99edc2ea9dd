import { z } from 'zod';
import { PolicyEntrySchema } from './policy.js';

/** Module names (SPEC §4.1). */
export const moduleNamePattern = /^[a-z][a-z0-9-]{0,62}$/;

const config = z.record(z.string(), z.unknown());

const moduleBlock = z.strictObject({
  source: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  timeout: z
    .string()
    .regex(/^\d+(ms|s|m)$/)
    .optional(),
  configs: z.record(z.string(), config).optional(),
  /** The original's OCI path, mapped to a builtin source when it names a catalog module. */
  path: z.string().optional(),
});

const secretStore = z.strictObject({ provider: z.record(z.string(), z.unknown()) });

const runtimes = z.strictObject({
  kubernetes: z
    .strictObject({
      kubeconfig: z.string().optional(),
      context: z.string().optional(),
      fieldManager: z.string().optional(),
      qps: z.number().positive().optional(),
      burst: z.number().int().positive().optional(),
    })
    .optional(),
  terraform: z
    .strictObject({
      binary: z.string().optional(),
      cliConfigFile: z.string().optional(),
      parallelism: z.number().int().positive().optional(),
      timeout: z
        .string()
        .regex(/^\d+(ms|s|m|h)?$/, 'a duration like 30m, 90s or 1h')
        .optional(),
    })
    .optional(),
  opa: z.strictObject({ binary: z.string().optional() }).optional(),
});

/** A workspace document (SPEC §4). Its name lives outside, as its storage key. */
export const WorkspaceSchema = z.strictObject({
  modules: z.record(z.string(), moduleBlock).optional(),
  secretStore: secretStore.nullable().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
  runtimes: runtimes.optional(),
  policies: z.array(PolicyEntrySchema).optional(),
});

export type WorkspaceDocument = z.output<typeof WorkspaceSchema>;
export type ModuleBlock = z.output<typeof moduleBlock>;

/** A workspace as stored: its name, parsed document and verbatim text (kept to cite line and column). */
export interface Workspace {
  readonly name: string;
  readonly document: WorkspaceDocument;
  readonly text: string;
}
