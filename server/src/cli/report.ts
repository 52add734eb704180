import type { Category, Finding } from '../engine/types.js';
import { compareIds } from '../engine/lint.js';
import { CATEGORIES } from '../engine/types.js';

/** What one CLI run found: the data every formatter renders. */

export interface FileNotice {
  /** `fix`: a fix was refused or could not be written; `internal`: the engine failed on this file. */
  kind: 'parse-error' | 'too-large' | 'binary' | 'encoding' | 'unreadable' | 'config' | 'fix' | 'internal';
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
  /** With --fix / --fix-dry-run: how many findings were (or would be) fixed. */
  fixed?: number;
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
  /** Files whose results came from --cache without linting. */
  cached: number;
  /** Threads that linted: 1 is the main thread alone, more is the main thread plus workers. */
  threads: number;
  /** With --fix / --fix-dry-run: findings fixed and files changed (or that would be). */
  fixed?: number;
  filesFixed?: number;
  /** With --shard i/n: which shard, and how many files all shards share. */
  shard?: { index: number; count: number; totalFiles: number };
  /** With --baseline: findings the baseline knows (not reported), new ones, and stale entries. */
  baseline?: BaselineSummary;
}

export interface BaselineSummary {
  file: string;
  known: number;
  new: number;
  stale: number;
  staleEntries: Array<{ path: string; ruleId: string; text: string }>;
  updated?: boolean;
  created?: boolean;
}

export interface RunExtras {
  cached?: number;
  threads?: number;
  fix?: boolean;
  shard?: Summary['shard'];
  baseline?: BaselineSummary;
}

export interface RunReport {
  files: FileReport[];
  summary: Summary;
}

/** The file-level problems that make the run exit 2. */
export function isFatalNotice(n: FileNotice): boolean {
  return n.severity === 'error' && (n.kind === 'unreadable' || n.kind === 'fix' || n.kind === 'internal');
}

export function summarize(files: FileReport[], durationMs: number, extras: RunExtras = {}): Summary {
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
  const byRule = [...rules.entries()].map(([ruleId, count]) => ({ ruleId, count })).sort((a, b) => b.count - a.count || compareIds(a.ruleId, b.ruleId));
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
    cached: extras.cached ?? 0,
    threads: extras.threads ?? 1,
    ...(extras.fix
      ? { fixed: files.reduce((n, f) => n + (f.fixed ?? 0), 0), filesFixed: files.filter((f) => (f.fixed ?? 0) > 0).length }
      : {}),
    ...(extras.shard ? { shard: extras.shard } : {}),
    ...(extras.baseline ? { baseline: extras.baseline } : {}),
  };
}
