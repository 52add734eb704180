import { britishToAmerican } from './normalize.js';
import { BARRIER_TOKEN, normalizeCached, PLACEHOLDER_TOKEN, TOKEN_WORD_RANGES } from './tokenize.js';

/**
 * The prefilter's tokenizer: the same tokens as `forEachToken` (tokenize.ts), except that
 * a word no phrase contains comes out as OTHER_WORD, and it allocates nothing for it.
 *
 * The prefilter reads every byte of a template library, and a regex pass that makes a string
 * of every word (then hashes it for a Map lookup) cost ~60% of it. This is a hand-written
 * character loop — no library tokenizes against a fixed vocabulary without allocating — that
 * hashes each word as it goes and looks it up in an open-addressing table of the words the
 * phrases use. Only words with an apostrophe (contractions: a few per cent) are cut out and
 * normalized the usual way.
 *
 * It must produce exactly the tokens of TOKEN_RE + `emit`, with unknown words folded into
 * OTHER_WORD: test/engine/word-scan.test.ts compares both on every BMP character, the corpus
 * and generated text.
 */

/** Stands for every word that no pattern contains: it never matches a literal, only `*`. */
export const OTHER_WORD = '\u0002';

export interface TokenSink {
  /**
   * One token and the text it comes from, [start, end) (a barrier's is empty, at its
   * character; the parts of a contraction share the word's); true stops the scan.
   */
  push(token: string, start: number, end: number): boolean;
}

/** The words of a set of phrases, each mapped from its written forms to its token. */
export class Vocabulary {
  private readonly keys: Array<string | undefined>;
  private readonly tokens: string[];
  private readonly mask: number;

  constructor(words: Iterable<string>) {
    const pairs: Array<[string, string]> = [];
    for (const token of words) {
      pairs.push([token, token]);
      // Text goes through britishToAmerican before it meets a pattern token: its -ise
      // spellings must find the token too.
      for (const written of britishSpellings(token)) pairs.push([written, token]);
    }
    let size = 64;
    while (size < pairs.length * 4) size *= 2;
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.tokens = new Array<string>(size).fill(OTHER_WORD);
    this.mask = size - 1;
    for (const [written, token] of pairs) {
      let slot = hashWord(written, 0, written.length) & this.mask;
      while (this.keys[slot] !== undefined && this.keys[slot] !== written) slot = (slot + 1) & this.mask;
      this.keys[slot] = written;
      this.tokens[slot] = token;
    }
  }

  /** The token for `text[start, end)` (whose hash is `hash`), or OTHER_WORD. */
  find(text: string, start: number, end: number, hash: number): string {
    const length = end - start;
    let slot = hash & this.mask;
    for (;;) {
      const key = this.keys[slot];
      if (key === undefined) return OTHER_WORD;
      if (key.length === length && sameChars(key, text, start)) return this.tokens[slot];
      slot = (slot + 1) & this.mask;
    }
  }

  /** How many slots the table has (a power of two): the WebAssembly probe copies it slot for slot. */
  get slotCount(): number {
    return this.keys.length;
  }

  /** Every filled slot: the written form and its token (wasm-probe.ts lays its copy out the same way). */
  forEachSlot(visit: (slot: number, written: string, token: string) => void): void {
    for (let slot = 0; slot < this.keys.length; slot++) {
      const key = this.keys[slot];
      if (key !== undefined) visit(slot, key, this.tokens[slot]);
    }
  }

  /** The token for a whole normalized word, or OTHER_WORD. */
  get(word: string): string {
    return this.find(word, 0, word.length, hashWord(word, 0, word.length));
  }
}

function sameChars(key: string, text: string, start: number): boolean {
  for (let k = 0; k < key.length; k++) if (key.charCodeAt(k) !== text.charCodeAt(start + k)) return false;
  return true;
}

/** The hash the scanner computes incrementally, one character at a time. */
export function hashWord(s: string, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

const IZE_SUFFIXES = ['izations', 'ization', 'izing', 'izes', 'ized', 'ize'];

/** The -ise spellings that britishToAmerican folds into `token`. */
function britishSpellings(token: string): string[] {
  const out: string[] = [];
  // Every suffix has "iz": one native search turns away almost every word of a vocabulary
  // (built at every start, ~2,000 words for the built-in rules).
  if (!token.includes('iz')) return out;
  for (const suffix of IZE_SUFFIXES) {
    if (!token.endsWith(suffix)) continue;
    const written = token.slice(0, -suffix.length) + 'is' + suffix.slice(2);
    if (britishToAmerican(written) === token) out.push(written);
  }
  return out;
}

/**
 * Streams the tokens of a lower-cased text into `sink` (see the file comment). Returns true
 * when the sink stopped the scan. Barriers may repeat; tokens never start with one.
 */
export function scanWords(s: string, vocabulary: Vocabulary, sink: TokenSink): boolean {
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    const kind = KIND[c];
    if (kind === OTHER) {
      i++;
      continue;
    }
    if (kind === WORD) {
      // A run of word characters, joined by inner apostrophes ("we're", "customer’s").
      const start = i;
      let hash = c;
      let plain = true;
      i++;
      for (;;) {
        while (i < n) {
          const d = s.charCodeAt(i);
          if (KIND[d] !== WORD) break;
          // A modifier apostrophe is a word character, and after the first one a contraction.
          if (d === 0x2bc) plain = false;
          hash = (Math.imul(hash, 31) + d) | 0;
          i++;
        }
        if (i + 1 < n) {
          const d = s.charCodeAt(i);
          if ((d === 39 || d === 0x2019 || d === 0x2018) && KIND[s.charCodeAt(i + 1)] === WORD) {
            plain = false;
            i++;
            continue;
          }
        }
        break;
      }
      if (plain && !(i - start === 6 && s.startsWith('cannot', start))) {
        if (sink.push(vocabulary.find(s, start, i, hash), start, i)) return true;
      } else {
        const parts = normalizeCached(s.slice(start, i));
        for (let k = 0; k < parts.length; k++) if (sink.push(vocabulary.get(parts[k]), start, i)) return true;
      }
      continue;
    }
    if (kind === PLACEHOLDER) {
      if (sink.push(PLACEHOLDER_TOKEN, i, i + 1)) return true;
    } else if (kind === NEWLINE) {
      // A blank line: "\n", spaces or tabs, "\n".
      let j = i + 1;
      while (j < n) {
        const d = s.charCodeAt(j);
        if (d !== 32 && d !== 9 && d !== 13 && d !== 0xa0) break;
        j++;
      }
      if (j < n && s.charCodeAt(j) === 10) {
        if (sink.push(BARRIER_TOKEN, i, i)) return true;
        i = j + 1;
        continue;
      }
    } else if (sink.push(BARRIER_TOKEN, i, i)) {
      return true;
    }
    i++;
  }
  return false;
}

const OTHER = 0;
const WORD = 1;
const BARRIER = 2;
const PLACEHOLDER = 3;
const NEWLINE = 4;

/**
 * What each UTF-16 code unit starts, in one 64 KB table filled from ranges at load: the scanner
 * then has no branches on character ranges and no calls in its inner loop. The WebAssembly
 * probe reads a copy (wasm-probe.ts) and compares with the same values (server/assembly).
 */
export const KIND = (() => {
  const kinds = new Uint8Array(0x10000);
  for (const [from, to] of TOKEN_WORD_RANGES) kinds.fill(WORD, from, to + 1);
  for (const ch of '.!?;:"()[]{}<>|\u201c\u201d\u00ab\u00bb\u2026\u2029\ue001') kinds[ch.charCodeAt(0)] = BARRIER;
  kinds[0xe000] = PLACEHOLDER;
  kinds[10] = NEWLINE;
  return kinds;
})();
