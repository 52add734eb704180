import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRuleSet } from '../../src/engine/ruleset.js';
import { builtinPatterns, builtinRules } from '../../src/rules/builtin.js';
import { EntryKind, PhraseMatcher } from '../../src/engine/matcher.js';
import { expandPattern, WILDCARD } from '../../src/engine/pattern.js';
import { roughProse } from '../../src/engine/prefilter.js';
import { PROBE_LIMITS, TOKENS_MAX_LENGTH } from '../../src/engine/wasm-probe.js';
import { extractProse } from '../../src/formats/index.js';
import { detectFormat } from '../../src/formats/index.js';

/**
 * The prefilter's probe runs as WebAssembly (server/assembly/phrase-probe.ts) with the
 * JavaScript probe as its reference and fallback: both must answer the same on real and
 * generated text, and the WebAssembly one must really be the one answering.
 */
const ROOT = path.resolve(__dirname, '../../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus/real');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? (e as any).path, e.name));
}

/** Two matchers over the same phrases: one probing with WebAssembly, one with JavaScript only. */
function pair(make: () => PhraseMatcher): { wasm: PhraseMatcher; js: PhraseMatcher } {
  const wasm = make();
  const js = make();
  js.useWasm = false;
  return { wasm, js };
}

let sets = 0;
/** The built-in rules' matcher, compiled anew (compileRuleSet caches by key). */
function builtin(): () => PhraseMatcher {
  return () => compileRuleSet(builtinRules, {}, `wasm-probe-test-${sets++}`, builtinPatterns).matcher;
}

function usesWasm(m: PhraseMatcher): boolean {
  return (m as unknown as { wasmProbe?: object | null }).wasmProbe != null;
}

/** A matcher over `patterns`, and over `sequences` taken token by token (a placeholder token can only be given so). */
function custom(patterns: string[], sequences: string[][] = []): () => PhraseMatcher {
  return () => {
    const m = new PhraseMatcher();
    patterns.forEach((p, i) => {
      for (const s of expandPattern(p)) m.add(s, { kind: EntryKind.Match, rule: i });
    });
    for (const s of sequences) m.add(s, { kind: EntryKind.Match, rule: patterns.length });
    return m;
  };
}

describe('WebAssembly phrase probe', () => {
  it('is the probe that answers (the module loads and builds its tables)', () => {
    const { wasm } = pair(builtin());
    expect(wasm.hasMatch('As per our policy, no.')).toBe(true);
    expect(usesWasm(wasm)).toBe(true);
    expect(wasm.hasMatch('The refund went out on Monday.')).toBe(false);
  });

  it('answers as the JavaScript probe on every real template, in every reading the prefilter makes', () => {
    const { wasm, js } = pair(builtin());
    const files = [...filesUnder(CORPUS), ...filesUnder(path.join(ROOT, 'test-fixtures')), ...filesUnder(path.join(ROOT, 'examples'))];
    expect(files.length).toBeGreaterThan(300);
    let hits = 0;
    const differ: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const reading of [text, roughProse(text, detectFormat(file, text))]) {
        const answer = wasm.hasMatch(reading);
        if (answer !== js.hasMatch(reading)) differ.push(path.relative(ROOT, file));
        if (answer) hits++;
      }
    }
    expect(differ).toEqual([]);
    expect(hits).toBeGreaterThan(50);
    expect(usesWasm(wasm)).toBe(true);
  });

  it('answers as the JavaScript probe on generated text: contractions, -ise spellings, placeholders, barriers, blank lines', () => {
    const { wasm, js } = pair(builtin());
    const pieces = ['per', 'our', 'policy', 'Per Our', 'we', "we're", 'we\u2019re', "We'Re", 'are', 'unable', 'to', 'cannot', 'CANNOT', "can't", 'apologise', 'apologize', 'for', 'any', 'inconvenience', 'the', 'thank', 'you', 'your', 'patience', 'do', 'not', "don't", 'hesitate', 'dear', 'valued', 'customer', 'rest', 'assured', '\uE000', '.', '!', ',', '\n', '\n\n', '\n \t\n', '\u00a0', ' ', 'caf\u00e9', '\u0130', 'x', "it's", "o'", "'", '\u2019', '\u02bc', 'sir', 'madam', 'kindly', 'note', 'that', 'earliest', 'convenience', '\u2029'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 24 }), fc.constantFrom('', ' '), (parts, glue) => {
        const text = parts.join(glue);
        expect(wasm.hasMatch(text), JSON.stringify(text)).toBe(js.hasMatch(text));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000), seed: 11 },
    );
    expect(usesWasm(wasm)).toBe(true);
  });

  it('follows wildcards, a wildcard first, optional words and placeholders in patterns', () => {
    const { wasm, js } = pair(custom(['* is our policy', 'sorry for the * inconvenience', 'we (really)? regret'], [['thanks', '\uE000', 'for', 'waiting'], [WILDCARD, WILDCARD]]));
    const texts = ['This is our policy.', 'sorry for the big inconvenience', 'sorry for the inconvenience', 'we regret it', 'we really regret it', 'thanks \uE000 for waiting', 'a', 'a b', 'a. b', '\uE000 b', 'b \uE000'];
    for (const t of texts) expect(wasm.hasMatch(t), t).toBe(js.hasMatch(t));
    expect(wasm.hasMatch('a b')).toBe(true);
    expect(wasm.hasMatch('a')).toBe(false);
    expect(usesWasm(wasm)).toBe(true);
  });

  it('sees a pattern added after it built its tables', () => {
    const m = custom(['per our policy'])();
    expect(m.hasMatch('at your earliest convenience')).toBe(false);
    for (const s of expandPattern('earliest convenience')) m.add(s, { kind: EntryKind.Match, rule: 1 });
    expect(m.hasMatch('at your earliest convenience')).toBe(true);
    expect(usesWasm(m)).toBe(true);
  });

  it('hands the text to the JavaScript probe when its tables are full', () => {
    const saved = { ...PROBE_LIMITS };
    try {
      PROBE_LIMITS.liveStates = 2;
      const { wasm, js } = pair(custom(['a b c d', 'b c d e', 'c d e f']));
      for (const t of ['a b c d e f', 'x b c d', 'c d e x']) expect(wasm.hasMatch(t), t).toBe(js.hasMatch(t));
      PROBE_LIMITS.liveStates = saved.liveStates;
      PROBE_LIMITS.nodes = 5;
      const small = pair(builtin());
      for (const t of ['As per our policy, no.', 'Do not hesitate to contact us.', 'Nothing here.']) expect(small.wasm.hasMatch(t), t).toBe(small.js.hasMatch(t));
    } finally {
      Object.assign(PROBE_LIMITS, saved);
    }
  });

  it('hands the text to the JavaScript probe when its memory will not grow', () => {
    const { wasm, js } = pair(builtin());
    expect(wasm.hasMatch('Kindly note the change.')).toBe(true);
    const probe = (wasm as unknown as { wasmProbe: { exports: { memory: WebAssembly.Memory } } }).wasmProbe;
    const grow = probe.exports.memory.grow;
    probe.exports.memory.grow = () => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    };
    try {
      const long = 'Nothing to see. '.repeat(200_000) + 'Kindly note the change.';
      expect(wasm.hasMatch(long)).toBe(js.hasMatch(long));
      expect(wasm.hasMatch('Per our policy, no.')).toBe(true);
      expect(wasm.hasMatch('Nothing to see.')).toBe(false);
    } finally {
      probe.exports.memory.grow = grow;
    }
  });

  it('answers on long text that grows its memory', () => {
    const { wasm, js } = pair(builtin());
    const filler = 'The refund went out on Monday and the parcel is on its way. '.repeat(40_000);
    for (const t of [filler, filler + 'Please do not hesitate to reach out.', 'Kindly note ' + filler]) expect(wasm.hasMatch(t)).toBe(js.hasMatch(t));
    expect(wasm.hasMatch(filler + 'Please do not hesitate to reach out.')).toBe(true);
    // Past 2M characters the probe is not kept (its memory cannot shrink); the next text makes a new one.
    expect(usesWasm(wasm)).toBe(false);
    expect(wasm.hasMatch('Please do not hesitate to reach out.')).toBe(true);
    expect(usesWasm(wasm)).toBe(true);
  });
});

/** The WebAssembly tokens, or undefined where the matcher fell back to scanWords. */
function wasmTokens(m: PhraseMatcher, text: string) {
  const probe = (m as unknown as { wasmProbe?: { tokens(lower: string): unknown } | null }).wasmProbe;
  return probe?.tokens(text.toLowerCase());
}

describe('WebAssembly tokens (the matcher\'s tokens of a prose region)', () => {
  it('are the tokens of scanWords on every prose region of every real template', () => {
    const { wasm, js } = pair(builtin());
    wasm.hasMatch('make the probe');
    const files = [...filesUnder(CORPUS), ...filesUnder(path.join(ROOT, 'test-fixtures')), ...filesUnder(path.join(ROOT, 'examples'))];
    let regions = 0;
    let fromWasm = 0;
    const differ: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const region of extractProse(text, detectFormat(file, text)).regions) {
        const prose = region.text.text;
        regions++;
        if (wasmTokens(wasm, prose)) fromWasm++;
        if (JSON.stringify(wasm.tokens(prose)) !== JSON.stringify(js.tokens(prose))) differ.push(path.relative(ROOT, file));
      }
    }
    expect(differ).toEqual([]);
    expect(regions).toBeGreaterThan(1000);
    // Only regions whose lower-casing changes their length, and very long ones, go to scanWords.
    expect(fromWasm).toBeGreaterThan(regions * 0.99);
  });

  it('are the tokens of scanWords on generated text: contractions, -ise spellings, placeholders, barriers, blank lines', () => {
    const { wasm, js } = pair(builtin());
    wasm.hasMatch('make the probe');
    const pieces = ['per', 'our', 'policy', 'Per Our', "we're", 'we\u2019re', "We'Re", 'cannot', 'CANNOT', "can't", "won't", "y'all", 'apologise', 'apologize', 'inconvenience', 'the', 'you', '\uE000', '.', '!', ',', '\n', '\n\n', '\n \t\n', '\n\r\n', '\u00a0', ' ', 'caf\u00e9', 'x', "it's", "o'", "'", '\u2019', '\u02bc', 'don\u02bct', '\u2029', '(', '\u201c', 'zzz', '123'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 24 }), fc.constantFrom('', ' '), (parts, glue) => {
        const text = parts.join(glue);
        expect(wasmTokens(wasm, text), JSON.stringify(text)).toBeDefined();
        expect(JSON.stringify(wasm.tokens(text)), JSON.stringify(text)).toBe(JSON.stringify(js.tokens(text)));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000), seed: 12 },
    );
  });

  it('leave long regions and length-changing lower-casing to scanWords, with the same result', () => {
    const { wasm, js } = pair(builtin());
    wasm.hasMatch('make the probe');
    const long = 'Thank you for your patience. '.repeat(Math.ceil(TOKENS_MAX_LENGTH / 29) + 1);
    expect(wasmTokens(wasm, long)).toBeUndefined();
    expect(JSON.stringify(wasm.tokens(long))).toBe(JSON.stringify(js.tokens(long)));
    const turkish = '\u0130stanbul: per our policy.';
    expect(JSON.stringify(wasm.tokens(turkish))).toBe(JSON.stringify(js.tokens(turkish)));
    // A text just inside the limit is tokenized here, and the probe still answers after it.
    const inside = 'Kindly note: '.repeat(Math.floor(TOKENS_MAX_LENGTH / 13));
    expect(wasmTokens(wasm, inside)).toBeDefined();
    expect(JSON.stringify(wasm.tokens(inside))).toBe(JSON.stringify(js.tokens(inside)));
    expect(wasm.hasMatch('As per our policy, no.')).toBe(true);
    expect(usesWasm(wasm)).toBe(true);
  });
});
