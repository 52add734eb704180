#!/usr/bin/env node
/**
 * Compiles the rule data in rules/<category>/<name>.yml into
 * server/src/rules/builtin-rules.generated.json, after checking every file:
 *   - YAML parses, and the rule validates against rules/rule.schema.json;
 *   - the id equals the file's path, the category equals the id's prefix, ids are unique;
 *   - 2-4 suggestions, at least 3 invalid and 2 valid examples, a one-sentence message and a
 *     rationale of 2-4 sentences;
 *   - every pattern and exception parses and expands to fewer than 2000 phrases;
 *   - a pattern is a string or { pattern, suggestions } (its own 2-4 rewrites, used for its
 *     matches instead of the rule's);
 *   - every invalid example is reported by its rule and no valid example is, with all rules
 *     loaded at once (so a longer phrase of another rule cannot silently swallow it), and no
 *     two rules fire on overlapping words of any example (nor one rule twice);
 *   - every rewrite applied to every invalid example of its rule leaves no mechanical damage
 *     (see rewriteProblems: doubled words, a sentence that starts lower-case, stray
 *     punctuation, "to we", "a apology"…). Whether it reads well is for a human: read the
 *     bad → good tables in rules/docs.
 *
 * The example check uses a small reference matcher that follows the engine's documented
 * matching (server/src/engine: normalize, pattern, tokenize, matcher); it is exported for
 * scripts/gen-docs.mjs, which builds each rule page's bad → good examples with it.
 *
 *   node scripts/compile-rules.mjs           write the JSON (when it changed)
 *   node scripts/compile-rules.mjs --check   write nothing; exit 1 when the JSON is stale
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';
import AjvImport from 'ajv';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RULES_DIR = path.join(ROOT, 'rules');
export const SCHEMA_FILE = path.join(RULES_DIR, 'rule.schema.json');
export const OUT_FILE = path.join(ROOT, 'server', 'src', 'rules', 'builtin-rules.generated.json');
export const CATEGORIES = ['cliche', 'defensive', 'hierarchy'];
export const MIN_PER_CATEGORY = { cliche: 32, defensive: 32, hierarchy: 22 };
export const MAX_EXPANSION = 2000;

const KEY_ORDER = ['id', 'category', 'principle', 'severity', 'message', 'rationale', 'patterns', 'exceptions', 'suggestions', 'fixable', 'examples'];

const rel = (file) => path.relative(ROOT, file).split(path.sep).join('/');

// ---------------------------------------------------------------------------------------
// Word normalization (mirrors server/src/engine/normalize.ts)

const IS_CONTRACTED = new Set(['it', 'that', 'there', 'here', 'what', 'who', 'he', 'she', 'where', 'how', 'everything', 'nothing', 'this']);
const WHOLE_WORD = {
  "can't": ['can', 'not'],
  cannot: ['can', 'not'],
  "won't": ['will', 'not'],
  "shan't": ['shall', 'not'],
  "ain't": ['is', 'not'],
  "let's": ['let', 'us'],
  "i'm": ['i', 'am'],
  "y'all": ['you', 'all'],
};

export function normalizeWord(word) {
  let w = word.toLowerCase().replace(/[\u2019\u2018\u02bc\u2032`]/g, "'");
  if (w === 'cannot') return WHOLE_WORD.cannot;
  if (w.includes("'")) {
    if (WHOLE_WORD[w]) return WHOLE_WORD[w];
    if (w.endsWith("n't")) return [w.slice(0, -3), 'not'];
    if (w.endsWith("'re")) return [w.slice(0, -3), 'are'];
    if (w.endsWith("'ve")) return [w.slice(0, -3), 'have'];
    if (w.endsWith("'ll")) return [w.slice(0, -3), 'will'];
    if (w.endsWith("'d")) return [w.slice(0, -2), 'would'];
    if (w.endsWith("'s")) {
      const base = w.slice(0, -2);
      return IS_CONTRACTED.has(base) ? [base, 'is'] : [w];
    }
    if (w.endsWith("'")) w = w.slice(0, -1);
  }
  return [britishToAmerican(w)];
}

function britishToAmerican(w) {
  if (w.length < 5) return w;
  for (const [from, to] of [['ise', 'ize'], ['ised', 'ized'], ['ises', 'izes'], ['ising', 'izing'], ['isation', 'ization'], ['isations', 'izations']]) {
    if (w.endsWith(from)) return w.slice(0, -from.length) + to;
  }
  return w;
}

export function inflections(word) {
  const w = word.toLowerCase();
  const forms = new Set([w]);
  const vowel = (ch) => 'aeiou'.includes(ch);
  const last = w[w.length - 1];
  const beforeLast = w[w.length - 2] ?? '';
  if (last === 'y' && !vowel(beforeLast)) {
    forms.add(w.slice(0, -1) + 'ies');
    forms.add(w.slice(0, -1) + 'ied');
    forms.add(w + 'ing');
  } else if (/(s|x|z|ch|sh)$/.test(w)) {
    forms.add(w + 'es');
    forms.add(w + 'ed');
    forms.add(w + 'ing');
  } else if (last === 'e') {
    forms.add(w + 's');
    forms.add(w + 'd');
    forms.add(w.slice(0, -1) + 'ing');
  } else {
    forms.add(w + 's');
    forms.add(w + 'ed');
    forms.add(w + 'ing');
    if (w.length >= 3 && !vowel(last) && vowel(beforeLast) && !vowel(w[w.length - 3]) && !'wxy'.includes(last)) {
      forms.add(w + last + 'ed');
      forms.add(w + last + 'ing');
    }
  }
  return [...forms];
}

// ---------------------------------------------------------------------------------------
// Patterns (mirrors server/src/engine/pattern.ts)

export const WILDCARD = '\u0001*';

export class PatternError extends Error {}

/** Parses a pattern into a tree. Throws PatternError with a readable message. */
export function parsePattern(src) {
  let pos = 0;
  const sentencePunct = src.match(/[.!;:"\u201c\u201d\[\]{}<>]/);
  if (sentencePunct) {
    throw new PatternError(`"${sentencePunct[0]}" ends a phrase in linted text, so a pattern containing it can never match`);
  }
  const skip = () => {
    while (pos < src.length && /\s/.test(src[pos])) pos++;
  };
  const parseSequence = (depth) => {
    const items = [];
    for (;;) {
      skip();
      if (pos >= src.length) break;
      const ch = src[pos];
      if (ch === '|' || ch === ')') {
        if (depth === 0) throw new PatternError(`unexpected "${ch}" at column ${pos + 1} (outside a group)`);
        break;
      }
      if (ch === '(') {
        const open = pos;
        pos++;
        const options = [parseSequence(depth + 1)];
        while (src[pos] === '|') {
          pos++;
          options.push(parseSequence(depth + 1));
        }
        if (src[pos] !== ')') throw new PatternError(`missing ")" for the group opened at column ${open + 1}`);
        if (options.some((o) => o.items.length === 0)) throw new PatternError(`empty alternative in the group at column ${open + 1}; use "(…)?" for an optional group`);
        pos++;
        let optional = false;
        if (src[pos] === '?') {
          optional = true;
          pos++;
        }
        items.push({ kind: 'alt', options, optional });
        continue;
      }
      if (ch === '*') {
        pos++;
        items.push({ kind: 'any' });
        continue;
      }
      if (ch === '?' || ch === '~') throw new PatternError(`"${ch}" at column ${pos + 1} must follow a word`);
      const start = pos;
      while (pos < src.length && !/[\s()|?~*]/.test(src[pos])) pos++;
      const raw = src.slice(start, pos);
      let inflect = false;
      let optional = false;
      while (src[pos] === '~' || src[pos] === '?') {
        if (src[pos] === '~') inflect = true;
        else optional = true;
        pos++;
      }
      const forms = [];
      const seen = new Set();
      for (const v of inflect ? inflections(raw) : [raw]) {
        const tokens = v
          .split(/[^\p{L}\p{N}\p{M}'’]+/u)
          .filter(Boolean)
          .flatMap((w) => normalizeWord(w));
        const key = tokens.join(' ');
        if (tokens.length && !seen.has(key)) {
          seen.add(key);
          forms.push(tokens);
        }
      }
      if (forms.length === 0) throw new PatternError(`"${raw}" has no letters or digits`);
      items.push({ kind: 'word', forms, optional });
    }
    return { kind: 'seq', items };
  };
  const tree = parseSequence(0);
  if (pos < src.length) throw new PatternError(`unexpected "${src[pos]}" at column ${pos + 1}`);
  return tree;
}

/** The number of token sequences a pattern expands to (what the engine's trie stores). */
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

function expandNode(node) {
  switch (node.kind) {
    case 'any':
      return [[WILDCARD]];
    case 'word':
      return node.optional ? [[], ...node.forms] : node.forms;
    case 'alt': {
      const all = node.optional ? [[]] : [];
      for (const option of node.options) all.push(...expandNode(option));
      return all;
    }
    case 'seq': {
      let acc = [[]];
      for (const item of node.items) {
        const parts = expandNode(item);
        const next = [];
        for (const a of acc) for (const p of parts) next.push(a.concat(p));
        acc = next;
      }
      return acc;
    }
  }
  return [];
}

/** Expands a pattern into token sequences; throws PatternError on bad syntax or size. */
export function expandPattern(src) {
  const tree = parsePattern(src);
  const size = expansionSize(tree);
  if (size >= MAX_EXPANSION) throw new PatternError(`expands to ${size} phrases (the limit is ${MAX_EXPANSION - 1}); split it into several patterns`);
  const out = expandNode(tree).filter((s) => s.length > 0);
  if (out.length === 0) throw new PatternError('matches nothing (it has no words)');
  if (out.some((s) => s.every((t) => t === WILDCARD))) throw new PatternError('would match any word: add at least one literal word');
  return out;
}

// ---------------------------------------------------------------------------------------
// Text → tokens (mirrors server/src/engine/tokenize.ts, plus placeholder masking)

export const PLACEHOLDER_TOKEN = '\uE000';
export const BARRIER_TOKEN = '\u0000';
const HARD_PUNCT = new Set([...'.!?;:"()[]{}<>|\u201c\u201d\u00ab\u00bb\u2026\u2029']);
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const APOSTROPHE = new Set(["'", '\u2019', '\u02bc', '\u2018']);
/** Template syntax that format adapters turn into one placeholder word. */
const PLACEHOLDER_RE = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|<%[\s\S]*?%>|%\{[^}\n]*\}|#\{[^}\n]*\}|\{\$[^}\n]*\}|%[A-Z][A-Z0-9_.]*%|\[[A-Z][A-Za-z0-9 _.-]*\]/g;

export function tokenize(text) {
  const masked = text.replace(PLACEHOLDER_RE, (m) => PLACEHOLDER_TOKEN + ' '.repeat(m.length - 1));
  const norm = [];
  const start = [];
  const end = [];
  let newlines = 0;
  const barrier = (at) => {
    if (norm.length && norm[norm.length - 1] !== BARRIER_TOKEN) {
      norm.push(BARRIER_TOKEN);
      start.push(at);
      end.push(at);
    }
  };
  let i = 0;
  while (i < masked.length) {
    const ch = masked[i];
    if (ch !== PLACEHOLDER_TOKEN && WORD_CHAR.test(ch)) {
      const s = i;
      i++;
      while (i < masked.length) {
        if (masked[i] !== PLACEHOLDER_TOKEN && WORD_CHAR.test(masked[i])) i++;
        else if (APOSTROPHE.has(masked[i]) && i + 1 < masked.length && WORD_CHAR.test(masked[i + 1])) i += 2;
        else break;
      }
      for (const p of normalizeWord(masked.slice(s, i))) {
        norm.push(p);
        start.push(s);
        end.push(i);
      }
      newlines = 0;
      continue;
    }
    if (ch === PLACEHOLDER_TOKEN) {
      norm.push(PLACEHOLDER_TOKEN);
      start.push(i);
      end.push(i + 1);
      newlines = 0;
    } else if (ch === '\n') {
      newlines++;
      if (newlines >= 2) barrier(i);
    } else if (HARD_PUNCT.has(ch)) {
      barrier(i);
    }
    i++;
  }
  return { norm, start, end };
}

// ---------------------------------------------------------------------------------------
// Matching (mirrors server/src/engine/matcher.ts: longest phrase at each start wins, a
// phrase inside a reported one is dropped, a phrase overlapping its rule's exception is
// dropped)

/** The source text of a pattern item (a string, or { pattern, suggestions }). */
export const patternText = (p) => (typeof p === 'string' ? p : p.pattern);

export class ReferenceMatcher {
  /** @param {Array<{id: string, patterns: Array<string | {pattern: string, suggestions: string[]}>, suggestions: string[], exceptions?: string[]}>} rules */
  constructor(rules) {
    this.rules = rules;
    this.byFirst = new Map();
    this.wildStart = [];
    rules.forEach((rule, index) => {
      for (const p of rule.patterns) {
        const own = typeof p === 'string' ? undefined : p.suggestions;
        for (const seq of expandPattern(patternText(p))) this.#add(seq, { rule: index, exception: false, pattern: patternText(p), suggestions: own });
      }
      for (const p of rule.exceptions ?? []) for (const seq of expandPattern(p)) this.#add(seq, { rule: index, exception: true });
    });
  }

  #add(seq, entry) {
    const item = { seq, ...entry };
    if (seq[0] === WILDCARD) this.wildStart.push(item);
    else {
      let list = this.byFirst.get(seq[0]);
      if (!list) this.byFirst.set(seq[0], (list = []));
      list.push(item);
    }
  }

  /** Raw hits: every phrase (and exception) that matches, at every start. */
  hits(tokens) {
    const { norm } = tokens;
    const out = [];
    for (let i = 0; i < norm.length; i++) {
      const t = norm[i];
      if (t === BARRIER_TOKEN || t === PLACEHOLDER_TOKEN) continue;
      const candidates = [...(this.byFirst.get(t) ?? []), ...this.wildStart];
      for (const c of candidates) {
        if (i + c.seq.length > norm.length) continue;
        let ok = true;
        for (let k = 0; k < c.seq.length && ok; k++) {
          const tok = norm[i + k];
          if (tok === BARRIER_TOKEN) ok = false;
          else if (c.seq[k] === WILDCARD) ok = tok !== PLACEHOLDER_TOKEN;
          else ok = c.seq[k] === tok;
        }
        if (ok) out.push({ rule: c.rule, exception: c.exception, pattern: c.pattern, suggestions: c.suggestions, first: i, last: i + c.seq.length - 1 });
      }
    }
    return out;
  }

  /** Candidates per rule after exceptions, before the cross-rule resolution. */
  candidates(tokens) {
    const hits = this.hits(tokens);
    const exceptions = hits.filter((h) => h.exception);
    const overlaps = (a, b) => a.first <= b.last && b.first <= a.last;
    return hits.filter((h) => !h.exception && !exceptions.some((x) => x.rule === h.rule && overlaps(x, h)));
  }

  /**
   * Findings as the engine reports them: [{ruleId, first, last, start, end, text, pattern,
   * suggestions}], where suggestions are the matched pattern's own or else the rule's.
   */
  findings(text) {
    const tokens = tokenize(text);
    const candidates = this.candidates(tokens).sort((a, b) => a.first - b.first || b.last - a.last || a.rule - b.rule);
    const out = [];
    let coveredUntil = -1;
    let lastStart = -1;
    for (const c of candidates) {
      if (c.first === lastStart || c.last <= coveredUntil) continue;
      const start = tokens.start[c.first];
      const end = tokens.end[c.last];
      const suggestions = c.suggestions ?? this.rules[c.rule].suggestions;
      out.push({ ruleId: this.rules[c.rule].id, first: c.first, last: c.last, start, end, text: text.slice(start, end), pattern: c.pattern, suggestions });
      lastStart = c.first;
      coveredUntil = Math.max(coveredUntil, c.last);
    }
    return out;
  }

  /**
   * Problems a rule's own patterns make in `text`: two findings of one rule on overlapping
   * words (a rewrite of one would garble the other), and one span matched by patterns with
   * different rewrites (which of them the engine offers would depend on the trie's order).
   */
  selfProblems(text) {
    const tokens = tokenize(text);
    const found = this.findings(text);
    const out = [];
    for (let a = 0; a < found.length; a++) {
      for (let b = a + 1; b < found.length; b++) {
        const x = found[a];
        const y = found[b];
        if (x.ruleId === y.ruleId && x.first <= y.last && y.first <= x.last) out.push(`${x.ruleId} reports overlapping spans “${x.text}” and “${y.text}”; make its patterns match one span`);
      }
    }
    const cands = this.candidates(tokens);
    for (const f of found) {
      const same = cands.filter((c) => this.rules[c.rule].id === f.ruleId && c.first === f.first && c.last === f.last);
      const lists = new Set(same.map((c) => JSON.stringify(c.suggestions ?? this.rules[c.rule].suggestions)));
      if (lists.size > 1) out.push(`${f.ruleId}: patterns with different suggestions all match “${f.text}” (${[...new Set(same.map((c) => c.pattern))].map((p) => `"${p}"`).join(', ')}); make one of them narrower`);
    }
    return out;
  }

  /** Pairs of different rules whose phrases overlap in `text` (rules must not share spans). */
  conflicts(text) {
    const tokens = tokenize(text);
    const cands = this.candidates(tokens);
    const out = [];
    for (let a = 0; a < cands.length; a++) {
      for (let b = a + 1; b < cands.length; b++) {
        const x = cands[a];
        const y = cands[b];
        if (x.rule !== y.rule && x.first <= y.last && y.first <= x.last) {
          const ids = [this.rules[x.rule].id, this.rules[y.rule].id].sort();
          out.push(`${ids[0]} and ${ids[1]} both match “${text.slice(tokens.start[Math.min(x.first, y.first)], tokens.end[Math.max(x.last, y.last)])}”`);
        }
      }
    }
    return [...new Set(out)];
  }
}

/** The engine's case matching for rewrites (server/src/engine/case.ts). */
export function matchCase(original, replacement) {
  if (!replacement) return replacement;
  const letters = original.replace(/[^\p{L}]/gu, '');
  if (letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) return replacement.toUpperCase();
  const first = letters[0];
  if (!first) return replacement;
  if (first !== first.toLowerCase()) return capitalize(replacement);
  const firstWord = replacement.split(/[\s,]/)[0];
  if (/^I(?:'|’|$)/.test(firstWord) || (firstWord.length >= 2 && firstWord === firstWord.toUpperCase())) return replacement;
  return replacement[0].toLowerCase() + replacement.slice(1);
}

export function capitalize(s) {
  const i = s.search(/\p{L}/u);
  return i < 0 ? s : s.slice(0, i) + s[i].toUpperCase() + s.slice(i + 1);
}

/** Applies a suggestion to a finding's span the way the editor's quick fix does. */
export function applySuggestion(text, finding, suggestion) {
  const original = text.slice(finding.start, finding.end);
  if (suggestion !== '') return text.slice(0, finding.start) + matchCase(original, suggestion) + text.slice(finding.end);
  let k = finding.end;
  while (k < text.length && /[ ,\t]/.test(text[k])) k++;
  const next = text[k];
  const opener = /^\p{Lu}/u.test(original);
  if (next && /\p{L}/u.test(next) && k > finding.end) {
    return text.slice(0, finding.start) + (opener ? next.toUpperCase() : next) + text.slice(k + 1);
  }
  let b = finding.start;
  while (b > 0 && /[ \t]/.test(text[b - 1])) b--;
  return text.slice(0, b) + text.slice(finding.end);
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
        try {
          expandPattern(p);
        } catch (err) {
          if (!(err instanceof PatternError)) throw err;
          fail(`${kind} "${p}": ${err.message}`);
        }
        if (typeof item !== 'string') {
          if (item.suggestions.length < 2 || item.suggestions.length > 4) fail(`pattern "${p}" needs 2-4 suggestions`);
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

/**
 * What is mechanically wrong with `result`, the invalid example `text` with `suggestion`
 * applied to `finding` (as the editor's quick fix does). An empty list when nothing is.
 */
export function rewriteProblems(text, finding, suggestion, result) {
  const out = [];
  if (!/\p{L}/u.test(result)) out.push('nothing is left');
  for (const [what, re] of MECHANICAL) if (countOf(re, result) > countOf(re, text)) out.push(what);
  if (countOf(PLACEHOLDER_RE, result) !== countOf(PLACEHOLDER_RE, text)) out.push('a placeholder was lost');
  if (suggestion !== '') {
    const before = text.slice(0, finding.start);
    const sentenceStart = /(?:^|[.!?:]\s+|\n\s*)$/.test(before);
    const replacement = matchCase(finding.text, suggestion);
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
  const matcher = new ReferenceMatcher(rules);
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
        for (const suggestion of f.suggestions) {
          const result = applySuggestion(text, f, suggestion);
          for (const p of rewriteProblems(text, f, suggestion, result)) {
            problems.push(`${where(rule)}: rewrite ${suggestion === '' ? '(delete)' : `“${suggestion}”`} of “${f.text}” gives “${result}”: ${p}`);
          }
        }
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
  const text = renderGenerated(rules);
  const current = existsSync(OUT_FILE) ? readFileSync(OUT_FILE, 'utf8') : null;
  const summary = `${rules.length} rules (${CATEGORIES.map((c) => `${counts[c]} ${c}`).join(', ')})`;
  if (check) {
    if (current !== text) {
      console.error(`compile-rules: ${rel(OUT_FILE)} is ${current === null ? 'missing' : 'stale'}; run \`npm run rules\` (node scripts/compile-rules.mjs).`);
      return 1;
    }
    console.log(`compile-rules: ${rel(OUT_FILE)} is up to date: ${summary}.`);
    return 0;
  }
  if (current !== text) {
    mkdirSync(path.dirname(OUT_FILE), { recursive: true });
    writeFileSync(OUT_FILE, text);
    console.log(`compile-rules: wrote ${rel(OUT_FILE)}: ${summary}.`);
  } else {
    console.log(`compile-rules: ${rel(OUT_FILE)} already up to date: ${summary}.`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
