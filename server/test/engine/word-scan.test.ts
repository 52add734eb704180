import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roughProse } from '../../src/engine/prefilter.js';
import { BARRIER_TOKEN, forEachToken, TOKEN_WORD_CLASS, TOKEN_WORD_RANGES } from '../../src/engine/tokenize.js';
import { OTHER_WORD, scanWords, Vocabulary } from '../../src/engine/word-scan.js';
import { detectFormat } from '../../src/formats/index.js';

/**
 * The prefilter's character scanner must see exactly the tokens of the regex tokenizer,
 * with the words no phrase uses folded into OTHER_WORD (and barriers possibly repeated).
 */
const CORPUS = path.resolve(__dirname, '../../../../shared/corpus/real');

const VOCABULARY_WORDS = ['we', 'are', 'unable', 'to', 'can', 'not', 'is', 'it', 'apologize', 'organizations', 'realized', 'per', 'our', 'policy', 'caf\u00e9', 'o\'clock', '\u00fcber'];

function viaRegex(text: string, vocabulary: Vocabulary, withPositions = false): string[] {
  const out: string[] = [];
  forEachToken(text, (t, start, end) => {
    const token = t === BARRIER_TOKEN || t === '\uE000' ? t : vocabulary.get(t);
    out.push(withPositions ? `${token}@${start}-${end}` : token);
  });
  return out;
}

function viaScan(text: string, vocabulary: Vocabulary, withPositions = false): string[] {
  const out: string[] = [];
  let last = BARRIER_TOKEN;
  scanWords(text.toLowerCase(), vocabulary, {
    push(t, start, end) {
      // The regex tokenizer drops a barrier after a barrier, and never starts with one.
      if (t === BARRIER_TOKEN && last === BARRIER_TOKEN) return false;
      last = t;
      out.push(withPositions ? `${t}@${start}-${end}` : t);
      return false;
    },
  });
  return out;
}

describe('word scanner', () => {
  const vocabulary = new Vocabulary(VOCABULARY_WORDS);

  it('classifies every BMP character as the regex word class does', () => {
    const re = new RegExp(`^[${TOKEN_WORD_CLASS}]$`);
    const inRanges = (c: number) => TOKEN_WORD_RANGES.some(([from, to]) => c >= from && c <= to);
    const wrong: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      if (inRanges(c) !== re.test(String.fromCharCode(c))) wrong.push(c.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('maps words to the vocabulary, -ise spellings and contractions included', () => {
    expect(viaScan("We're unable. We cannot apologise: organisations realised it's café o'clock", vocabulary)).toEqual([
      'we', 'are', 'unable', BARRIER_TOKEN, 'we', 'can', 'not', 'apologize', BARRIER_TOKEN, 'organizations', 'realized', 'it', 'is', 'caf\u00e9', "o'clock",
    ]);
    expect(viaScan('Refund requested', vocabulary)).toEqual([OTHER_WORD, OTHER_WORD]);
    expect(viaScan('a\n \t\nb {{x}} \uE000 c\u2026d \u2019tis', vocabulary)).toEqual(viaRegex('a\n \t\nb {{x}} \uE000 c\u2026d \u2019tis', vocabulary));
  });

  it('agrees with the regex tokenizer on the real corpus', () => {
    const files = readdirSync(CORPUS).filter((f) => f !== 'MANIFEST.tsv');
    expect(files.length).toBeGreaterThan(300);
    for (const f of files) {
      const text = readFileSync(path.join(CORPUS, f), 'utf8');
      const rough = roughProse(text, detectFormat(f, text));
      if (rough.toLowerCase().length !== rough.length) continue;
      expect(viaScan(rough, vocabulary, true), f).toEqual(viaRegex(rough, vocabulary, true));
    }
  });

  it('agrees with the regex tokenizer on generated text', () => {
    const pieces = ['we', 'We', 'are', "'", '\u2019', '\u2018', '\u02bc', 're', 'cannot', 'CANNOT', 'apologise', 'organisations', 'caf\u00e9', '\u00dcber', 'o', 'clock', ' ', '\n', '\n\n', '\t', '\u00a0', '.', ',', '-', '\u2026', '\u201c', '\u00ab', '\uE000', '\uE001', '\u2029', '\ud83d\ude00', '42', '_', '`', 'x\u0301'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        if (text.toLowerCase().length !== text.length) return;
        expect(viaScan(text, vocabulary, true)).toEqual(viaRegex(text, vocabulary, true));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000), seed: 11 },
    );
  });
});
