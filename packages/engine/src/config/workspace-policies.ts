import { z } from 'zod';
import { Codes, closestMatch, type Diagnostic, diagnostic } from '../errors/index.js';
import { CelPolicySchema, PackPolicySchema, type PolicyEntry, RegoPolicySchema } from '../model/index.js';
import { baselineRuleNames, compilePolicies, exceptedRule } from '../policy/index.js';
import { validateWithSchema } from './schema-validation.js';
import { type SourceDocument, subDocument } from './source-document.js';

/**
 * Validation of a workspace's `policies` (SPEC §4.4, §15). Each entry is checked against the schema of its
 * own form, chosen by its keys, so a typo is reported against the form the author meant rather than as
 * "matches none of three schemas"; then every CEL rule is compiled. Every problem is KUS2002, located.
 */

const formSchemas = {
  pack: z.toJSONSchema(PackPolicySchema, { io: 'input' }),
  rego: z.toJSONSchema(RegoPolicySchema, { io: 'input' }),
  cel: z.toJSONSchema(CelPolicySchema, { io: 'input' }),
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks the `policies` list of a parsed workspace document; returns every problem. */
export function checkPolicies(policies: unknown, document: SourceDocument): Diagnostic[] {
  if (policies === undefined) return [];
  if (!Array.isArray(policies))
    return [diagnostic(Codes.workspaceInvalid, 'policies must be a list', document.locate(['policies']))];
  const problems: Diagnostic[] = [];
  const names = new Map<string, number>();
  const valid: { readonly index: number; readonly entry: PolicyEntry }[] = [];
  let packs = 0;
  for (const [index, entry] of policies.entries()) {
    const at = (...path: (string | number)[]) => document.locate(['policies', index, ...path]);
    if (!isRecord(entry)) {
      problems.push(
        diagnostic(
          Codes.workspaceInvalid,
          `policies[${index}] must be a rule (name, severity, rule | rego) or a pack (use: baseline)`,
          at(),
        ),
      );
      continue;
    }
    const form = 'use' in entry ? 'pack' : 'rego' in entry ? 'rego' : 'cel';
    const checked = validateWithSchema(
      subDocument(document, ['policies', index], entry),
      formSchemas[form],
      Codes.workspaceInvalid,
      `policies[${index}]`,
    );
    problems.push(...checked.diagnostics);
    if (checked.diagnostics.length > 0) continue;
    valid.push({ index, entry: entry as PolicyEntry });
    if (form === 'pack') {
      packs += 1;
      if (packs > 1)
        problems.push(
          diagnostic(
            Codes.workspaceInvalid,
            'the baseline pack is listed twice',
            at('use'),
            'keep one entry',
          ),
        );
      problems.push(...checkExcept(entry['except'], at));
      continue;
    }
    const name = String(entry['name']);
    const first = names.get(name);
    if (first !== undefined)
      problems.push(
        diagnostic(
          Codes.workspaceInvalid,
          `policy "${name}" is defined twice (policies[${first}] and policies[${index}])`,
          at('name'),
          'rule names must be unique in a workspace',
        ),
      );
    else names.set(name, index);
  }
  // Rules of a valid shape compile even when other entries are wrong: every problem is reported at once.
  const { problems: compile } = compilePolicies(valid.map((v) => v.entry));
  for (const problem of compile) {
    const index = valid[problem.index]?.index ?? problem.index;
    problems.push(
      diagnostic(
        Codes.workspaceInvalid,
        `policy "${problem.name}": ${problem.field === 'rule' ? 'rule does not compile' : 'bad message'} at ${problem.line}:${problem.column} of the ${problem.field}: ${problem.message}`,
        document.locate(['policies', index, problem.field]),
        problem.field === 'rule'
          ? 'a CEL expression over resource, change, project, stack, workspace, app, module; true when compliant'
          : undefined,
      ),
    );
  }
  return problems;
}

function checkExcept(except: unknown, at: (...path: (string | number)[]) => string): Diagnostic[] {
  if (!Array.isArray(except)) return [];
  const problems: Diagnostic[] = [];
  for (const [index, entry] of except.entries()) {
    const rule = exceptedRule(String(entry));
    if (baselineRuleNames.includes(rule)) continue;
    const suggestion = closestMatch(rule, baselineRuleNames);
    problems.push(
      diagnostic(
        Codes.workspaceInvalid,
        `baseline has no rule "${rule}"`,
        at('except', index),
        suggestion ? `did you mean "${suggestion}"?` : `baseline rules: ${baselineRuleNames.join(', ')}`,
      ),
    );
  }
  return problems;
}
