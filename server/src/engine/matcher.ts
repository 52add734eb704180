import { WILDCARD } from './pattern.js';
import { BARRIER_TOKEN, forEachToken, PLACEHOLDER_TOKEN, type Tokens } from './tokenize.js';

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
}

interface TrieNode {
  next: Map<string, TrieNode>;
  any?: TrieNode;
  entries?: number[];
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
}

export class PhraseMatcher {
  private readonly root: TrieNode = { next: new Map() };
  private readonly entries: Entry[] = [];
  /** Every first word of a phrase, for a cheap skip of tokens that start nothing. */
  private hasWildcardStart = false;

  add(sequence: string[], entry: Entry): void {
    let node = this.root;
    for (const token of sequence) {
      if (token === WILDCARD) {
        node.any ??= { next: new Map() };
        node = node.any;
        if (node === this.root.any) this.hasWildcardStart = true;
      } else {
        let child = node.next.get(token);
        if (!child) {
          child = { next: new Map() };
          node.next.set(token, child);
        }
        node = child;
      }
    }
    const index = this.entries.length;
    this.entries.push(entry);
    (node.entries ??= []).push(index);
  }

  /** All hits, in order of their first token. */
  scan(tokens: Tokens): Hit[] {
    const hits: Hit[] = [];
    const norm = tokens.norm;
    const n = norm.length;
    const root = this.root;
    for (let i = 0; i < n; i++) {
      const t = norm[i];
      if (t === BARRIER_TOKEN || t === PLACEHOLDER_TOKEN) continue;
      if (!this.hasWildcardStart && !root.next.has(t)) continue;
      this.walk(root, norm, i, i, hits);
    }
    return hits;
  }

  /**
   * Does any phrase (not exception, not allowed phrase) occur in the text? Streams tokens
   * through the trie with a set of live states and stops at the first hit, building no
   * token arrays: this is the prefilter's hot loop over every byte of a library.
   */
  hasMatch(text: string): boolean {
    const root = this.root;
    let live: TrieNode[] = [];
    let next: TrieNode[] = [];
    let found = false;
    const isMatch = (node: TrieNode) => node.entries !== undefined && node.entries.some((i) => this.entries[i].kind === EntryKind.Match);
    forEachToken(text, (t) => {
      if (t === BARRIER_TOKEN) {
        live.length = 0;
        return false;
      }
      next.length = 0;
      const word = t !== PLACEHOLDER_TOKEN;
      for (let k = 0; k < live.length; k++) {
        const node = live[k];
        const child = node.next.get(t);
        if (child) next.push(child);
        if (word && node.any) next.push(node.any);
      }
      if (word) {
        const child = root.next.get(t);
        if (child) next.push(child);
        if (root.any) next.push(root.any);
      }
      for (let k = 0; k < next.length; k++) {
        if (isMatch(next[k])) {
          found = true;
          return true;
        }
      }
      const swap = live;
      live = next;
      next = swap;
      return false;
    });
    return found;
  }

  private walk(node: TrieNode, norm: string[], first: number, j: number, hits: Hit[]): void {
    // Iterative over literal edges; recursion only where a wildcard branches.
    let current: TrieNode | undefined = node;
    let k = j;
    while (current && k < norm.length) {
      const t = norm[k];
      if (t === BARRIER_TOKEN) return;
      if (current.any && t !== PLACEHOLDER_TOKEN) {
        const viaAny = current.any;
        if (viaAny.entries) this.record(viaAny, first, k, hits);
        this.walk(viaAny, norm, first, k + 1, hits);
      }
      current = current.next.get(t);
      if (current?.entries) this.record(current, first, k, hits);
      k++;
    }
  }

  private record(node: TrieNode, first: number, last: number, hits: Hit[]): void {
    for (const index of node.entries!) hits.push({ entry: this.entries[index], first, last });
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
    out.push({ rule: c.entry.rule, first: c.first, last: c.last });
    lastStart = c.first;
    coveredUntil = Math.max(coveredUntil, c.last);
  }
  return out;
}
