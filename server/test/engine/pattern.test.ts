import { describe, expect, it } from 'vitest';
import { expandPattern, PatternError, WILDCARD } from '../../src/engine/pattern.js';
import { normalizeWord } from '../../src/engine/normalize.js';

const seqs = (p: string) => expandPattern(p).map((s) => s.join(' '));

describe('pattern expansion', () => {
  it('expands groups, optional words and groups', () => {
    expect(seqs('(as)? per (our|the) policy')).toEqual(['per our policy', 'per the policy', 'as per our policy', 'as per the policy']);
    expect(seqs('we value? you')).toEqual(['we you', 'we value you']);
  });
  it('expands inflections with ~', () => {
    expect(seqs('our polic~')).toContain('our polic');
    expect(seqs('our policy~')).toEqual(expect.arrayContaining(['our policy', 'our policies']));
    expect(seqs('apologize~')).toEqual(expect.arrayContaining(['apologize', 'apologizes', 'apologized', 'apologizing']));
    expect(seqs('stop~')).toEqual(expect.arrayContaining(['stopped', 'stopping']));
  });
  it('normalizes pattern words like text: contractions, British spelling, hyphens', () => {
    expect(seqs("we're unable")).toEqual(['we are unable']);
    expect(seqs("can't")).toEqual(['can not']);
    expect(seqs('apologise')).toEqual(['apologize']);
    expect(seqs('low-level staff')).toEqual(['low level staff']);
  });
  it('supports a one-word wildcard', () => {
    expect(expandPattern('sorry for the * inconvenience')[0]).toEqual(['sorry', 'for', 'the', WILDCARD, 'inconvenience']);
  });
  it('rejects bad syntax and patterns that would match anything', () => {
    expect(() => expandPattern('(per our')).toThrow(PatternError);
    expect(() => expandPattern('*')).toThrow(/any word/);
    expect(() => expandPattern('per our )')).toThrow(PatternError);
    expect(() => expandPattern('(a|b|c|d|e|f|g|h|i|j) '.repeat(6))).toThrow(/more than/);
  });
});

describe('word normalization', () => {
  it.each([
    ["We're", ['we', 'are']],
    ['we’re', ['we', 'are']],
    ["DON'T", ['do', 'not']],
    ['cannot', ['can', 'not']],
    ["won't", ['will', 'not']],
    ["it's", ['it', 'is']],
    ["company's", ["company's"]],
    ["customers'", ['customers']],
    ['prioritise', ['prioritize']],
    ["I'm", ['i', 'am']],
  ])('%s → %j', (word, expected) => {
    expect(normalizeWord(word)).toEqual(expected);
  });
});
