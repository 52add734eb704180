import { britishToAmerican, normalizeWord } from './normalize.js';

/**
 * A flat token stream for the phrase matcher. This is deliberately not the nlcst tree:
 * the matcher must scan every byte of a template library, and a single linear pass over
 * the string costs a fraction of a full parse. The nlcst tree is built afterwards, only
 * around the few places where a phrase matched (see context.ts).
 */

/** Token kinds, stored in `Tokens.norm`: a normalized word, or one of these markers. */
export const PLACEHOLDER_TOKEN = '\uE000';
/** Ends a phrase: sentence punctuation, quotes, brackets, a blank line, a block boundary, a masked control tag. */
export const BARRIER_TOKEN = '\u0000';

export interface Tokens {
  norm: string[];
  /** Start/end offsets in the region text of the written word each token comes from. */
  start: number[];
  end: number[];
}

/**
 * One regex pass finds words, placeholders, hard punctuation and blank lines, with their
 * offsets, for the matcher (on the prose regions of the few files the prefilter lets
 * through; the prefilter itself scans characters, see word-scan.ts). Each distinct written
 * word is normalized once and memoized: template libraries repeat the same few thousand
 * words endlessly.
 */
// Word characters (W): ASCII letters and digits plus the BMP letter and mark blocks, written as
// explicit ranges rather than \p{L} because V8 runs a plain character class several times
// faster. General punctuation (’ “ ” … and the block boundary U+2029), the placeholder
// U+E000, the BOM and surrogates (emoji) are deliberately outside it. Upper-case letters
// are included for texts whose lower-casing changes length (then the text is scanned as is).
// The ranges make both this regex class and the prefilter's character table (word-scan.ts).
export const TOKEN_WORD_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x61, 0x7a],
  [0xaa, 0xaa],
  [0xb5, 0xb5],
  [0xba, 0xba],
  [0xc0, 0xd6],
  [0xd8, 0xf6],
  [0xf8, 0x1fff],
  [0x2070, 0x2fff],
  [0x3040, 0xd7ff],
  [0xf900, 0xfdff],
  [0xfe70, 0xfefe],
  [0xff10, 0xffdc],
];

const hex = (c: number) => `\\u${c.toString(16).padStart(4, '0')}`;
export const TOKEN_WORD_CLASS = TOKEN_WORD_RANGES.map(([from, to]) => (from === to ? hex(from) : `${hex(from)}-${hex(to)}`)).join('');
const W = TOKEN_WORD_CLASS;
const TOKEN_RE = new RegExp(`[${W}]+(?:['\\u2019\\u02bc\\u2018][${W}]+)*|\\uE000|\\n[ \\t\\r\\u00a0]*\\n|[.!?;:"()[\\]{}<>|\\u201c\\u201d\\u00ab\\u00bb\\u2026\\u2029\\uE001]`, 'g');

const memo = new Map<string, string[]>();
const MEMO_LIMIT = 200_000;

/** normalizeWord, memoized: template libraries repeat the same few thousand words endlessly. */
export function normalizeCached(word: string): string[] {
  let parts = memo.get(word);
  if (parts === undefined) {
    parts = normalizeWord(word);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(word, parts);
  }
  return parts;
}

export function tokenize(text: string): Tokens {
  const norm: string[] = [];
  const start: number[] = [];
  const end: number[] = [];
  forEachToken(text, (t, s, e) => {
    norm.push(t);
    start.push(s);
    end.push(e);
  });
  return { norm, start, end };
}

/** What a raw token is: a word, the placeholder, or punctuation/blank line that ends a phrase (or neither). */
const enum Kind {
  Word,
  Placeholder,
  Barrier,
}

function kindOf(tok: string): Kind {
  const c = tok.charCodeAt(0);
  if (tok.length === 1 && (c < 48 || (c > 57 && c < 65) || (c > 90 && c < 97) || c > 122)) {
    if (c === 0xe000) return Kind.Placeholder;
    if ((c < 0xc0 && c !== 0xaa && c !== 0xb5 && c !== 0xba) || c === 0x201c || c === 0x201d || c === 0x2026 || c === 0x2029 || c === 0xe001) return Kind.Barrier;
    return Kind.Word;
  }
  if (c === 10) return Kind.Barrier;
  return Kind.Word;
}

type Visit = (token: string, start: number, end: number) => boolean | void;

/** What one scan remembers between raw tokens: the last token emitted (to drop repeated barriers). */
interface ScanState {
  last: string;
}

/**
 * One raw token (a regex match at `s`) into normalized tokens for `visit`; true when `visit`
 * asks to stop. `lowered`: the token comes from a lower-cased text, so a plain word is its
 * own token without a memo lookup.
 */
function emit(tok: string, s: number, lowered: boolean, state: ScanState, visit: Visit): boolean {
  const kind = kindOf(tok);
  if (kind === Kind.Placeholder) {
    state.last = PLACEHOLDER_TOKEN;
    return !!visit(PLACEHOLDER_TOKEN, s, s + 1);
  }
  if (kind === Kind.Barrier) {
    if (state.last === BARRIER_TOKEN) return false;
    state.last = BARRIER_TOKEN;
    return !!visit(BARRIER_TOKEN, s, s);
  }
  const e = s + tok.length;
  if (lowered && !hasApostrophe(tok) && tok !== 'cannot') {
    // The common case: a lower-case word with no contraction is its own token (up to
    // the -ise spelling fold).
    const t = britishToAmerican(tok);
    state.last = t;
    return !!visit(t, s, e);
  }
  const parts = normalizeCached(tok);
  for (let k = 0; k < parts.length; k++) {
    if (visit(parts[k], s, e)) return true;
  }
  state.last = parts[parts.length - 1];
  return false;
}

/**
 * Streams the tokens of a text: normalized words, PLACEHOLDER_TOKEN and BARRIER_TOKEN (never
 * first, never twice in a row). `visit` returns true to stop early.
 */
export function forEachToken(text: string, visit: Visit): void {
  const re = new RegExp(TOKEN_RE);
  // Scanning a lower-cased copy lets the memo key on the lower-case word. If lower-casing
  // changes the length (e.g. "İ"), offsets would shift: scan the original instead.
  const lower = text.toLowerCase();
  const lowered = lower.length === text.length;
  const src = lowered ? lower : text;
  const state: ScanState = { last: BARRIER_TOKEN };
  let m: RegExpExecArray | null;
  while ((m = re.exec(src)) !== null) {
    if (emit(m[0], m.index, lowered, state, visit)) return;
  }
}

function hasApostrophe(word: string): boolean {
  for (let i = 1; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c === 39 || c === 0x2019 || c === 0x02bc || c === 0x2018) return true;
  }
  return false;
}
