import { inflections, normalizeWord } from './normalize.js';

/**
 * The phrase-pattern language of rules (documented in rules/README.md):
 *   words        literal words, matched on normalized tokens
 *   (a|b c|d)    alternatives, each a word sequence; `(…)?` makes the group optional
 *   word?        an optional word
 *   word~        the word's regular inflections
 *   *            exactly one arbitrary word (never a placeholder)
 * Patterns are expanded into plain token sequences and compiled into one trie, so matching
 * cost does not grow with the number of rules and there is no regex backtracking at all:
 * a team's custom pattern cannot hang the linter.
 */

export const WILDCARD = '\u0001*';

/** Upper bound on the sequences one pattern may expand to. */
export const MAX_EXPANSION = 5000;
const MAX_PATTERN_LENGTH = 500;

export class PatternError extends Error {}

export type PatternNode = { kind: 'seq'; items: PatternNode[] } | { kind: 'alt'; options: PatternNode[]; optional: boolean } | { kind: 'word'; forms: string[][]; optional: boolean } | { kind: 'any' };

/** Parse a pattern into its tree. Throws PatternError on bad syntax. */
export function parsePattern(pattern: string): PatternNode {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new PatternError(`pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  const parser = new Parser(pattern);
  const node = parser.parseSequence();
  if (parser.pos < pattern.length) throw new PatternError(`unexpected "${pattern[parser.pos]}" at column ${parser.pos + 1}`);
  return node;
}

/** Expand a pattern into the token sequences it matches. Throws PatternError on bad syntax. */
export function expandPattern(pattern: string): string[][] {
  const node = parsePattern(pattern);
  const out = expand(node).filter((seq) => seq.length > 0);
  if (out.length === 0) throw new PatternError('pattern matches nothing (it has no words)');
  if (out.some((seq) => seq.every((t) => t === WILDCARD))) throw new PatternError('pattern would match any word: add at least one literal word');
  return out;
}

function expand(node: PatternNode): string[][] {
  switch (node.kind) {
    case 'any':
      return [[WILDCARD]];
    case 'word':
      return node.optional ? [[], ...node.forms] : node.forms;
    case 'alt': {
      const all: string[][] = node.optional ? [[]] : [];
      for (const option of node.options) all.push(...expand(option));
      return all;
    }
    case 'seq': {
      let acc: string[][] = [[]];
      for (const item of node.items) {
        const next: string[][] = [];
        const parts = expand(item);
        for (const a of acc) {
          for (const p of parts) {
            next.push(a.concat(p));
            if (next.length > MAX_EXPANSION) throw new PatternError(`pattern expands to more than ${MAX_EXPANSION} phrases; split it`);
          }
        }
        acc = next;
      }
      return acc;
    }
  }
}

class Parser {
  pos = 0;
  constructor(private readonly src: string) {}

  parseSequence(): PatternNode {
    const items: PatternNode[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.pos >= this.src.length) break;
      const ch = this.src[this.pos];
      if (ch === '|' || ch === ')') break;
      if (ch === '(') {
        this.pos++;
        const options: PatternNode[] = [this.parseSequence()];
        while (this.src[this.pos] === '|') {
          this.pos++;
          options.push(this.parseSequence());
        }
        if (this.src[this.pos] !== ')') throw new PatternError(`missing ")" for the group opened before column ${this.pos + 1}`);
        this.pos++;
        let optional = false;
        if (this.src[this.pos] === '?') {
          optional = true;
          this.pos++;
        }
        items.push({ kind: 'alt', options, optional });
        continue;
      }
      if (ch === '*') {
        this.pos++;
        items.push({ kind: 'any' });
        continue;
      }
      items.push(this.parseWord());
    }
    return { kind: 'seq', items };
  }

  private parseWord(): PatternNode {
    const start = this.pos;
    this.pos = matchEnd(WORD_CHARS, this.src, this.pos);
    const raw = this.src.slice(start, this.pos);
    if (!raw) throw new PatternError(`unexpected "${this.src[this.pos]}" at column ${this.pos + 1}`);
    let inflect = false;
    let optional = false;
    while (this.src[this.pos] === '~' || this.src[this.pos] === '?') {
      if (this.src[this.pos] === '~') inflect = true;
      else optional = true;
      this.pos++;
    }
    return { kind: 'word', forms: wordForms(raw, inflect), optional };
  }

  private skipSpaces(): void {
    this.pos = matchEnd(SPACES, this.src, this.pos);
  }
}

// The ~600 built-in patterns are parsed at every start of the CLI and share most of their
// words ("we", "to", "policy~"): the tokenized forms of a word are computed once. Callers
// never mutate them (the matcher only reads).
const formsMemo = new Map<string, string[][]>();

function wordForms(raw: string, inflect: boolean): string[][] {
  const memoKey = inflect ? raw + '~' : raw;
  const memoized = formsMemo.get(memoKey);
  if (memoized) return memoized;
  const variants = inflect ? inflections(raw) : [raw];
  const forms: string[][] = [];
  const seen = new Set<string>();
  for (const v of variants) {
    // A pattern word goes through the same tokenizer rules as text: hyphens and
    // punctuation split it, contractions expand.
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
  if (formsMemo.size < 50_000) formsMemo.set(memoKey, forms);
  return forms;
}

// Sticky regexes: one native call per word or run of spaces (a regex test per character
// cost ~20 ms at every start of the CLI).
const WORD_CHARS = /[^\s()|?~*]*/y;
const SPACES = /\s*/y;

/** Where a run of `re` starting at `pos` ends. */
function matchEnd(re: RegExp, src: string, pos: number): number {
  re.lastIndex = pos;
  re.exec(src);
  return re.lastIndex;
}
