#!/usr/bin/env node
/**
 * Compiles the rule data in rules/<category>/<name>.yml into
 * server/src/rules/builtin-rules.generated.json (and the rules' patterns, already parsed, into
 * builtin-patterns.generated.json: see server/src/engine/pattern-table.ts), after checking
 * every file:
 *   - YAML parses, and the rule validates against rules/rule.schema.json;
 *   - the id equals the file's path, the category equals the id's prefix, ids are unique;
 *   - 2-4 suggestions, at least 3 invalid and 2 valid examples, a one-sentence message and a
 *     rationale of 2-4 sentences;
 *   - every pattern and exception parses and expands to fewer than 2000 phrases;
 *   - a pattern is a string or { pattern, suggestions } (its own 2-4 rewrites, used for its
 *     matches instead of the rule's; or none, [], for a shape that no rewrite fits: its matches
 *     are reported without a quick fix);
 *   - every invalid example is reported by its rule and no valid example is, with all rules
 *     loaded at once (so a longer phrase of another rule cannot silently swallow it), and no
 *     two rules fire on overlapping words of any example (nor one rule twice);
 *   - every rewrite applied to every invalid example of its rule leaves no mechanical damage
 *     (see rewriteProblems: doubled words, a sentence that starts lower-case, stray
 *     punctuation, "to we", "a apology"…). Whether it reads well is for a human: read the
 *     bad → good tables in rules/docs.
 *
 * Patterns and examples are checked with the engine itself (server/src, bundled with esbuild
 * when the script starts): `lint` on each example as a plain-text template, and the engine's
 * quick-fix edits for the rewrites. EngineMatcher is exported for scripts/gen-docs.mjs, which
 * builds each rule page's bad → good examples with it.
 *
 *   node scripts/compile-rules.mjs           write the JSON files (those that changed)
 *   node scripts/compile-rules.mjs --check   write nothing; exit 1 when either is stale
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import YAML from 'yaml';
import AjvImport from 'ajv';
import { serverBundleOptions } from './server-bundle.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RULES_DIR = path.join(ROOT, 'rules');
export const SCHEMA_FILE = path.join(RULES_DIR, 'rule.schema.json');
export const OUT_FILE = path.join(ROOT, 'server', 'src', 'rules', 'builtin-rules.generated.json');
/** The built-in patterns, parsed (see server/src/engine/pattern-table.ts). */
export const PATTERNS_FILE = path.join(ROOT, 'server', 'src', 'rules', 'builtin-patterns.generated.json');
export const CATEGORIES = ['cliche', 'defensive', 'hierarchy'];
export const MIN_PER_CATEGORY = { cliche: 32, defensive: 32, hierarchy: 22 };
export const MAX_EXPANSION = 2000;

const KEY_ORDER = ['id', 'category', 'principle', 'severity', 'message', 'rationale', 'patterns', 'exceptions', 'suggestions', 'fixable', 'examples'];

const rel = (file) => path.relative(ROOT, file).split(path.sep).join('/');

// ---------------------------------------------------------------------------------------
// The engine (server/src), bundled from source when this script starts, so the patterns and
// examples are checked by the very code that lints templates. The bundle leaves out the
// built-in rule data, which this script writes: the checks always pass the rules read from
// rules/ explicitly.

const GENERATED_JSON = /builtin-(rules|patterns)\.generated\.json$/;
const ENGINE_ENTRY = `
export { lint } from './server/src/engine/lint.ts';
export { CompiledRuleSet } from './server/src/engine/ruleset.ts';
export { EntryKind, PhraseMatcher } from './server/src/engine/matcher.ts';
export { expandPattern, parsePattern, PatternError } from './server/src/engine/pattern.ts';
export { encodePatternTable } from './server/src/engine/pattern-table.ts';
export { tokenize } from './server/src/engine/tokenize.ts';
export { matchCase } from './server/src/engine/case.ts';
export { extractProse, maskTemplates } from './server/src/formats/index.ts';
`;

async function loadEngine() {
  const result = await esbuild.build({
    ...serverBundleOptions,
    stdin: { contents: ENGINE_ENTRY, resolveDir: ROOT, sourcefile: 'compile-rules-engine.ts', loader: 'ts' },
    write: false,
    plugins: [
      {
        name: 'no-builtin-rules',
        setup(build) {
          build.onResolve({ filter: GENERATED_JSON }, (args) => ({ path: args.path, namespace: 'no-builtin-rules' }));
          build.onLoad({ filter: /.*/, namespace: 'no-builtin-rules' }, (args) => ({
            contents: args.path.includes('patterns') ? '{ "forms": [], "patterns": {} }' : '{ "version": "", "rules": [] }',
            loader: 'json',
          }));
        },
      },
    ],
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'candor-compile-rules-'));
  try {
    const file = path.join(dir, 'engine.cjs');
    writeFileSync(file, result.outputFiles[0].contents);
    return createRequire(import.meta.url)(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const engine = await loadEngine();

/** Plain text: how the examples are linted (template syntax masked, as in every format). */
const EXAMPLE_FORMAT = 'text';

// ---------------------------------------------------------------------------------------
// Patterns: the engine parses them; the built-in rules are held to more than a team's custom
// patterns (no sentence punctuation, no empty alternative, at most MAX_EXPANSION - 1 phrases)
// and syntax errors are located at the group or mark they concern.

/** The source text of a pattern item (a string, or { pattern, suggestions }). */
export const patternText = (p) => (typeof p === 'string' ? p : p.pattern);

/** The number of token sequences a parsed pattern expands to (what the engine's trie stands for). */
export function expansionSize(node) {
  switch (node.kind) {
    case 'any':
      return 1;
    case 'word':
      return node.forms.length + (node.optional ? 1 : 0);
    case 'alt':
      return node.options.reduce((n, o) => n + expansionSize(o), node.optional ? 1 : 0);
    case 'seq':
      return node.items.reduce((n, item) => n * expansionSize(item), 1);
  }
  return 0;
}

/** Groups, alternatives and the marks `?` and `~`, read left to right: the first misuse, if any. */
function structureProblem(src) {
  const groups = []; // the groups still open: where each starts, and whether an alternative is empty
  let items = 0; // items in the current alternative (or at the top level)
  let follows = ''; // what a mark here would follow: 'word', 'group' or nothing
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '?' || ch === '~') {
      if (follows === 'word' || (follows === 'group' && ch === '?')) {
        if (follows === 'group') follows = '';
        continue;
      }
      return `"${ch}" at column ${i + 1} must follow a word`;
    }
    const inWord = follows === 'word';
    follows = '';
    if (ch === '(') {
      groups.push({ open: i, outer: items, empty: false });
      items = 0;
    } else if (ch === '|' || ch === ')') {
      const group = groups.at(-1);
      if (!group) return `unexpected "${ch}" at column ${i + 1} (outside a group)`;
      if (items === 0) group.empty = true;
      items = 0;
      if (ch === ')') {
        if (group.empty) return `empty alternative in the group at column ${group.open + 1}; use "(…)?" for an optional group`;
        groups.pop();
        items = group.outer + 1;
        follows = 'group';
      }
    } else if (ch === '*') items++;
    else if (!/\s/.test(ch)) {
      if (!inWord) items++;
      follows = 'word';
    }
  }
  const open = groups.at(-1);
  return open ? `missing ")" for the group opened at column ${open.open + 1}` : undefined;
}

/** Why a pattern cannot be in the built-in rules (a message without the pattern), or undefined. */
export function patternProblem(src) {
  const sentencePunct = src.match(/[.!;:"\u201c\u201d\[\]{}<>]/);
  if (sentencePunct) return `"${sentencePunct[0]}" ends a phrase in linted text, so a pattern containing it can never match`;
  const structure = structureProblem(src);
  if (structure) return structure;
  try {
    const size = expansionSize(engine.parsePattern(src));
    if (size >= MAX_EXPANSION) return `expands to ${size} phrases (the limit is ${MAX_EXPANSION - 1}); split it into several patterns`;
    engine.expandPattern(src);
  } catch (err) {
    if (!(err instanceof engine.PatternError)) throw err;
    // The engine words its messages for a team's config ("pattern matches nothing…").
    return err.message.replace(/^pattern /, '');
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Rule examples through the engine

/**
 * The engine over a list of rules, for their examples: findings exactly as `lint` reports
 * them in a plain-text template, with the edits of its quick fixes; and the candidates
 * behind them (every phrase of every rule that matches, after its rule's exceptions and
 * before the engine keeps the longest at each start), which the overlap checks need.
 * Exported for scripts/gen-docs.mjs, which builds each rule page's bad → good examples.
 */
export class EngineMatcher {
  /** @param {Array<{id: string, patterns: Array<string | {pattern: string, suggestions: string[]}>, suggestions: string[], exceptions?: string[]}>} rules */
  constructor(rules) {
    this.rules = rules;
    this.byId = new Map(rules.map((r) => [r.id, r]));
    this.ruleSet = new engine.CompiledRuleSet(rules, {});
    const [problem] = this.ruleSet.problems;
    if (problem) throw new Error(`${problem.ruleId}: pattern "${problem.pattern}": ${problem.message}`);
    // The same phrases once more, each entry naming its pattern (the engine's entries do not).
    this.phrases = new engine.PhraseMatcher();
    rules.forEach((rule, index) => {
      for (const p of rule.patterns) {
        const entry = { kind: engine.EntryKind.Match, rule: index, suggestions: typeof p === 'string' ? undefined : p.suggestions, pattern: patternText(p) };
        this.phrases.addPattern(engine.parsePattern(patternText(p)), entry);
      }
      for (const p of rule.exceptions ?? []) this.phrases.addPattern(engine.parsePattern(p), { kind: engine.EntryKind.Exception, rule: index });
    });
  }

  /**
   * Candidates in `text`: [{ruleId, pattern, suggestions, region, first, last, start, end}]:
   * token indices in the engine's prose region, and source offsets.
   */
  candidates(text) {
    const out = [];
    engine.extractProse(text, EXAMPLE_FORMAT).regions.forEach((region, r) => {
      const tokens = engine.tokenize(region.text.text);
      const hits = this.phrases.scan(tokens);
      const exceptions = hits.filter((h) => h.entry.kind === engine.EntryKind.Exception);
      for (const h of hits) {
        if (h.entry.kind !== engine.EntryKind.Match) continue;
        if (exceptions.some((x) => x.entry.rule === h.entry.rule && x.first <= h.last && h.first <= x.last)) continue;
        const [start, end] = region.text.rangeToSource(tokens.start[h.first], tokens.end[h.last]);
        out.push({ ruleId: this.rules[h.entry.rule].id, pattern: h.entry.pattern, suggestions: h.entry.suggestions, region: r, first: h.first, last: h.last, start, end });
      }
    });
    return out;
  }

  /**
   * Findings as the engine reports them: [{ruleId, start, end, text, pattern, suggestions,
   * fixes, region, first, last}], where suggestions are the matched pattern's own or else
   * the rule's, and fixes[i] is the engine's edit for suggestions[i] (see applySuggestion).
   */
  findings(text, candidates = this.candidates(text)) {
    return engine.lint(text, { format: EXAMPLE_FORMAT, ruleSet: this.ruleSet }).findings.map((f) => {
      // The candidate the finding comes from: of those on its words, the one the engine keeps
      // (the earliest start, then the longest; "I'm" is two tokens on the same words).
      const match = candidates
        .filter((c) => c.ruleId === f.ruleId && c.start === f.offset && c.end === f.endOffset)
        .sort((a, b) => a.region - b.region || a.first - b.first || b.last - a.last)[0];
      return {
        ruleId: f.ruleId,
        start: f.offset,
        end: f.endOffset,
        text: f.text,
        pattern: match?.pattern,
        suggestions: match?.suggestions ?? this.byId.get(f.ruleId).suggestions,
        fixes: f.suggestions.map((s) => s.fix),
        region: match?.region,
        first: match?.first,
        last: match?.last,
      };
    });
  }

  /**
   * Problems a rule's own patterns make in `text`: two findings of one rule on overlapping
   * words (a rewrite of one would garble the other), and one span matched by patterns with
   * different rewrites (which of them the engine offers would depend on the trie's order).
   */
  selfProblems(text) {
    const cands = this.candidates(text);
    const found = this.findings(text, cands);
    const out = [];
    for (let a = 0; a < found.length; a++) {
      for (let b = a + 1; b < found.length; b++) {
        const x = found[a];
        const y = found[b];
        if (x.ruleId === y.ruleId && x.region === y.region && x.first <= y.last && y.first <= x.last) out.push(`${x.ruleId} reports overlapping spans “${x.text}” and “${y.text}”; make its patterns match one span`);
      }
    }
    for (const f of found) {
      const same = cands.filter((c) => c.ruleId === f.ruleId && c.region === f.region && c.first === f.first && c.last === f.last);
      const lists = new Set(same.map((c) => JSON.stringify(c.suggestions ?? this.byId.get(c.ruleId).suggestions)));
      if (lists.size > 1) out.push(`${f.ruleId}: patterns with different suggestions all match “${f.text}” (${[...new Set(same.map((c) => c.pattern))].map((p) => `"${p}"`).join(', ')}); make one of them narrower`);
    }
    return out;
  }

  /** Pairs of different rules whose phrases overlap in `text` (rules must not share spans). */
  conflicts(text) {
    const cands = this.candidates(text);
    const out = [];
    for (let a = 0; a < cands.length; a++) {
      for (let b = a + 1; b < cands.length; b++) {
        const x = cands[a];
        const y = cands[b];
        if (x.ruleId !== y.ruleId && x.region === y.region && x.first <= y.last && y.first <= x.last) {
          const ids = [x.ruleId, y.ruleId].sort();
          out.push(`${ids[0]} and ${ids[1]} both match “${text.slice(Math.min(x.start, y.start), Math.max(x.end, y.end))}”`);
        }
      }
    }
    return [...new Set(out)];
  }
}

/** `text` with the engine's edit for one of a finding's suggestions applied, as the editor's quick fix does. */
export function applySuggestion(text, finding, suggestion) {
  const fix = finding.fixes[finding.suggestions.indexOf(suggestion)];
  if (!fix) throw new Error(`the engine offers no edit for ${JSON.stringify(suggestion)} on “${finding.text}”`);
  return text.slice(0, fix.offset) + fix.text + text.slice(fix.endOffset);
}

// ---------------------------------------------------------------------------------------
// Loading and checking the rule files

/** Every rule file under rules/ (rules/docs holds generated pages, not data). */
export function listRuleFiles(dir = RULES_DIR) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (dir === RULES_DIR && entry.name === 'docs') continue;
      out.push(...listRuleFiles(full));
    } else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

function sentences(text) {
  return text
    .replace(/\b(e\.g|i\.e|etc|vs)\./g, '$1')
    .split(/(?<=[.!?])\s+(?=\S)/)
    .filter((s) => s.trim());
}

function ordered(rule) {
  const full = { severity: 'warning', exceptions: [], fixable: false, ...rule };
  const out = {};
  for (const key of KEY_ORDER) if (full[key] !== undefined) out[key] = full[key];
  return out;
}

let validateSchema;
function schemaValidator() {
  if (!validateSchema) {
    const Ajv = AjvImport.default ?? AjvImport;
    const ajv = new Ajv({ allErrors: true, strict: true });
    validateSchema = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
  }
  return validateSchema;
}

/**
 * Loads and checks every rule file. Returns the rules (sorted by id, defaults filled in)
 * and a list of problems, each naming its file.
 */
export function loadRules({ checkExamples = true } = {}) {
  const problems = [];
  const rules = [];
  const files = new Map();
  const validate = schemaValidator();
  for (const file of listRuleFiles()) {
    const name = rel(file);
    const fail = (msg) => problems.push(`${name}: ${msg}`);
    if (!file.endsWith('.yml')) {
      fail('rule files use the .yml extension');
      continue;
    }
    const doc = YAML.parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length) {
      for (const e of doc.errors) fail(`invalid YAML: ${e.message.split('\n')[0]}`);
      continue;
    }
    const rule = doc.toJS();
    if (!validate(rule)) {
      for (const e of validate.errors) {
        const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
        const extra = e.params?.additionalProperty ? ` "${e.params.additionalProperty}"` : e.params?.allowedValues ? ` (${e.params.allowedValues.join(', ')})` : '';
        fail(`${where} ${e.message}${extra}`);
      }
      continue;
    }
    const expectedId = path.relative(RULES_DIR, file).split(path.sep).join('/').replace(/\.yml$/, '');
    const before = problems.length;
    if (rule.id !== expectedId) fail(`id "${rule.id}" must equal the file's path: "${expectedId}"`);
    if (rule.category !== rule.id.split('/')[0]) fail(`category "${rule.category}" must equal the id's prefix "${rule.id.split('/')[0]}"`);
    if (files.has(rule.id)) fail(`duplicate id "${rule.id}" (also in ${files.get(rule.id)})`);
    if (!/[.!?]$/.test(rule.message.trim()) || sentences(rule.message).length !== 1) fail('message must be exactly one sentence');
    const n = sentences(rule.rationale.trim()).length;
    if (n < 2 || n > 4) fail(`rationale must be 2-4 sentences (it has ${n})`);
    if (rule.suggestions.length < 2 || rule.suggestions.length > 4) fail('needs 2-4 suggestions');
    if (new Set(rule.suggestions).size !== rule.suggestions.length) fail('suggestions repeat');
    if (!rule.examples) fail('needs examples: at least 3 invalid and 2 valid');
    else {
      if (rule.examples.invalid.length < 3) fail(`needs at least 3 invalid examples (has ${rule.examples.invalid.length})`);
      if (rule.examples.valid.length < 2) fail(`needs at least 2 valid examples (has ${rule.examples.valid.length})`);
      const all = [...rule.examples.invalid, ...rule.examples.valid];
      if (new Set(all).size !== all.length) fail('an example is listed twice');
    }
    for (const [kind, list] of [['pattern', rule.patterns], ['exception', rule.exceptions ?? []]]) {
      for (const item of list) {
        const p = patternText(item);
        const problem = patternProblem(p);
        if (problem) fail(`${kind} "${p}": ${problem}`);
        if (typeof item !== 'string') {
          if (item.suggestions.length === 1 || item.suggestions.length > 4) fail(`pattern "${p}" needs 2-4 suggestions, or none ([]) when no rewrite fits its matches`);
          if (new Set(item.suggestions).size !== item.suggestions.length) fail(`pattern "${p}": suggestions repeat`);
        }
      }
    }
    const texts = rule.patterns.map(patternText);
    if (new Set(texts).size !== texts.length) fail('a pattern is listed twice');
    files.set(rule.id, name);
    if (problems.length === before) rules.push(ordered(rule));
  }
  rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (checkExamples && problems.length === 0) problems.push(...checkRuleExamples(rules, files));
  return { rules, problems, files };
}

// ---------------------------------------------------------------------------------------
// Mechanical checks of a rewrite applied to an example. They catch the damage a machine can
// see (a rewrite of the wrong grammatical shape for the span leaves traces like these); each
// compares the result with the example, so wording the example already had is never blamed.

/** Words that cannot be followed by a clause: "would like to | we are sorry". */
const NO_CLAUSE_AFTER = new Set(['to', 'for', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'the', 'a', 'an', 'our', 'your', 'my', 'their', 'its', 'of', 'with', 'at', 'on', 'in', 'by', 'from', 'into', 'about', 'please', 'kindly', 'very']);
/** How a clause (not a phrase) starts: a subject, or a formula that opens a sentence. */
const CLAUSE_START = /^(?:we|i|i'm|i've|i'll|i'd|we're|we'll|we've|we'd|they|here is|here's|here are|there is|thanks|thank you|sorry|good news|it looks|this is|that is)(?![\p{L}'])/iu;

const WORD = "[\\p{L}\\p{N}][\\p{L}\\p{N}'’]*";
const MECHANICAL = [
  ['a word or phrase is doubled', new RegExp(`(?<![\\p{L}\\p{N}'’])(${WORD}(?:\\s+${WORD}){0,2})[\\s,]+\\1(?![\\p{L}\\p{N}'’])`, 'giu')],
  ['a sentence starts lower-case', /(?:^|[.!?]\s+)\p{Ll}/gu],
  ['stray punctuation', /[,;:]\s*[,.!?;:]|[.!?]\s*[,;:]|\s[,.!?;:]|^\s*[,.!?;:]/gu],
  ['"an" before a consonant', /(?<!\p{L})an\s+(?![aeiouh])\p{L}/giu],
  ['"a" before a vowel', /(?<!\p{L})a\s+(?:[aei]|o(?!ne))/giu],
  ['the verb does not agree with its subject', /(?<!\p{L})(?:i (?:are|is|has)|(?:we|you|they) (?:is|am|has)|(?:he|she|it) (?:are|am))(?!\p{L})/giu],
  ['a double space', /\S {2,}\S/gu],
];

const countOf = (re, text) => (text.match(re) ?? []).length;
/** How many pieces of template syntax ({{name}}, {% if %}…) the engine finds in `text`. */
const templateTags = (text) => engine.maskTemplates(text).ranges.length;

/**
 * What is mechanically wrong with `result`, the invalid example `text` with `suggestion`
 * applied to `finding` (as the editor's quick fix does). An empty list when nothing is.
 */
export function rewriteProblems(text, finding, suggestion, result) {
  const out = [];
  if (!/\p{L}/u.test(result)) out.push('nothing is left');
  for (const [what, re] of MECHANICAL) if (countOf(re, result) > countOf(re, text)) out.push(what);
  if (templateTags(result) !== templateTags(text)) out.push('a placeholder was lost');
  if (suggestion !== '') {
    const before = text.slice(0, finding.start);
    const sentenceStart = /(?:^|[.!?:]\s+|\n\s*)$/.test(before);
    const replacement = engine.matchCase(finding.text, suggestion);
    const letters = finding.text.replace(/[^\p{L}]/gu, '');
    const allCaps = letters.length >= 2 && letters === letters.toUpperCase();
    // "Hi {{name}}, I hope…" → "Hi {{name}}, Here is…": a span that starts with the pronoun I
    // makes the engine capitalize the rewrite, which is wrong unless the rewrite starts with I.
    const startsWithI = /^I(?:['’]|(?!\p{L}))/u.test(finding.text);
    if (!sentenceStart && !allCaps && startsWithI && /^\P{L}*\p{Lu}/u.test(replacement) && !/^\P{L}*\p{Lu}/u.test(suggestion)) out.push('the rewrite is capitalized in mid-sentence (the span starts with "I"; start the rewrite with "I" too)');
    const prev = before.match(/([\p{L}']+)[^\p{L}.!?,;:]*$/u)?.[1]?.toLowerCase();
    if (!sentenceStart && prev && NO_CLAUSE_AFTER.has(prev) && CLAUSE_START.test(suggestion)) out.push(`a clause follows "${prev}"`);
  }
  return out;
}

/** Every rule's examples against all rules together. */
export function checkRuleExamples(rules, files = new Map()) {
  const problems = [];
  const matcher = new EngineMatcher(rules);
  const where = (rule) => files.get(rule.id) ?? rule.id;
  const conflicts = new Set();
  for (const rule of rules) {
    for (const text of rule.examples?.invalid ?? []) {
      const found = matcher.findings(text);
      if (!found.some((f) => f.ruleId === rule.id)) {
        const other = found.map((f) => `${f.ruleId} on “${f.text}”`).join(', ');
        problems.push(`${where(rule)}: invalid example is not reported by this rule: “${text}”${other ? ` (reported: ${other})` : ''}`);
      }
      for (const c of matcher.conflicts(text)) conflicts.add(`${where(rule)}: in “${text}”: ${c}`);
      for (const c of matcher.selfProblems(text)) conflicts.add(`${where(rule)}: in “${text}”: ${c}`);
      for (const f of found.filter((x) => x.ruleId === rule.id)) {
        f.suggestions.forEach((suggestion, i) => {
          const rewrite = suggestion === '' ? '(delete)' : `“${suggestion}”`;
          if (!f.fixes[i]) return problems.push(`${where(rule)}: rewrite ${rewrite} of “${f.text}”: the engine offers no edit for it`);
          const result = applySuggestion(text, f, suggestion);
          for (const p of rewriteProblems(text, f, suggestion, result)) problems.push(`${where(rule)}: rewrite ${rewrite} of “${f.text}” gives “${result}”: ${p}`);
        });
      }
    }
    for (const text of rule.examples?.valid ?? []) {
      const found = matcher.findings(text).filter((f) => f.ruleId === rule.id);
      if (found.length) problems.push(`${where(rule)}: valid example is reported (on “${found[0].text}”): “${text}”`);
      for (const c of matcher.conflicts(text)) conflicts.add(`${where(rule)}: in “${text}”: ${c}`);
    }
  }
  problems.push(...conflicts);
  return problems;
}

/** The generated file's exact text. */
export function renderGenerated(rules) {
  const version = createHash('sha256').update(JSON.stringify(rules)).digest('hex').slice(0, 12);
  return JSON.stringify({ version, rules }, null, 2) + '\n';
}

/** The parsed form of every built-in pattern and exception, for a fast start (pattern-table.ts). */
export function renderPatterns(rules) {
  const sources = new Set();
  for (const rule of rules) {
    for (const p of rule.patterns) sources.add(patternText(p));
    for (const e of rule.exceptions ?? []) sources.add(e);
  }
  const table = engine.encodePatternTable([...sources].sort().map((source) => [source, engine.parsePattern(source)]));
  // One line per pattern and per word: small diffs when a rule changes.
  const forms = table.forms.map((f) => JSON.stringify(f)).join(',\n    ');
  const patterns = Object.entries(table.patterns).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n    ');
  return `{\n  "forms": [\n    ${forms}\n  ],\n  "patterns": {\n    ${patterns}\n  }\n}\n`;
}

function main(argv) {
  const check = argv.includes('--check');
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length) {
    console.error(`compile-rules: unknown argument ${unknown[0]} (usage: node scripts/compile-rules.mjs [--check])`);
    return 2;
  }
  const { rules, problems } = loadRules();
  if (problems.length) {
    for (const p of problems) console.error(`error  ${p}`);
    console.error(`\ncompile-rules: ${problems.length} problem${problems.length === 1 ? '' : 's'} in rules/; nothing written.`);
    return 1;
  }
  const counts = Object.fromEntries(CATEGORIES.map((c) => [c, rules.filter((r) => r.category === c).length]));
  const outputs = [
    [OUT_FILE, renderGenerated(rules)],
    [PATTERNS_FILE, renderPatterns(rules)],
  ];
  const summary = `${rules.length} rules (${CATEGORIES.map((c) => `${counts[c]} ${c}`).join(', ')})`;
  let status = 0;
  for (const [file, text] of outputs) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (check) {
      if (current !== text) {
        console.error(`compile-rules: ${rel(file)} is ${current === null ? 'missing' : 'stale'}; run \`npm run rules\` (node scripts/compile-rules.mjs).`);
        status = 1;
      } else {
        console.log(`compile-rules: ${rel(file)} is up to date: ${summary}.`);
      }
    } else if (current !== text) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      console.log(`compile-rules: wrote ${rel(file)}: ${summary}.`);
    } else {
      console.log(`compile-rules: ${rel(file)} already up to date: ${summary}.`);
    }
  }
  return status;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
