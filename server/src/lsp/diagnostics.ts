import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { ConfigIssue } from '../config/parse.js';
import type { Finding, InputProblem, Severity } from '../engine/types.js';
import { LineIndex } from '../engine/positions.js';
import { ruleDocUri } from './docs.js';

/** Findings and problems → LSP diagnostics. `source` is always "candor", `code` the rule id. */

export const SOURCE = 'candor';

/** What a diagnostic carries for code actions (clients may also use it directly). */
export interface DiagnosticData {
  ruleId: string;
  category: string;
  /** The flagged text as written in the file. */
  text: string;
  fixable: boolean;
  /** The rewrites, as edits of the document version the diagnostic belongs to. */
  suggestions: Array<{ title: string; range: Range; newText: string }>;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function findingToDiagnostic(f: Finding, lines: LineIndex): Diagnostic {
  const href = ruleDocUri(f.ruleId);
  const data: DiagnosticData = {
    ruleId: f.ruleId,
    category: f.category,
    text: f.text,
    fixable: f.fixable,
    suggestions: f.suggestions.map((s) => ({ title: s.text, range: range(lines, s.fix.offset, s.fix.endOffset), newText: s.fix.text })),
  };
  return {
    range: { start: { line: f.line - 1, character: f.column - 1 }, end: { line: f.endLine - 1, character: f.endColumn - 1 } },
    severity: SEVERITY[f.severity],
    source: SOURCE,
    code: f.ruleId,
    ...(href ? { codeDescription: { href } } : {}),
    message: f.message,
    data,
  };
}

export function problemToDiagnostic(p: InputProblem, lines: LineIndex): Diagnostic {
  return {
    range: range(lines, p.offset, Math.max(p.offset, p.endOffset)),
    severity: DiagnosticSeverity.Information,
    source: SOURCE,
    code: p.kind,
    message: p.message,
  };
}

export function tooLargeDiagnostic(size: number, limit: number): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: SOURCE,
    code: 'too-large',
    message: `Candor skipped this file: it is ${formatBytes(size)}, over the ${formatBytes(limit)} limit. Raise "maxFileSize" in .candor.json (or the candor.maxFileSize setting) to lint it.`,
  };
}

export function configIssueToDiagnostic(issue: ConfigIssue, invalid: boolean): Diagnostic {
  const fallback = invalid && issue.severity === 'error' ? ' Candor uses its defaults until this is fixed.' : '';
  return {
    range: { start: { line: issue.line - 1, character: issue.column - 1 }, end: { line: issue.endLine - 1, character: issue.endColumn - 1 } },
    severity: issue.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: SOURCE,
    code: 'config',
    message: issue.message + fallback,
  };
}

export function range(lines: LineIndex, offset: number, endOffset: number): Range {
  return { start: lines.position(offset), end: lines.position(endOffset) };
}

export function formatBytes(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)} MB`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(1)} KB`;
  return `${n} B`;
}
