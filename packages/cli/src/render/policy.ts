import type { PolicyReport } from '@kusion/engine';
import type { Style } from './style.js';
import { renderTable } from './table.js';

/** `2 denied, 1 warning` for a report. */
export function policyCounts(report: PolicyReport): string {
  const denied = report.violations.filter((v) => v.severity === 'deny').length;
  const warned = report.violations.length - denied;
  return `${denied} denied, ${warned} warning${warned === 1 ? '' : 's'}`;
}

/**
 * The `Policy` section of the human preview (SPEC §15): `RULE | SEVERITY | RESOURCE | MESSAGE`. `changes`
 * false (nothing to apply) leaves out that apply would refuse.
 */
export function renderPolicy(report: PolicyReport, style: Style, changes = true): string {
  const lines: string[] = [style.bold('Policy')];
  if (report.violations.length === 0) lines.push('All policies pass.');
  else
    lines.push(
      renderTable(
        ['RULE', 'SEVERITY', 'RESOURCE', 'MESSAGE'],
        report.violations.map((v) => [
          v.name,
          v.severity === 'deny' ? style.red('deny') : style.yellow('warn'),
          v.id ?? '-',
          v.message,
        ]),
      ).trimEnd(),
      '',
      `Policy: ${policyCounts(report)}.${report.denied && changes ? ' Apply will refuse this plan.' : ''}`,
    );
  if (report.unmatched.length > 0)
    lines.push(style.dim(`Rules matching no resource: ${report.unmatched.join(', ')}.`));
  return lines.join('\n');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The policy section of `-o markdown`. */
export function policyMarkdown(report: PolicyReport): string {
  const lines = ['#### Policy', ''];
  if (report.violations.length === 0) lines.push('All policies pass.');
  else {
    lines.push(
      `**${policyCounts(report)}**${report.denied ? ': apply will refuse this plan' : ''}`,
      '',
      '| Rule | Severity | Resource | Message |',
      '|---|---|---|---|',
      ...report.violations.map(
        (v) =>
          `| ${cell(v.name)} | ${v.severity} | ${v.id ? `\`${cell(v.id)}\`` : '-'} | ${cell(v.message)} |`,
      ),
    );
  }
  if (report.unmatched.length > 0)
    lines.push('', `Rules matching no resource: ${report.unmatched.join(', ')}.`);
  return `${lines.join('\n')}\n`;
}
