import type { RunReport, Summary } from '../report.js';
import { colors } from './colors.js';
import { isRemoval, suggestionLabel } from './suggestions.js';

/**
 * `--format stylish` (the default): findings grouped by file, each with its first
 * suggestion, then a summary a person can read at a glance: totals, counts per category,
 * the rules that fire most, what can be fixed, files checked (cached, skipped), time.
 */
export default function formatStylish(report: RunReport, options: { color: boolean }): string {
  const c = colors(options.color);
  const out: string[] = [];
  for (const file of report.files) {
    if (!file.findings.length && !file.notices.length) continue;
    out.push(c.underline(file.path) + (file.fixed ? c.green(`  (${file.fixed} fixed)`) : ''));
    const rows: string[][] = [];
    for (const n of file.notices) {
      const where = n.line ? `${n.line}:${n.column ?? 1}` : '0:0';
      rows.push([where, n.severity === 'error' ? c.red('error') : n.severity === 'warning' ? c.yellow('warning') : c.blue('info'), n.message, c.dim(`(${n.kind})`)]);
    }
    for (const f of file.findings) {
      const sev = f.severity === 'error' ? c.red('error') : f.severity === 'warning' ? c.yellow('warning') : c.blue('info');
      rows.push([`${f.line}:${f.column}`, sev, `${f.message} “${oneLine(f.text)}”`, c.dim(f.ruleId)]);
      const first = f.suggestions[0];
      if (first) rows.push(['', '', c.green(`→ ${isRemoval(first) ? suggestionLabel(first) : `try “${oneLine(first.text)}”`}`) + (f.suggestions.length > 1 ? c.dim(` (+${f.suggestions.length - 1} more)`) : ''), '']);
    }
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => visibleLength(r[1])));
    for (const r of rows) out.push(`  ${r[0].padEnd(w0)}  ${r[1] + ' '.repeat(Math.max(0, w1 - visibleLength(r[1])))}  ${r[2]}${r[3] ? '  ' + r[3] : ''}`.trimEnd());
    out.push('');
  }
  const s = report.summary;
  if (s.findings === 0) {
    out.push(c.green(`✔ No problems in ${plural(s.filesChecked, 'file')}`) + c.dim(` (${s.durationMs} ms)`));
    out.push(...extras(s).map((l) => c.dim(l)));
  } else {
    const mark = s.errors ? c.red('✖') : c.yellow('⚠');
    const parts = [plural(s.errors, 'error'), plural(s.warnings, 'warning')];
    if (s.infos) parts.push(`${s.infos} info`);
    out.push(`${mark} ${plural(s.findings, 'problem')} (${parts.join(', ')}) in ${s.filesWithFindings} of ${plural(s.filesChecked, 'file')}`);
    out.push(`  by category: cliche ${s.byCategory.cliche} · defensive ${s.byCategory.defensive} · hierarchy ${s.byCategory.hierarchy}`);
    out.push(`  most frequent: ${s.byRule.slice(0, 3).map((r) => `${r.ruleId} (${r.count})`).join(', ')}`);
    if (s.fixable) out.push(c.dim(`  ${s.fixable} can be fixed with --fix`));
    out.push(...extras(s).map((l) => c.dim(l)));
    const detail = [s.filesSkipped ? `${s.filesSkipped} skipped` : '', s.cached ? `${s.cached} from cache` : '', s.threads > 1 ? `${s.threads} threads` : ''].filter(Boolean);
    out.push(c.dim(`  ${plural(s.filesChecked, 'file')} checked${detail.length ? ` (${detail.join(', ')})` : ''} in ${s.durationMs} ms`));
  }
  return out.join('\n') + '\n';
}

/** Lines about --fix, --baseline and --shard, when they were used. */
function extras(s: Summary): string[] {
  const out: string[] = [];
  if (s.fixed !== undefined) out.push(`  fixed ${plural(s.fixed, 'problem')} in ${plural(s.filesFixed ?? 0, 'file')}`);
  if (s.baseline) {
    const b = s.baseline;
    if (b.created) out.push(`  baseline: recorded ${plural(b.known, 'finding')} in ${b.file}`);
    else {
      out.push(
        `  baseline: ${b.known} known finding${b.known === 1 ? '' : 's'} hidden, ${b.new} new, ${b.stale} stale` +
          (b.stale ? (b.updated ? ` (removed from ${b.file})` : ' (--baseline-update removes them)') : ''),
      );
    }
  }
  if (s.shard) out.push(`  shard ${s.shard.index}/${s.shard.count}: ${plural(s.filesChecked + s.filesSkipped, 'file')} of ${s.shard.totalFiles}`);
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > 60 ? flat.slice(0, 57) + '…' : flat;
}

function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '').length;
}
