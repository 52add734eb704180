import type { Category, Finding } from '../engine/types.js';
import { CATEGORIES } from '../engine/types.js';

/** What one CLI run found: the data every formatter renders. */

export interface FileNotice {
  kind: 'parse-error' | 'too-large' | 'binary' | 'encoding' | 'unreadable' | 'config';
  severity: 'error' | 'warning' | 'info';
  message: string;
  line?: number;
  column?: number;
}

export interface FileReport {
  /** Path relative to the working directory, with forward slashes ("-" or the stdin filename for stdin). */
  path: string;
  findings: Finding[];
  notices: FileNotice[];
}

export interface Summary {
  filesChecked: number;
  filesSkipped: number;
  filesWithFindings: number;
  findings: number;
  errors: number;
  warnings: number;
  infos: number;
  fixable: number;
  byCategory: Record<Category, number>;
  /** Rule id → count, most frequent first. */
  byRule: Array<{ ruleId: string; count: number }>;
  durationMs: number;
}

export interface RunReport {
  files: FileReport[];
  summary: Summary;
}

export function summarize(files: FileReport[], durationMs: number): Summary {
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const rules = new Map<string, number>();
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let fixable = 0;
  let withFindings = 0;
  let skipped = 0;
  for (const f of files) {
    if (f.findings.length) withFindings++;
    if (f.notices.some((n) => n.kind === 'binary' || n.kind === 'too-large' || n.kind === 'unreadable')) skipped++;
    for (const finding of f.findings) {
      byCategory[finding.category]++;
      rules.set(finding.ruleId, (rules.get(finding.ruleId) ?? 0) + 1);
      if (finding.severity === 'error') errors++;
      else if (finding.severity === 'warning') warnings++;
      else infos++;
      if (finding.fixable) fixable++;
    }
  }
  const byRule = [...rules.entries()].map(([ruleId, count]) => ({ ruleId, count })).sort((a, b) => b.count - a.count || a.ruleId.localeCompare(b.ruleId));
  return {
    filesChecked: files.length - skipped,
    filesSkipped: skipped,
    filesWithFindings: withFindings,
    findings: errors + warnings + infos,
    errors,
    warnings,
    infos,
    fixable,
    byCategory,
    byRule,
    durationMs: Math.round(durationMs),
  };
}
