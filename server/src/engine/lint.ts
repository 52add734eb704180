import { detectFormat, extractProse } from '../formats/index.js';
import { builtinPatterns, builtinRules, RULES_VERSION } from '../rules/builtin.js';
import { capitalize, matchCase } from './case.js';
import { RegionContext } from './context.js';
import { isDisabled, parseDirectives } from './directives.js';
import { resolveHits } from './matcher.js';
import { LineIndex } from './positions.js';
import { mayMatch } from './prefilter.js';
import { compileRuleSet, type CompiledRuleSet } from './ruleset.js';
import type { Finding, FormatId, InputProblem, ProseRegion, Suggestion } from './types.js';

/**
 * The engine: a pure function of (text, format, rules) → findings. No file system, no
 * network, so the language server can call it on every keystroke and the CLI on thousands
 * of files, and both always agree.
 */

export interface LintOptions {
  /** The format; detected from `path` and the content when absent. */
  format?: FormatId;
  /** Used only to detect the format. */
  path?: string;
  /** Compiled rules (from config); the built-in rules at their default severities otherwise. */
  ruleSet?: CompiledRuleSet;
}

export interface LintResult {
  format: FormatId;
  findings: Finding[];
  problems: InputProblem[];
}

export function defaultRuleSet(): CompiledRuleSet {
  return compileRuleSet(builtinRules, {}, RULES_VERSION, builtinPatterns);
}

export function lint(text: string, options: LintOptions = {}): LintResult {
  const format = options.format ?? detectFormat(options.path, text);
  const ruleSet = options.ruleSet ?? defaultRuleSet();
  const lines = new LineIndex(text);
  const disabled = parseDirectives(text, lines);
  if (disabled.some((d) => d.rules === null && d.from === 0 && d.to === text.length)) {
    return { format, findings: [], problems: [] };
  }
  // Most templates contain none of the phrases at all: skip the adapters for them. A JSON
  // file is still parsed (natively, cheaply) so a broken one is reported as such.
  if (!mayMatch(ruleSet.matcher, text, format) && (format !== 'json' || isValidJson(text))) {
    return { format, findings: [], problems: [] };
  }
  const { regions, problems } = extractProse(text, format);
  const findings: Finding[] = [];
  for (const region of regions) lintRegion(text, region, ruleSet, lines, findings);
  const kept = disabled.length ? findings.filter((f) => !isDisabled(disabled, f.offset, f.ruleId, f.category)) : findings;
  kept.sort((a, b) => a.offset - b.offset || a.endOffset - b.endOffset || compareIds(a.ruleId, b.ruleId));
  return { format, findings: dedupe(kept), problems };
}

function lintRegion(source: string, region: ProseRegion, ruleSet: CompiledRuleSet, lines: LineIndex, out: Finding[]): void {
  const text = region.text.text;
  const tokens = ruleSet.matcher.tokens(text);
  const matches = resolveHits(ruleSet.matcher.scan(tokens));
  if (matches.length === 0) return;
  const context = new RegionContext(text);
  for (const match of matches) {
    const rule = ruleSet.rules[match.rule];
    const tStart = tokens.start[match.first];
    const tEnd = tokens.end[match.last];
    const ctx = context.of(tStart, tEnd);
    if (ctx.quoted) continue;
    const [offset, endOffset] = region.text.rangeToSource(tStart, tEnd);
    if (endOffset <= offset) continue;
    const original = source.slice(offset, endOffset);
    const start = lines.position(offset);
    const end = lines.position(endOffset);
    // A phrase that runs across markup ("Per our <b>policy</b>") is reported, but no rewrite
    // is offered: replacing the span would delete or unbalance the tag in between.
    const safeToRewrite = !crossesMarkup(source, region, tStart, tEnd);
    // A pattern with an empty list of its own has no rewrite that fits its shape: the
    // finding is reported without a quick fix.
    const suggestions = safeToRewrite
      ? buildSuggestions(match.suggestions ?? rule.suggestions, { source, region, tStart, tEnd, offset, endOffset, original, sentenceInitial: ctx.sentenceInitial })
      : [];
    out.push({
      ruleId: rule.id,
      category: rule.category,
      severity: rule.severity,
      message: rule.message,
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      offset,
      endOffset,
      text: original,
      suggestions,
      fixable: suggestions.length > 0 && rule.fixable === true,
    });
  }
}

/** Where a phrase matched: in the region's text (tStart/tEnd) and in the file (offset/endOffset). */
interface MatchSite {
  source: string;
  region: ProseRegion;
  tStart: number;
  tEnd: number;
  offset: number;
  endOffset: number;
  original: string;
  sentenceInitial: boolean;
}

function buildSuggestions(rewrites: readonly string[], site: MatchSite): Suggestion[] {
  const { region, offset, endOffset, original } = site;
  const escape = region.escape ?? ((s: string, _offset?: number) => s);
  const out: Suggestion[] = [];
  for (const suggestion of rewrites) {
    if (suggestion === '') {
      const removal = removalEdit(site, escape);
      if (removal) out.push({ text: `Remove “${original.replace(/\s+/g, ' ')}”`, fix: removal, removal: true });
      continue;
    }
    const replacement = matchCase(original, suggestion);
    out.push({ text: replacement, fix: { offset, endOffset, text: escape(replacement, offset) } });
  }
  return out;
}

/**
 * Deleting a phrase must leave a clean sentence: take the space or comma after it along,
 * and when the phrase opened the sentence, capitalize the word that now opens it
 * ("Please be advised that the store…" → "The store…"). Only characters that are plain
 * spaces or commas in the file itself are taken, so a neighbouring tag is never touched.
 */
function removalEdit(site: MatchSite, escape: (s: string, offset?: number) => string): Suggestion['fix'] | undefined {
  const { source, region, tStart, tEnd, offset, endOffset, original, sentenceInitial } = site;
  const text = region.text.text;
  const parenthetical = parentheticalRemoval(source, region, tStart, tEnd);
  if (parenthetical) return parenthetical;
  let k = tEnd;
  while (k < text.length && (text[k] === ' ' || text[k] === ',' || text[k] === '\t')) k++;
  const gap = region.text.rangeToSource(tEnd, k);
  const gapIsPlain = /^[ ,\t]*$/.test(source.slice(gap[0], gap[1]));
  const next = text[k];
  const capitalizedOpener = sentenceInitial || /^\p{Lu}/u.test(original);
  if (gapIsPlain && next && /\p{L}/u.test(next) && k > tEnd) {
    if (capitalizedOpener && next !== next.toUpperCase()) {
      const [, letterEnd] = region.text.rangeToSource(k, k + 1);
      const [letterStart] = region.text.rangeToSource(k, k + 1);
      if (letterEnd - letterStart === 1) {
        return { offset, endOffset: letterEnd, text: escape(capitalize(next), letterStart) };
      }
    }
    return { offset, endOffset: gap[1], text: '' };
  }
  // Nothing follows in the sentence: take the space before the phrase instead.
  let b = tStart;
  while (b > 0 && (text[b - 1] === ' ' || text[b - 1] === '\t')) b--;
  const before = region.text.rangeToSource(b, tStart);
  if (b < tStart && /^[ \t]*$/.test(source.slice(before[0], before[1]))) return { offset: before[0], endOffset, text: '' };
  return { offset, endOffset, text: '' };
}

function isValidJson(text: string): boolean {
  try {
    JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    return true;
  } catch {
    return false;
  }
}

/**
 * "Refunds, as you should know, take a week" → "Refunds take a week": a phrase set off by
 * commas on both sides goes with both commas. Not after a greeting ("Hi Sam, please be
 * advised, …"), where the first comma belongs to the name.
 */
function parentheticalRemoval(source: string, region: ProseRegion, tStart: number, tEnd: number): Suggestion['fix'] | undefined {
  const text = region.text.text;
  let b = tStart;
  while (b > 0 && text[b - 1] === ' ') b--;
  if (b === 0 || text[b - 1] !== ',') return undefined;
  let e = tEnd;
  while (e < text.length && text[e] === ' ') e++;
  if (text[e] !== ',') return undefined;
  const sentenceStart = Math.max(text.lastIndexOf('.', b), text.lastIndexOf('!', b), text.lastIndexOf('?', b), text.lastIndexOf('\n', b), text.lastIndexOf('\u2029', b)) + 1;
  const lead = text.slice(sentenceStart, b - 1).trim();
  if (!lead || /^(hi|hello|hey|dear|greetings|good (morning|afternoon|evening)|thanks|thank you)\b/i.test(lead)) return undefined;
  const [from, to] = region.text.rangeToSource(b - 1, e + 1);
  const removed = source.slice(from, to);
  // Only plain commas and spaces around the phrase itself may go.
  if (!removed.startsWith(',') || !removed.endsWith(',')) return undefined;
  return { offset: from, endOffset: to, text: '' };
}

/** True when masked markup (a tag, a placeholder) lies inside the matched text. */
function crossesMarkup(source: string, region: ProseRegion, tStart: number, tEnd: number): boolean {
  const text = region.text.text;
  for (let i = tStart; i < tEnd; i++) {
    const ch = text.charCodeAt(i);
    if (ch !== 32 && ch !== 9) continue;
    const at = region.text.startToSource(i);
    const src = source.charCodeAt(at);
    if (src !== 32 && src !== 9 && src !== 10 && src !== 13 && src !== 0xa0) return true;
  }
  return false;
}

/** Two regions can map onto the same source (an HTML attribute parsed twice): report once. */
function dedupe(findings: Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const prev = out[out.length - 1];
    if (prev && prev.offset === f.offset && prev.endOffset === f.endOffset && prev.ruleId === f.ruleId) continue;
    out.push(f);
  }
  return out;
}

/**
 * Rule ids in code-unit order. Not localeCompare: its first call loads ICU's collation data,
 * ~6 ms of a CLI run, and ids are ASCII.
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
