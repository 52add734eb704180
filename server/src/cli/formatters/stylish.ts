import type { RunReport } from '../report.js';
import { colors } from './colors.js';

/**
 * `--format stylish` (the default): findings grouped by file, each with its first
 * suggestion, then a summary a person can read at a glance.
 */
export default function formatStylish(report: RunReport, options: { color: boolean }): string {
  const c = colors(options.color);
  const out: string[] = [];
  for (const file of report.files) {
    if (!file.findings.length && !file.notices.length) continue;
    out.push(c.underline(file.path));
    const rows: string[][] = [];
    for (const n of file.notices) {
      const where = n.line ? `${n.line}:${n.column ?? 1}` : '0:0';
      rows.push([where, n.severity === 'error' ? c.red('error') : n.severity === 'warning' ? c.yellow('warning') : c.blue('info'), n.message, c.dim(`(${n.kind})`)]);
    }
    for (const f of file.findings) {
      const sev = f.severity === 'error' ? c.red('error') : f.severity === 'warning' ? c.yellow('warning') : c.blue('info');
      rows.push([`${f.line}:${f.column}`, sev, `${f.message} “${oneLine(f.text)}”`, c.dim(f.ruleId)]);
      const first = f.suggestions[0];
      if (first) rows.push(['', '', c.green(`→ ${first.text ? `try “${oneLine(first.text)}”` : ''}`) + (f.suggestions.length > 1 ? c.dim(` (+${f.suggestions.length - 1} more)`) : ''), '']);
    }
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => visibleLength(r[1])));
    for (const r of rows) out.push(`  ${r[0].padEnd(w0)}  ${r[1] + ' '.repeat(Math.max(0, w1 - visibleLength(r[1])))}  ${r[2]}${r[3] ? '  ' + r[3] : ''}`.trimEnd());
    out.push('');
  }
  const s = report.summary;
  if (s.findings === 0) {
    out.push(c.green(`✔ No problems in ${s.filesChecked} file${s.filesChecked === 1 ? '' : 's'}`) + c.dim(` (${s.durationMs} ms)`));
  } else {
    const mark = s.errors ? c.red('✖') : c.yellow('⚠');
    const parts = [`${s.errors} error${s.errors === 1 ? '' : 's'}`, `${s.warnings} warning${s.warnings === 1 ? '' : 's'}`];
    if (s.infos) parts.push(`${s.infos} info`);
    out.push(`${mark} ${s.findings} problem${s.findings === 1 ? '' : 's'} (${parts.join(', ')}) in ${s.filesWithFindings} of ${s.filesChecked} file${s.filesChecked === 1 ? '' : 's'}`);
    out.push(`  by category: cliche ${s.byCategory.cliche} · defensive ${s.byCategory.defensive} · hierarchy ${s.byCategory.hierarchy}`);
    out.push(`  most frequent: ${s.byRule.slice(0, 3).map((r) => `${r.ruleId} (${r.count})`).join(', ')}`);
    if (s.fixable) out.push(c.dim(`  ${s.fixable} can be fixed with --fix`));
    out.push(c.dim(`  ${s.filesChecked} file${s.filesChecked === 1 ? '' : 's'} checked${s.filesSkipped ? `, ${s.filesSkipped} skipped` : ''} in ${s.durationMs} ms`));
  }
  return out.join('\n') + '\n';
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > 60 ? flat.slice(0, 57) + '…' : flat;
}

function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '').length;
}
