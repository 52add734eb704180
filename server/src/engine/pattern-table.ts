import type { PatternNode } from './pattern.js';

/**
 * The built-in patterns, parsed at build time (scripts/compile-rules.mjs writes the table
 * into server/src/rules/builtin-patterns.generated.json).
 *
 * Parsing the ~630 built-in patterns — splitting words, inflecting `word~`, normalizing each
 * form — took 15–25 ms of every CLI start and language-server start, most of it in V8's
 * interpreter because a start runs that code once. The rule set does not even decode the
 * table: the trie reads the encoding item by item as it grows (PhraseMatcher.addEncoded), which
 * took compiling the built-in rules from 14–33 ms to 4–5 ms on a cold start — the decoded trees
 * were ~2 MB of objects that every start made and the garbage collector copied. `get` decodes
 * for the tools and tests that want trees. The word forms are stored once each and shared by
 * every pattern that uses them, which is what keeps the table small (parsed trees with their
 * forms written out in full were 648 KB).
 *
 * Encoding of a pattern: its top-level sequence as an array of items, where an item is
 *   n          a word, whose token forms are `forms[n]`
 *   { o: n }   an optional word (`word?`)
 *   '*'        the wildcard
 *   { a: [sequence, …], o?: 1 }   a group of alternatives, optional with `o`
 */

export type EncodedItem = number | '*' | { o: number } | { a: EncodedItem[][]; o?: 1 };

export interface PatternTable {
  /** Distinct token-form lists of words (a word's forms: one token list per inflection). */
  forms: string[][][];
  /** Pattern source → its encoded top-level sequence. */
  patterns: Record<string, EncodedItem[]>;
}

/** Builds the table from parsed patterns (build time). */
export function encodePatternTable(parsed: Iterable<[source: string, tree: PatternNode]>): PatternTable {
  const forms: string[][][] = [];
  const formIndex = new Map<string, number>();
  const formsOf = (f: string[][]): number => {
    const key = JSON.stringify(f);
    let i = formIndex.get(key);
    if (i === undefined) {
      i = forms.length;
      forms.push(f);
      formIndex.set(key, i);
    }
    return i;
  };
  const item = (node: PatternNode): EncodedItem => {
    switch (node.kind) {
      case 'any':
        return '*';
      case 'word':
        return node.optional ? { o: formsOf(node.forms) } : formsOf(node.forms);
      case 'alt':
        return node.optional ? { a: node.options.map(sequence), o: 1 } : { a: node.options.map(sequence) };
      case 'seq':
        // A sequence inside a sequence does not come out of the parser; keep it as a one-option group.
        return { a: [sequence(node)] };
    }
  };
  const sequence = (node: PatternNode): EncodedItem[] => (node.kind === 'seq' ? node.items.map(item) : [item(node)]);
  const patterns: Record<string, EncodedItem[]> = {};
  for (const [source, tree] of parsed) patterns[source] = sequence(tree);
  return { forms, patterns };
}

/** Looks patterns up in a table, decoding each on first use. */
export class PatternTableReader {
  private readonly decoded = new Map<string, PatternNode>();

  constructor(readonly table: PatternTable) {}

  /**
   * A pattern as the table encodes it, not decoded: the matcher reads this form directly
   * (PhraseMatcher.addEncoded), so compiling the built-in rules makes no parsed tree at all.
   */
  encoded(source: string): EncodedItem[] | undefined {
    return Object.prototype.hasOwnProperty.call(this.table.patterns, source) ? this.table.patterns[source] : undefined;
  }

  get(source: string): PatternNode | undefined {
    let node = this.decoded.get(source);
    if (node) return node;
    const encoded = this.encoded(source);
    if (!encoded) return undefined;
    node = this.sequence(encoded);
    this.decoded.set(source, node);
    return node;
  }

  private sequence(items: EncodedItem[]): PatternNode {
    return { kind: 'seq', items: items.map((i) => this.item(i)) };
  }

  private item(i: EncodedItem): PatternNode {
    if (typeof i === 'number') return { kind: 'word', forms: this.table.forms[i], optional: false };
    if (i === '*') return { kind: 'any' };
    if ('a' in i) return { kind: 'alt', options: i.a.map((s) => this.sequence(s)), optional: i.o === 1 };
    return { kind: 'word', forms: this.table.forms[i.o], optional: true };
  }
}
