import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { parseAllDocuments } from 'yaml';
import type { LintResult } from '../engine/lint.js';
import type { Category, Finding, FormatId } from '../engine/types.js';

/**
 * `--fix`: applies the first suggestion of every finding whose rule marks it safe
 * (`fixable`), in passes: the non-overlapping fixes of a pass are applied together, then the
 * text is linted again, until nothing fixable is left or MAX_PASSES is reached. The engine
 * already escapes each fix for the file's syntax; this module adds the checks a user needs to
 * trust an unattended rewrite: an edit never removes template or markup syntax, and a JSON or
 * YAML file that parsed before still parses after, with the same keys — otherwise the file
 * is left alone and the run says why.
 */

export const MAX_PASSES = 10;

export interface FixOptions {
  /** Only fix findings of these categories (all when absent). */
  types?: ReadonlySet<Category>;
}

export interface FixOutcome {
  text: string;
  /** Findings fixed, over all passes. */
  applied: number;
  passes: number;
  /** The lint result of the final text. */
  result: LintResult;
  /** Why the fixes were thrown away (the original text is returned), if they were. */
  rejected?: string;
}

/** Characters of template and markup syntax: an edit whose replaced text contains one is never applied. */
const SYNTAX = /[{}<>]|\{%|%\}/;

export function isFixable(f: Finding, options: FixOptions): boolean {
  return f.fixable && f.suggestions.length > 0 && (!options.types || options.types.has(f.category));
}

export function fixText(original: string, lintText: (text: string) => LintResult, options: FixOptions): FixOutcome {
  let text = original;
  let result = lintText(text);
  let applied = 0;
  let passes = 0;
  const seen = new Set<string>([text]);
  while (passes < MAX_PASSES) {
    const edits = pickEdits(text, result.findings, options);
    if (edits.length === 0) break;
    let next = text;
    for (let i = edits.length - 1; i >= 0; i--) {
      const e = edits[i];
      next = next.slice(0, e.offset) + e.text + next.slice(e.endOffset);
    }
    passes++;
    if (next === text || seen.has(next)) break; // a rule that undoes another: stop, keep the last text
    seen.add(next);
    applied += edits.length;
    text = next;
    result = lintText(text);
  }
  if (text !== original) {
    const problem = structureChanged(original, text, result.format);
    if (problem) return { text: original, applied: 0, passes, result: lintText(original), rejected: problem };
  }
  return { text, applied, passes, result };
}

interface Edit {
  offset: number;
  endOffset: number;
  text: string;
}

function pickEdits(text: string, findings: readonly Finding[], options: FixOptions): Edit[] {
  const candidates = findings
    .filter((f) => isFixable(f, options))
    .map((f) => f.suggestions[0].fix)
    .filter((e) => e.offset >= 0 && e.endOffset >= e.offset && e.endOffset <= text.length)
    .filter((e) => !SYNTAX.test(text.slice(e.offset, e.endOffset)) && text.slice(e.offset, e.endOffset) !== e.text)
    .sort((a, b) => a.offset - b.offset || a.endOffset - b.endOffset);
  const out: Edit[] = [];
  for (const e of candidates) {
    // Overlapping edits (or an insertion touching another edit, whose order would be a guess)
    // are left for the next pass, after a re-lint.
    const last = out[out.length - 1];
    if (last && (e.offset < last.endOffset || (e.offset === last.endOffset && (e.offset === e.endOffset || last.offset === last.endOffset)))) continue;
    out.push(e);
  }
  return out;
}

/** A reason to refuse the fixed text of a structured file, or undefined when it is sound. */
export function structureChanged(before: string, after: string, format: FormatId): string | undefined {
  if (format === 'json') {
    const a = parseJsonText(before);
    const b = parseJsonText(after);
    if (a.ok && !b.ok) return 'the fixed text would not be valid JSON';
    if (a.ok && b.ok && shape(a.value) !== shape(b.value)) return 'the fixed text would change the JSON structure';
  } else if (format === 'yaml') {
    const a = parseYamlText(before);
    const b = parseYamlText(after);
    if (a.ok && !b.ok) return 'the fixed text would not be valid YAML';
    if (a.ok && b.ok && shape(a.value) !== shape(b.value)) return 'the fixed text would change the YAML keys or structure';
  }
  return undefined;
}

function parseJsonText(text: string): { ok: boolean; value?: unknown } {
  const errors: ParseError[] = [];
  const value = parseJsonc(text.replace(/^\uFEFF/, ''), errors, { allowTrailingComma: true, disallowComments: false });
  return errors.length ? { ok: false } : { ok: true, value };
}

function parseYamlText(text: string): { ok: boolean; value?: unknown } {
  try {
    const docs = parseAllDocuments(text.replace(/^\uFEFF/, ''));
    const list = Array.isArray(docs) ? docs : [docs];
    if (list.some((d) => d.errors.length)) return { ok: false };
    return { ok: true, value: list.map((d) => d.toJS()) };
  } catch {
    return { ok: false };
  }
}

/** Keys and value types, not the string values themselves (those are what a fix changes). */
function shape(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(shape).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${shape((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return value === null ? 'null' : typeof value;
}
