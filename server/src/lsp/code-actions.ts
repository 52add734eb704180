import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { LineIndex } from '../engine/positions.js';
import type { Finding, FormatId } from '../engine/types.js';
import { commentStyle, disableForFile, disableForLine, type Insertion } from './comments.js';
import { allowPhraseEdit, phraseOf, ruleOffEdit, type ConfigChange } from './config-edits.js';
import { findingToDiagnostic, range, SOURCE } from './diagnostics.js';
import type { LintOutcome } from './linting.js';

/**
 * Code actions for Candor's diagnostics:
 *  - one quick fix per suggested rewrite (the first preferred), keeping case and placeholders
 *    (the engine already adapted case and escaped the text for the file's syntax);
 *  - "Disable <rule> for this line" / "… for this file", in the file's own comment syntax;
 *  - "Allow “phrase” in .candor.json" and "Turn off <rule> in .candor.json" (WorkspaceEdits
 *    that update the nearest config or create one in the workspace folder);
 *  - "Fix all <rule> problems in this file", and `source.fixAll.candor` (every fixable finding).
 */

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.candor`;

export interface ConfigTarget {
  /** The .candor.json to edit or create. */
  uri: string;
  /** Its current text (from the editor when open, else from disk); undefined: create it. */
  text?: string;
  /** The open document's version, when it is open. */
  version?: number;
}

export interface CodeActionInput {
  params: CodeActionParams;
  outcome: LintOutcome;
  format: FormatId;
  file?: string;
  languageId: string;
  config?: ConfigTarget;
  caps: { documentChanges: boolean; createFiles: boolean };
}

function overlaps(f: Finding, r: Range, lines: LineIndex): boolean {
  const start = lines.offset(r.start.line, r.start.character);
  const end = lines.offset(r.end.line, r.end.character);
  return f.offset <= end && f.endOffset >= start;
}

function wants(only: string[] | undefined, kind: string): boolean {
  if (!only?.length) return true;
  return only.some((o) => kind === o || kind.startsWith(o + '.'));
}

export function codeActions(input: CodeActionInput): CodeAction[] {
  const { params, outcome } = input;
  const { lines, text } = outcome;
  const uri = params.textDocument.uri;
  const only = params.context.only;
  const out: CodeAction[] = [];
  const docEdit = (edits: TextEdit[]): WorkspaceEdit =>
    input.caps.documentChanges ? { documentChanges: [{ textDocument: { uri, version: outcome.version }, edits }] } : { changes: { [uri]: edits } };
  const insertions = (ins: Insertion[]): TextEdit[] => ins.map((i) => ({ range: range(lines, i.offset, i.offset), newText: i.text }));

  if (wants(only, FIX_ALL_KIND) && only?.length) {
    const edits = fixEdits(outcome.findings.filter((f) => f.fixable), lines);
    if (edits.length) out.push({ title: 'Candor: fix all auto-fixable problems', kind: FIX_ALL_KIND, edit: docEdit(edits) });
  }
  if (!wants(only, CodeActionKind.QuickFix)) return out;

  const clientDiagnostics = params.context.diagnostics.filter((d) => d.source === SOURCE);
  const diagnosticFor = (f: Finding): Diagnostic =>
    clientDiagnostics.find(
      (d) =>
        d.code === f.ruleId &&
        d.range.start.line === f.line - 1 &&
        d.range.start.character === f.column - 1 &&
        d.range.end.line === f.endLine - 1 &&
        d.range.end.character === f.endColumn - 1,
    ) ?? findingToDiagnostic(f, lines);

  const style = commentStyle(input.file, input.languageId, input.format, text);
  const relevant = outcome.findings.filter((f) => overlaps(f, params.range, lines));
  const perRuleDone = new Set<string>();
  // Grouped in the order a writer reaches for them: rewrite, fix all, disable, configure.
  const group = { fixAll: [] as CodeAction[], line: [] as CodeAction[], file: [] as CodeAction[], allow: [] as CodeAction[], off: [] as CodeAction[] };
  for (const f of relevant) {
    const diagnostic = diagnosticFor(f);
    const diagnostics = [diagnostic];
    f.suggestions.forEach((s, i) => {
      const title = s.removal ? s.text : `Replace with “${s.text}”`;
      out.push({
        title,
        kind: CodeActionKind.QuickFix,
        diagnostics,
        isPreferred: i === 0,
        edit: docEdit([{ range: range(lines, s.fix.offset, s.fix.endOffset), newText: s.fix.text }]),
      });
    });
    if (style !== 'none') {
      const ins = disableForLine(style, text, lines, f.offset, f.ruleId);
      if (ins.length) group.line.push({ title: `Disable ${f.ruleId} for this line`, kind: CodeActionKind.QuickFix, diagnostics, edit: docEdit(insertions(ins)) });
    }
    const phrase = phraseOf(f.text, input.format);
    if (input.config && phrase) {
      const change = allowPhraseEdit(input.config.text, phrase);
      const edit = change && configEdit(input.config, change, input.caps);
      if (edit) group.allow.push({ title: `Allow “${phrase}” in .candor.json`, kind: CodeActionKind.QuickFix, diagnostics, edit });
    }
    if (perRuleDone.has(f.ruleId)) continue;
    perRuleDone.add(f.ruleId);
    const sameRule = outcome.findings.filter((g) => g.ruleId === f.ruleId && g.suggestions.length);
    if (sameRule.length > 1) {
      const edits = fixEdits(sameRule, lines);
      if (edits.length > 1) group.fixAll.push({ title: `Fix all ${f.ruleId} problems in this file`, kind: CodeActionKind.QuickFix, diagnostics, edit: docEdit(edits) });
    }
    if (style !== 'none') {
      const ins = disableForFile(style, text, f.ruleId);
      group.file.push({ title: `Disable ${f.ruleId} for this file`, kind: CodeActionKind.QuickFix, diagnostics, edit: docEdit(insertions(ins)) });
    }
    if (input.config) {
      const change = ruleOffEdit(input.config.text, f.ruleId);
      const edit = change && configEdit(input.config, change, input.caps);
      if (edit) group.off.push({ title: `Turn off ${f.ruleId} in .candor.json`, kind: CodeActionKind.QuickFix, diagnostics, edit });
    }
  }
  return [...out, ...group.fixAll, ...group.line, ...group.file, ...group.allow, ...group.off];
}

/** The first suggestion of each finding, without overlapping edits. */
export function fixEdits(findings: Finding[], lines: LineIndex): TextEdit[] {
  const fixes = findings
    .map((f) => f.suggestions[0]?.fix)
    .filter((x): x is NonNullable<typeof x> => Boolean(x))
    .sort((a, b) => a.offset - b.offset || a.endOffset - b.endOffset);
  const edits: TextEdit[] = [];
  let end = -1;
  for (const fix of fixes) {
    if (fix.offset < end) continue;
    edits.push({ range: range(lines, fix.offset, fix.endOffset), newText: fix.text });
    end = Math.max(fix.endOffset, fix.offset + 1);
  }
  return edits;
}

function configEdit(target: ConfigTarget, change: ConfigChange, caps: CodeActionInput['caps']): WorkspaceEdit | undefined {
  if (change.edits) {
    return caps.documentChanges
      ? { documentChanges: [{ textDocument: { uri: target.uri, version: target.version ?? null }, edits: change.edits }] }
      : { changes: { [target.uri]: change.edits } };
  }
  if (change.content === undefined || !caps.createFiles || !caps.documentChanges) return undefined;
  return {
    documentChanges: [
      { kind: 'create', uri: target.uri, options: { overwrite: false, ignoreIfExists: true } },
      { textDocument: { uri: target.uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: change.content }] },
    ],
  };
}

/** For the file:// URI of a config path. */
export function configUri(file: string): string {
  return URI.file(file).toString();
}
