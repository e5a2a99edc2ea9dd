import type { DiffEntry, Plan, PlanContext, PlannedChange } from '@kusion/engine';
import { policyMarkdown, renderPolicy } from './policy.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';

const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** `Project shop · Stack prod · Workspace prod · revision 7 → 8 · modules service@1.0.0` (SPEC §10.3). */
export function planHeader(context: PlanContext): string {
  const modules = Object.entries(context.modules).map(([name, m]) => `${name}@${m.version}`);
  const parts = [
    `Project ${context.project}`,
    `Stack ${context.stack}`,
    `Workspace ${context.workspace}`,
    `revision ${context.baseRevision} → ${context.baseRevision + 1}`,
  ];
  if (modules.length > 0) parts.push(`modules ${modules.join(', ')}`);
  return parts.join(' · ');
}

export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete, ${s.unchanged} unchanged.`;
}

function colourAction(action: PlannedChange['action'], style: Style): string {
  switch (action) {
    case 'Create':
      return style.green(action);
    case 'Delete':
      return style.red(action);
    case 'Update':
    case 'Replace':
      return style.yellow(action);
    default:
      return style.dim(action);
  }
}

/** One line per field: `+ path: value`, `- path: value`, `~ path: old → new`; multi-line strings as unified diffs. */
export function renderDiff(diff: readonly DiffEntry[], style: Style): string {
  return diff
    .map((d) => {
      if (d.op === 'add') return style.green(`  + ${d.path}: ${show(d.after)}`);
      if (d.op === 'remove') return style.red(`  - ${d.path}: ${show(d.before)}`);
      if (
        typeof d.before === 'string' &&
        typeof d.after === 'string' &&
        (d.before.includes('\n') || d.after.includes('\n'))
      ) {
        const lines = [
          `  ~ ${d.path}:`,
          ...d.before.split('\n').map((l) => style.red(`    - ${l}`)),
          ...d.after.split('\n').map((l) => style.green(`    + ${l}`)),
        ];
        return lines.join('\n');
      }
      return style.yellow(`  ~ ${d.path}: ${show(d.before)} → ${show(d.after)}`);
    })
    .join('\n');
}

/** The human preview: header, table in execution order, summary, then field diffs of changed resources. */
export function renderPlan(
  plan: Plan,
  context: PlanContext,
  options: { style: Style; diff: boolean },
): string {
  const { style } = options;
  const lines = [style.bold(planHeader(context)), ''];
  if (!plan.changes.some((c) => c.action !== 'UnChanged')) {
    lines.push('No changes. Infrastructure matches the configuration.');
    if (context.policy) lines.push('', renderPolicy(context.policy, style, false));
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    renderTable(
      ['ID', 'ACTION', 'NOTE'],
      plan.changes.map((c) => [c.id, colourAction(c.action, style), c.notes.join('; ')]),
    ).trimEnd(),
  );
  lines.push('', summaryLine(plan));
  if (context.policy) lines.push('', renderPolicy(context.policy, style));
  if (options.diff) {
    for (const change of plan.changes) {
      if (change.action === 'UnChanged' || change.diff.length === 0) continue;
      lines.push(
        '',
        `${colourAction(change.action, style)} ${style.bold(change.id)}`,
        renderDiff(change.diff, style),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

const markdownLimit = 60_000;

/** `-o markdown`: for PR comments, truncated beyond the comment limit. */
export function planMarkdown(plan: Plan, context: PlanContext, style: Style): string {
  const s = plan.summary;
  const parts = [
    `### Kusion preview: ${context.project}/${context.stack} in ${context.workspace}`,
    '',
    '| Create | Update | Replace | Delete | Unchanged |',
    '|---|---|---|---|---|',
    `| ${s.create} | ${s.update} | ${s.replace} | ${s.delete} | ${s.unchanged} |`,
    '',
  ];
  for (const change of plan.changes) {
    if (change.action === 'UnChanged') continue;
    parts.push(
      `<details><summary>${change.action} <code>${change.id}</code></summary>`,
      '',
      '```diff',
      renderDiff(change.diff, style) || '(no field changes)',
      '```',
      '</details>',
      '',
    );
  }
  // The policy section goes first after the summary: it must survive truncation of long diffs.
  if (context.policy) parts.splice(6, 0, policyMarkdown(context.policy));
  const text = parts.join('\n');
  return text.length > markdownLimit
    ? `${text.slice(0, markdownLimit)}\n\n_Truncated: the full plan is longer than a comment allows; run \`kusion preview\` locally._\n`
    : text;
}
