import { z } from 'zod';

/**
 * A workspace's policy guardrails (SPEC §15 *Policy guardrails*): every entry is one of three forms, told
 * apart by its keys — `use` (a built-in pack), `rego` (a third-party OPA rule) or `rule` (a CEL rule).
 */

/** Rule names: short, stable identifiers shown in the `Policy` table and in `except` lists. */
export const policyNamePattern = /^[a-z0-9][a-z0-9._-]{0,62}$/;

const severity = z.enum(['deny', 'warn']).describe('`deny` makes apply refuse; `warn` only reports.');
const name = z.string().regex(policyNamePattern).describe('Rule name, unique in the workspace.');

const match = z
  .strictObject({
    type: z.enum(['Kubernetes', 'Terraform']).optional().describe('Resource type.'),
    apiVersion: z.string().min(1).optional().describe('Kubernetes apiVersion, e.g. `apps/v1`.'),
    kind: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .optional()
      .describe(
        'Kubernetes kind (or, for Terraform, the resource type such as `aws_db_instance`); one or a list.',
      ),
    module: z.string().min(1).optional().describe('Module that generated the resource, e.g. `service`.'),
    app: z.string().min(1).optional().describe('Application that the resource belongs to.'),
  })
  .describe('Which resources the rule applies to; every given field must match. Absent: every resource.');

/** A CEL rule, evaluated in-process once per matching planned resource. */
export const CelPolicySchema = z.strictObject({
  name,
  severity,
  match: match.optional(),
  rule: z
    .string()
    .min(1)
    .describe(
      'CEL expression, true when compliant, over resource, change, project, stack, workspace, app, module.',
    ),
  message: z
    .string()
    .min(1)
    .optional()
    .describe('Shown for a violation; may use {{resource.id}}, {{app}}, {{module}}, {{project}}, {{stack}}.'),
});

/** A Rego rule, evaluated by the `opa` binary once per plan. */
export const RegoPolicySchema = z.strictObject({
  name,
  severity,
  rego: z.strictObject({
    path: z
      .string()
      .min(1)
      .describe('A .rego file or a directory of them, relative to the workspace file or absolute.'),
    query: z
      .string()
      .min(1)
      .describe('Query whose items `{id?, msg}` are violations, e.g. `data.kusion.deny`.'),
  }),
});

/** A built-in pack of rules. */
export const PackPolicySchema = z.strictObject({
  use: z.literal('baseline').describe('The built-in pack: `baseline`.'),
  severity: severity.optional().describe('Severity of every rule of the pack. @default deny'),
  except: z
    .array(z.string().min(1))
    .optional()
    .describe('Rules of the pack to skip: `<rule>`, or `<rule>:<resource ID>` for one resource.'),
});

/** One entry of a workspace's `policies`. */
export const PolicyEntrySchema = z.union([CelPolicySchema, RegoPolicySchema, PackPolicySchema]);

export type PolicySeverity = z.output<typeof severity>;
export type CelPolicy = z.output<typeof CelPolicySchema>;
export type RegoPolicy = z.output<typeof RegoPolicySchema>;
export type PackPolicy = z.output<typeof PackPolicySchema>;
export type PolicyEntry = z.output<typeof PolicyEntrySchema>;

/**
 * The Rego files stored with a workspace in its backend, so everyone using that backend enforces the same
 * rules: rule name → file path (relative to the rule's `rego.path`, `/`-separated) → file text.
 */
export type WorkspacePolicyFiles = Readonly<Record<string, Readonly<Record<string, string>>>>;
