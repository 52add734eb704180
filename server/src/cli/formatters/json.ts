import type { RunReport } from '../report.js';

/**
 * `--format json`: the stable, documented machine contract (version 1). Positions are
 * 1-based lines/columns and 0-based offsets, end exclusive, in UTF-16 code units of the
 * file as decoded from UTF-8 (a BOM is one unit, CRLF two).
 */
export default function formatJson(report: RunReport): string {
  return (
    JSON.stringify({
      version: 1,
      files: report.files.map((f) => ({
        path: f.path,
        findings: f.findings.map((x) => ({
          ruleId: x.ruleId,
          category: x.category,
          severity: x.severity,
          message: x.message,
          line: x.line,
          column: x.column,
          endLine: x.endLine,
          endColumn: x.endColumn,
          offset: x.offset,
          endOffset: x.endOffset,
          text: x.text,
          fixable: x.fixable,
          suggestions: x.suggestions.map((s) => ({ text: s.text, fix: s.fix })),
        })),
        notices: f.notices,
        ...(f.fixed !== undefined ? { fixed: f.fixed } : {}),
      })),
      summary: report.summary,
    }, null, 2) + '\n'
  );
}
