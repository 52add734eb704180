import { expect } from 'vitest';
import type { ExtractResult, ProseRegion } from '../../src/engine/types.js';
import { BARRIER_CHAR, PLACEHOLDER_CHAR, TAG_BREAK_CHAR } from '../../src/engine/types.js';

export interface Hit {
  region: ProseRegion;
  regionIndex: number;
  /** Range in the region text. */
  start: number;
  end: number;
  /** Range in the source. */
  s: number;
  e: number;
}

function phraseRegex(phrase: string): RegExp {
  // Whitespace in the phrase matches any run of whitespace (line breaks, indentation).
  const body = phrase
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  return new RegExp(body, 'giu');
}

/** Every occurrence of `phrase` (case-insensitive, any whitespace) in the regions, mapped to the source. */
export function findAll(result: ExtractResult, phrase: string): Hit[] {
  const hits: Hit[] = [];
  result.regions.forEach((region, regionIndex) => {
    const re = phraseRegex(phrase);
    for (const m of region.text.text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      const [s, e] = region.text.rangeToSource(start, end);
      hits.push({ region, regionIndex, start, end, s, e });
    }
  });
  return hits;
}

/** The source text a phrase maps to (exactly one occurrence expected). */
export function sourceOf(source: string, result: ExtractResult, phrase: string): string {
  const hits = findAll(result, phrase);
  expect(hits, `"${phrase}" should occur once in ${JSON.stringify(result.regions.map((r) => r.text.text))}`).toHaveLength(1);
  return source.slice(hits[0].s, hits[0].e);
}

/** Expect the phrase to map to `raw` starting at `offset`. */
export function expectMapped(source: string, result: ExtractResult, phrase: string, raw: string, offset?: number): Hit {
  const hits = findAll(result, phrase);
  expect(hits, `"${phrase}" should occur once in ${JSON.stringify(result.regions.map((r) => r.text.text))}`).toHaveLength(1);
  const hit = hits[0];
  expect(source.slice(hit.s, hit.e)).toBe(raw);
  if (offset !== undefined) expect(hit.s).toBe(offset);
  return hit;
}

/** All region texts joined, with markers made visible: PLACEHOLDER → §, BARRIER → ¶, a masked control tag's TAG_BREAK → a space, runs of spaces → one. */
export function visible(result: ExtractResult | { text: { text: string } }): string {
  const texts = 'regions' in result ? result.regions.map((r) => r.text.text) : [result.text.text];
  return texts
    .map((t) =>
      t
        .replaceAll(PLACEHOLDER_CHAR, '§')
        .replaceAll(BARRIER_CHAR, '¶')
        .replaceAll(TAG_BREAK_CHAR, ' ')
        .replace(/[ \t]+/g, ' ')
        .replace(/ *\n[\s]*/g, '\n')
        .replace(/§ (?=[,.!?;:)'"])/g, '§')
        .replace(/\s*¶\s*/g, '¶')
        .replace(/¶[\s¶]*¶/g, '¶')
        .trim(),
    )
    .join(' | ');
}

/** Every mapped range of every region lies inside the source, and maps are monotonic. */
export function expectMapsInside(source: string, result: ExtractResult): void {
  for (const region of result.regions) {
    const t = region.text;
    const n = t.text.length;
    let prev = -1;
    for (const seg of t.getSegments()) {
      expect(seg.s).toBeGreaterThanOrEqual(0);
      expect(seg.s + seg.sLen).toBeLessThanOrEqual(source.length);
      expect(seg.t + seg.tLen).toBeLessThanOrEqual(n);
      expect(seg.s).toBeGreaterThanOrEqual(prev);
      prev = seg.s;
    }
    for (const [a, b] of [
      [0, n],
      [0, Math.floor(n / 2)],
      [Math.floor(n / 3), n],
    ]) {
      const [s, e] = t.rangeToSource(a, b);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(e).toBeLessThanOrEqual(source.length);
      expect(e).toBeGreaterThanOrEqual(s);
    }
  }
  for (const p of result.problems) {
    expect(p.offset).toBeGreaterThanOrEqual(0);
    expect(p.endOffset).toBeGreaterThanOrEqual(p.offset);
    expect(p.endOffset).toBeLessThanOrEqual(source.length);
  }
}

/** Source characters that a copy segment claims to copy are really those characters. */
export function expectCopiesFaithful(source: string, result: ExtractResult): void {
  for (const region of result.regions) {
    const text = region.text.text;
    for (const seg of region.text.getSegments()) {
      if (!seg.copy) continue;
      const got = text.slice(seg.t, seg.t + seg.tLen);
      const raw = source.slice(seg.s, seg.s + seg.sLen);
      // A copy-like segment is either the source itself or a same-length mask of it.
      for (let i = 0; i < got.length; i++) {
        if (got[i] !== raw[i] && got[i] !== ' ' && got[i] !== PLACEHOLDER_CHAR && got[i] !== BARRIER_CHAR && got[i] !== TAG_BREAK_CHAR) {
          throw new Error(`segment copies ${JSON.stringify(raw)} as ${JSON.stringify(got)}`);
        }
      }
    }
  }
}
