import type { RunReport } from '../report.js';

/**
 * `--format compact`: one line per finding, `file:line:col: severity message [rule]`, the shape
 * editors' and CI log parsers' "file:line:col" matchers expect. Notices use their kind as the
 * bracketed name.
 */
export default function formatCompact(report: RunReport): string {
  const out: string[] = [];
  for (const file of report.files) {
    for (const n of file.notices) {
      out.push(`${file.path}:${n.line ?? 1}:${n.column ?? 1}: ${n.severity} ${flat(n.message)} [${n.kind}]`);
    }
    for (const f of file.findings) {
      out.push(`${file.path}:${f.line}:${f.column}: ${f.severity} ${flat(f.message)} “${flat(f.text)}” [${f.ruleId}]`);
    }
  }
  const s = report.summary;
  out.push(`${s.findings} problem${s.findings === 1 ? '' : 's'} (${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}) in ${s.filesChecked} file${s.filesChecked === 1 ? '' : 's'}`);
  return out.join('\n') + '\n';
}

function flat(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
