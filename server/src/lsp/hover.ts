import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { Finding } from '../engine/types.js';
import { ruleDocUri } from './docs.js';
import type { LintOutcome } from './linting.js';

/**
 * Hover on a finding: what is wrong, why (the rule's rationale and the principle it serves),
 * the suggested rewrites, and a link to the rule's documentation.
 */
export function hover(outcome: LintOutcome, position: Position): Hover | null {
  const at = outcome.lines.offset(position.line, position.character);
  const hits = outcome.findings.filter((f) => f.offset <= at && at < f.endOffset);
  if (!hits.length) return null;
  const parts = hits.map((f) => describe(f, outcome));
  const first = hits[0];
  return {
    contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') },
    range: { start: { line: first.line - 1, character: first.column - 1 }, end: { line: first.endLine - 1, character: first.endColumn - 1 } },
  };
}

function escapeMd(s: string): string {
  return s.replace(/([\\`*_{}[\]<>()#+!|])/g, '\\$1');
}

function describe(f: Finding, outcome: LintOutcome): string {
  const rule = outcome.settings.ruleSet.get(f.ruleId);
  const lines = [`**${escapeMd(f.message)}**`, '', `\`${f.ruleId}\` · ${f.category}${rule?.principle ? ` · ${rule.principle}` : ''}`];
  if (rule?.rationale) lines.push('', escapeMd(rule.rationale));
  // A removal ("Remove “…”", whose edit may still recapitalize the next word) reads as advice.
  const rewrites = f.suggestions.map((s) => (s.removal ? '*leave it out*' : `“${escapeMd(s.text)}”`));
  if (rewrites.length) lines.push('', `**Try instead:** ${rewrites.join(' · ')}`);
  const href = ruleDocUri(f.ruleId);
  if (href) lines.push('', `[Read more about ${f.ruleId}](${href})`);
  return lines.join('\n');
}
