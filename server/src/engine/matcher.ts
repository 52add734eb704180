import { WILDCARD, type PatternNode } from './pattern.js';
import type { EncodedItem } from './pattern-table.js';
import { BARRIER_TOKEN, forEachToken, PLACEHOLDER_TOKEN, type Tokens } from './tokenize.js';
import { ProbeResult, WasmPhraseProbe } from './wasm-probe.js';
import { OTHER_WORD, scanWords, Vocabulary, type TokenSink } from './word-scan.js';

/**
 * One trie over the expanded phrases of every rule, its exceptions and the team's allowed
 * phrases. A scan walks the trie from each token, so the cost is linear in the text times
 * the longest phrase, independent of how many rules there are.
 */

export const enum EntryKind {
  Match = 0,
  Exception = 1,
  Allow = 2,
}

export interface Entry {
  kind: EntryKind;
  /** Index of the rule (for Match and Exception); -1 for Allow. */
  rule: number;
  /** Rewrites of the pattern this entry came from, when it has its own. */
  suggestions?: string[];
}

/**
 * A pattern item still to be matched: a parsed pattern node, the rest of a multi-token word,
 * or the rest of a built-in pattern as its table encodes it (pattern-table.ts; `forms` is the
 * table's word-form list), read item by item as the trie grows.
 */
type Item = PatternNode | { kind: 'lit'; tokens: string[]; i: number } | { kind: 'enc'; items: EncodedItem[]; i: number; forms: string[][][] };
/** What remains of a pattern after some tokens: a linked list, so forks share their tails. */
type Cont = { item: Item; next: Cont } | null;

/** Characters (2 bytes each in WebAssembly memory) past which the WebAssembly probe is not kept. */
const LARGE_TEXT = 1 << 21;

/** A class with every field set up front: all nodes share one shape, so the scans' property reads stay monomorphic. */
class TrieNode {
  readonly next = new Map<string, TrieNode>();
  any: TrieNode | undefined = undefined;
  entries: number[] | undefined = undefined;
  /** One of `entries` is a phrase (not an exception or allowed phrase): the prefilter's question. */
  phraseEnds = false;
  /** Pattern continuations not yet turned into children (see `expand`). */
  pending: Array<{ cont: Cont; entry: number }> | undefined = undefined;
  expanded = false;
}

export interface Hit {
  entry: Entry;
  /** First and last token index, inclusive. */
  first: number;
  last: number;
}

export interface PhraseMatch {
  rule: number;
  first: number;
  last: number;
  /** The matched pattern's own rewrites, if it has them. */
  suggestions?: string[];
}

/**
 * The trie is built lazily, like a lazy DFA: adding a pattern only records it at the root,
 * and a node's children are derived from the pattern continuations that reach it the first
 * time a scan arrives there. The full expansion of the built-in rules has ~60,000 phrases;
 * a run only ever materializes the few nodes that its text actually walks through, so
 * compiling the rules costs a parse, not a trie of every phrase.
 */
export class PhraseMatcher {
  private readonly root = new TrieNode();
  private readonly entries: Entry[] = [];
  /** Every token the patterns contain (the prefilter's vocabulary; see word-scan.ts). */
  private readonly words = new Set<string>();
  /** Word-form lists already in `words`: the built-in patterns share them (pattern-table.ts). */
  private readonly collectedForms = new Set<string[][]>();
  /** Pattern tables whose every word is in `words` (addEncoded). */
  private readonly collectedTables = new Set<string[][][]>();
  private vocabulary: Vocabulary | undefined;
  /** The prefilter's probe in WebAssembly (wasm-probe.ts); null where it is not available. */
  private wasmProbe: WasmPhraseProbe | null | undefined;
  /** false: the prefilter uses the JavaScript probe only (the tests compare the two). */
  useWasm = true;

  /** Adds one plain token sequence (tests and tools; rules use addPattern). */
  add(sequence: string[], entry: Entry): void {
    const items: PatternNode[] = sequence.map((t) => (t === WILDCARD ? { kind: 'any' } : { kind: 'word', forms: [[t]], optional: false }));
    this.addPattern({ kind: 'seq', items }, entry);
  }

  addPattern(pattern: PatternNode, entry: Entry): void {
    const index = this.entries.length;
    this.entries.push(entry);
    collectWords(pattern, this.words, this.collectedForms);
    this.vocabulary = undefined;
    // Its tables hold nodes as they were: a new pattern may add children to any of them.
    this.wasmProbe = undefined;
    this.addPending(this.root, { item: pattern, next: null }, index);
  }

  /**
   * Adds a built-in pattern in its table's encoding (pattern-table.ts), with no parsed tree:
   * its items are read as the trie reaches them. The vocabulary takes every word of the table
   * at once — a word no added pattern uses only ever meets a trie with no edge for it, the
   * same as a word outside the vocabulary.
   */
  addEncoded(sequence: EncodedItem[], forms: string[][][], entry: Entry): void {
    const index = this.entries.length;
    this.entries.push(entry);
    if (!this.collectedTables.has(forms)) {
      this.collectedTables.add(forms);
      for (let f = 0; f < forms.length; f++) {
        const list = forms[f];
        for (let k = 0; k < list.length; k++) for (let t = 0; t < list[k].length; t++) this.words.add(list[k][t]);
      }
      this.vocabulary = undefined;
    }
    this.wasmProbe = undefined;
    this.addPending(this.root, { item: { kind: 'enc', items: sequence, i: 0, forms }, next: null }, index);
  }

  private addPending(node: TrieNode, cont: Cont, entry: number): void {
    if (node.expanded) this.step(node, cont, entry);
    else (node.pending ??= []).push({ cont, entry });
  }

  /** Turns a node's pending continuations into its entries and children (once). Also used by the prefilter's PhraseProbe. */
  expand(node: TrieNode): void {
    if (node.expanded) return;
    node.expanded = true;
    const pending = node.pending;
    node.pending = undefined;
    if (pending) for (const p of pending) this.step(node, p.cont, p.entry);
  }

  private step(node: TrieNode, cont: Cont, entry: number): void {
    if (cont === null) {
      const list = (node.entries ??= []);
      if (!list.includes(entry)) list.push(entry);
      if (this.entries[entry].kind === EntryKind.Match) node.phraseEnds = true;
      return;
    }
    const item = cont.item;
    const rest = cont.next;
    switch (item.kind) {
      case 'seq': {
        let c = rest;
        for (let i = item.items.length - 1; i >= 0; i--) c = { item: item.items[i], next: c };
        this.step(node, c, entry);
        return;
      }
      case 'alt':
        for (const option of item.options) this.step(node, { item: option, next: rest }, entry);
        if (item.optional) this.step(node, rest, entry);
        return;
      case 'word':
        this.stepWord(node, item.forms, item.optional, rest, entry);
        return;
      case 'enc': {
        const { items, i, forms } = item;
        const after: Cont = i + 1 < items.length ? { item: { kind: 'enc', items, i: i + 1, forms }, next: rest } : rest;
        const encoded = items[i];
        if (typeof encoded === 'number') this.stepWord(node, forms[encoded], false, after, entry);
        else if (encoded === '*') {
          node.any ??= new TrieNode();
          this.addPending(node.any, after, entry);
        } else if ('a' in encoded) {
          for (const option of encoded.a) this.step(node, option.length > 0 ? { item: { kind: 'enc', items: option, i: 0, forms }, next: after } : after, entry);
          if (encoded.o === 1) this.step(node, after, entry);
        } else this.stepWord(node, forms[encoded.o], true, after, entry);
        return;
      }
      case 'lit': {
        const after: Cont = item.i + 1 < item.tokens.length ? { item: { kind: 'lit', tokens: item.tokens, i: item.i + 1 }, next: rest } : rest;
        this.addPending(this.child(node, item.tokens[item.i]), after, entry);
        return;
      }
      case 'any':
        node.any ??= new TrieNode();
        this.addPending(node.any, rest, entry);
        return;
    }
  }

  private stepWord(node: TrieNode, forms: string[][], optional: boolean, rest: Cont, entry: number): void {
    for (const form of forms) {
      const after: Cont = form.length > 1 ? { item: { kind: 'lit', tokens: form, i: 1 }, next: rest } : rest;
      this.addPending(this.child(node, form[0]), after, entry);
    }
    if (optional) this.step(node, rest, entry);
  }

  private child(node: TrieNode, token: string): TrieNode {
    let child = node.next.get(token);
    if (!child) {
      child = new TrieNode();
      node.next.set(token, child);
    }
    return child;
  }

  /** All hits, in order of their first token. */
  scan(tokens: Tokens): Hit[] {
    const hits: Hit[] = [];
    const norm = tokens.norm;
    const n = norm.length;
    const root = this.root;
    this.expand(root);
    const wildcardStart = root.any !== undefined;
    for (let i = 0; i < n; i++) {
      const t = norm[i];
      if (t === BARRIER_TOKEN || t === PLACEHOLDER_TOKEN) continue;
      if (!wildcardStart && !root.next.has(t)) continue;
      this.walk(root, norm, i, i, hits);
    }
    return hits;
  }

  /**
   * Does any phrase (not exception, not allowed phrase) occur in the text? Streams tokens
   * through the trie with a set of live states and stops at the first hit, building no
   * token arrays: this is the prefilter's hot loop over every byte of a library. It runs as
   * WebAssembly (wasm-probe.ts) where it can; PhraseProbe below is the same walk in JavaScript,
   * the reference the tests hold it to and the fallback.
   */
  hasMatch(text: string): boolean {
    this.expand(this.root);
    const lower = text.toLowerCase();
    if (this.useWasm && lower.length === text.length) {
      const answer = this.currentWasmProbe()?.probe(lower) ?? ProbeResult.GiveUp;
      // WebAssembly memory only grows: after a very large text (the language server keeps its
      // rule sets for hours) the probe is dropped with its memory and made again when needed.
      if (lower.length > LARGE_TEXT) this.wasmProbe = undefined;
      if (answer !== ProbeResult.GiveUp) return answer === ProbeResult.Hit;
    }
    return this.scanText(text, new PhraseProbe(this, this.root), lower);
  }

  /**
   * The tokens of a prose region for `scan`, from the same scanner: a word that no pattern
   * contains is OTHER_WORD (it can only meet a `*`), so no string is made for it. Hits are
   * those of the regex tokenizer (tokenize.ts); the scanner may repeat a barrier, which only
   * shifts token indices.
   */
  tokens(text: string): Tokens {
    const lower = text.toLowerCase();
    // The same scanner in WebAssembly where it can (wasm-probe.ts tokens): compiled before its
    // first call, where scanWords runs mostly unoptimized in a CLI run (and its optimizing
    // compiles, ~30 ms, hold up V8's one compiler thread there).
    if (this.useWasm && lower.length === text.length) {
      const tokens = this.currentWasmProbe()?.tokens(lower);
      if (tokens) return tokens;
    }
    const collector = new TokenCollector();
    this.scanText(text, collector, lower);
    return collector;
  }

  /** The WebAssembly probe for the patterns added so far, made on first use; null where there is none. */
  private currentWasmProbe(): WasmPhraseProbe | null {
    if (this.wasmProbe === undefined) this.wasmProbe = WasmPhraseProbe.create(this.root, (node) => this.expand(node as TrieNode), this.currentVocabulary()) ?? null;
    return this.wasmProbe;
  }

  /** The vocabulary of the patterns added so far (made again after a pattern is added). */
  private currentVocabulary(): Vocabulary {
    return (this.vocabulary ??= new Vocabulary(this.words));
  }

  /** Streams the tokens of `text` into `sink`; true when the sink stopped the scan. */
  private scanText(text: string, sink: TokenSink, lower = text.toLowerCase()): boolean {
    if (lower.length !== text.length) {
      // Lower-casing changed offsets ("İ"): the regex tokenizer reads the text as written.
      let stopped = false;
      forEachToken(text, (t, start, end) => (stopped = sink.push(t, start, end)));
      return stopped;
    }
    return scanWords(lower, this.currentVocabulary(), sink);
  }

  private walk(node: TrieNode, norm: string[], first: number, j: number, hits: Hit[]): void {
    // Iterative over literal edges; recursion only where a wildcard branches.
    let current: TrieNode | undefined = node;
    let k = j;
    while (current && k < norm.length) {
      const t = norm[k];
      if (t === BARRIER_TOKEN) return;
      this.expand(current);
      if (current.any && t !== PLACEHOLDER_TOKEN) {
        const viaAny = current.any;
        this.expand(viaAny);
        if (viaAny.entries) this.record(viaAny, first, k, hits);
        this.walk(viaAny, norm, first, k + 1, hits);
      }
      current = current.next.get(t);
      if (current) {
        this.expand(current);
        if (current.entries) this.record(current, first, k, hits);
      }
      k++;
    }
  }

  private record(node: TrieNode, first: number, last: number, hits: Hit[]): void {
    for (const index of node.entries!) hits.push({ entry: this.entries[index], first, last });
  }
}

/** Tokens as `tokenize` returns them, gathered from the scanner. */
class TokenCollector implements TokenSink, Tokens {
  norm: string[] = [];
  start: number[] = [];
  end: number[] = [];

  push(token: string, start: number, end: number): boolean {
    this.norm.push(token);
    this.start.push(start);
    this.end.push(end);
    return false;
  }
}

/** The prefilter's walk: live trie states, advanced one token at a time (see hasMatch). */
class PhraseProbe implements TokenSink {
  // No "found" field: push's result says it. The first write of such a flag in a run changes
  // the class's field from constant to mutable, and V8 then throws away the optimized scanner.
  // Live states in arrays reused with explicit counts (setting an array's length calls
  // into the runtime, and barriers come every few words).
  private live: TrieNode[] = [];
  private liveCount = 0;
  private next: TrieNode[] = [];
  private nextCount = 0;
  private readonly rootNext: Map<string, TrieNode>;
  private readonly rootAny: TrieNode | undefined;

  constructor(
    private readonly matcher: PhraseMatcher,
    root: TrieNode,
  ) {
    this.rootNext = root.next;
    this.rootAny = root.any;
  }

  push(t: string): boolean {
    if (t === BARRIER_TOKEN) {
      this.liveCount = 0;
      return false;
    }
    // The most common case — no phrase under way and a word no pattern contains — costs nothing.
    if (t === OTHER_WORD && this.liveCount === 0 && this.rootAny === undefined) return false;
    const word = t !== PLACEHOLDER_TOKEN;
    // The next most common — no phrase under way, and this word starts none — costs one lookup.
    const start = word ? this.rootNext.get(t) : undefined;
    const live = this.live;
    const liveCount = this.liveCount;
    if (liveCount === 0 && start === undefined && (this.rootAny === undefined || !word)) return false;
    this.nextCount = 0;
    for (let k = 0; k < liveCount; k++) {
      const node = live[k];
      const child = node.next.get(t);
      if (child && this.enter(child)) return true;
      if (word && node.any && this.enter(node.any)) return true;
    }
    if (start && this.enter(start)) return true;
    if (word && this.rootAny && this.enter(this.rootAny)) return true;
    this.live = this.next;
    this.liveCount = this.nextCount;
    this.next = live;
    return false;
  }

  private enter(node: TrieNode): boolean {
    this.matcher.expand(node);
    if (node.phraseEnds) return true;
    this.next[this.nextCount++] = node;
    return false;
  }
}

/** The literal tokens of a pattern. */
function collectWords(node: PatternNode, out: Set<string>, done: Set<string[][]>): void {
  switch (node.kind) {
    case 'seq':
      for (const item of node.items) collectWords(item, out, done);
      return;
    case 'alt':
      for (const option of node.options) collectWords(option, out, done);
      return;
    case 'word':
      if (done.has(node.forms)) return;
      done.add(node.forms);
      for (const form of node.forms) for (const token of form) out.add(token);
      return;
    case 'any':
      return;
  }
}

/**
 * From raw hits to findings' spans: at each start the longest phrase wins; a phrase inside
 * another reported phrase is dropped; a phrase overlapping one of its rule's exceptions or
 * an allowed phrase is dropped.
 */
export function resolveHits(hits: Hit[]): PhraseMatch[] {
  if (hits.length === 0) return [];
  const allows: Hit[] = [];
  const exceptions = new Map<number, Hit[]>();
  const candidates: Hit[] = [];
  for (const h of hits) {
    if (h.entry.kind === EntryKind.Allow) allows.push(h);
    else if (h.entry.kind === EntryKind.Exception) {
      let list = exceptions.get(h.entry.rule);
      if (!list) exceptions.set(h.entry.rule, (list = []));
      list.push(h);
    } else candidates.push(h);
  }
  candidates.sort((a, b) => a.first - b.first || b.last - a.last || a.entry.rule - b.entry.rule);
  const out: PhraseMatch[] = [];
  let coveredUntil = -1;
  let lastStart = -1;
  for (const c of candidates) {
    const overlaps = (x: Hit) => x.first <= c.last && c.first <= x.last;
    if (allows.some(overlaps)) continue;
    if (exceptions.get(c.entry.rule)?.some(overlaps)) continue;
    if (c.first === lastStart) continue; // a longer phrase already starts here
    if (c.last <= coveredUntil) continue; // inside a reported phrase
    out.push({ rule: c.entry.rule, first: c.first, last: c.last, suggestions: c.entry.suggestions });
    lastStart = c.first;
    coveredUntil = Math.max(coveredUntil, c.last);
  }
  return out;
}
