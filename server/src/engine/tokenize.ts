import { normalizeWord } from './normalize.js';
import { BARRIER_CHAR, PLACEHOLDER_CHAR } from './types.js';

/**
 * A flat token stream for the phrase matcher. This is deliberately not the nlcst tree:
 * the matcher must scan every byte of a template library, and a single linear pass over
 * the string costs a fraction of a full parse. The nlcst tree is built afterwards, only
 * around the few places where a phrase matched (see context.ts).
 */

/** Token kinds, stored in `Tokens.norm`: a normalized word, or one of these markers. */
export const PLACEHOLDER_TOKEN = '\uE000';
/** Ends a phrase: sentence punctuation, quotes, brackets, a blank line, a block boundary. */
export const BARRIER_TOKEN = '\u0000';

export interface Tokens {
  norm: string[];
  /** Start/end offsets in the region text of the written word each token comes from. */
  start: number[];
  end: number[];
}

const WORD_RE = /[\p{L}\p{N}\p{M}]/u;

function isWordChar(code: number, ch: string): boolean {
  if (code < 128) {
    return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
  }
  if (ch === PLACEHOLDER_CHAR || ch === BARRIER_CHAR) return false;
  return WORD_RE.test(ch);
}

function isApostrophe(code: number): boolean {
  return code === 39 || code === 0x2019 || code === 0x02bc || code === 0x2018;
}

/** Punctuation that ends a phrase. Commas, dashes, slashes, asterisks do not. */
function isHardPunctuation(code: number): boolean {
  switch (code) {
    case 46: // .
    case 33: // !
    case 63: // ?
    case 59: // ;
    case 58: // :
    case 34: // "
    case 40: // (
    case 41: // )
    case 91: // [
    case 93: // ]
    case 123: // {
    case 125: // }
    case 60: // <
    case 62: // >
    case 124: // |
    case 0x201c: // “
    case 0x201d: // ”
    case 0x00ab: // «
    case 0x00bb: // »
    case 0x2026: // …
    case 0x2029: // block boundary
      return true;
    default:
      return false;
  }
}

export function tokenize(text: string): Tokens {
  const norm: string[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const n = text.length;
  let i = 0;
  let newlinesSinceToken = 0;
  const pushBarrier = (at: number) => {
    if (norm.length > 0 && norm[norm.length - 1] !== BARRIER_TOKEN) {
      norm.push(BARRIER_TOKEN);
      start.push(at);
      end.push(at);
    }
  };
  while (i < n) {
    const code = text.charCodeAt(i);
    const ch = text[i];
    if (isWordChar(code, ch) || (code >= 0xd800 && code <= 0xdbff && WORD_RE.test(text.slice(i, i + 2)))) {
      // A word: letters/digits, with inner apostrophes ("we're") kept as part of it.
      const s = i;
      i += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (isWordChar(c, text[i])) {
          i++;
        } else if (isApostrophe(c) && i + 1 < n && isWordChar(text.charCodeAt(i + 1), text[i + 1])) {
          i += 2;
        } else if (c >= 0xd800 && c <= 0xdbff && WORD_RE.test(text.slice(i, i + 2))) {
          i += 2;
        } else {
          break;
        }
      }
      // A trailing apostrophe of a plural possessive ("customers'") belongs to the word.
      const word = text.slice(s, i);
      const parts = normalizeWord(word);
      for (const p of parts) {
        norm.push(p);
        start.push(s);
        end.push(i);
      }
      newlinesSinceToken = 0;
      continue;
    }
    if (ch === PLACEHOLDER_CHAR) {
      norm.push(PLACEHOLDER_TOKEN);
      start.push(i);
      end.push(i + 1);
      newlinesSinceToken = 0;
      i++;
      continue;
    }
    if (code === 10) {
      newlinesSinceToken++;
      if (newlinesSinceToken >= 2) pushBarrier(i);
      i++;
      continue;
    }
    if (isHardPunctuation(code)) {
      // A period inside a number or an abbreviation-like token still ends the phrase;
      // phrases never need to span one.
      pushBarrier(i);
      i++;
      continue;
    }
    i++;
  }
  return { norm, start, end };
}
