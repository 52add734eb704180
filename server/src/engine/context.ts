import { unified } from 'unified';
import retextEnglish from 'retext-english';
import type { Root, Sentence, Paragraph } from 'nlcst';
import { BARRIER_CHAR, TAG_BREAK_CHAR } from './types.js';

/**
 * Sentence context for a phrase match, from the nlcst tree of retext-english.
 *
 * The tree is built only for paragraphs that contain a match (the matcher's token scan is
 * the prefilter), so most of a template library is never parsed at all.
 */

export interface MatchContext {
  /** Inside quotation marks: someone else's words ("You wrote: '…'"), never flagged. */
  quoted: boolean;
  /** The match starts its sentence. */
  sentenceInitial: boolean;
}

// Made on first use: unified's set-up copies its settings deeply (~2 ms of every CLI start),
// and a run whose files hold no phrase never needs sentence context.
let processor: ReturnType<typeof makeProcessor> | undefined;
const makeProcessor = () => unified().use(retextEnglish);

interface QuoteSpan {
  start: number;
  end: number;
}

interface ParsedParagraph {
  start: number;
  end: number;
  sentences: Array<{ start: number; end: number; firstWordStart: number }>;
  quotes: QuoteSpan[];
}

/** Lazily parses the paragraphs of one region's text that contain matches. */
export class RegionContext {
  /** Parsed paragraphs by start offset. */
  private readonly parsed = new Map<number, ParsedParagraph>();
  /** Blank lines and block boundaries of the text, found in one pass when first needed. */
  private blanks: { starts: number[]; ends: number[] } | undefined;
  private last: ParsedParagraph | undefined;

  constructor(private readonly text: string) {}

  of(start: number, end: number): MatchContext {
    const para = this.paragraphAt(start);
    const quoted = para.quotes.some((q) => q.start <= start && end <= q.end);
    const sentence = para.sentences.find((s) => s.start <= start && start < s.end);
    return { quoted, sentenceInitial: sentence ? sentence.firstWordStart === start : false };
  }

  private paragraphAt(offset: number): ParsedParagraph {
    // Matches come in text order: the paragraph (or 20 KB window) of the previous one
    // usually holds this one too.
    const last = this.last;
    if (last && last.start <= offset && offset < last.end) return last;
    const [start, end] = this.paragraphBounds(offset);
    let para = this.parsed.get(start);
    if (!para || offset >= para.end) {
      para = parseParagraph(this.text.slice(start, end), start);
      this.parsed.set(start, para);
    }
    this.last = para;
    return para;
  }

  /**
   * A paragraph ends at a blank line or a block boundary the adapter marked; one longer than
   * 20 KB is parsed in a window around the match. The boundaries are found once per text and
   * binary-searched: a 1 MB document has thousands of paragraphs with a match, and scanning
   * for each one's ends made re-linting it quadratic.
   */
  private paragraphBounds(offset: number): [number, number] {
    if (!this.blanks) {
      const starts: number[] = [];
      const ends: number[] = [];
      const blank = /\n[ \t\r]*\n|\u2029/g;
      for (let m = blank.exec(this.text); m; m = blank.exec(this.text)) {
        starts.push(m.index);
        ends.push(m.index + m[0].length);
      }
      this.blanks = { starts, ends };
    }
    const { starts, ends } = this.blanks;
    // The last boundary that ends at or before the offset…
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    const floor = Math.max(0, offset - 20_000);
    const start = Math.max(lo > 0 ? ends[lo - 1] : 0, floor);
    // …and the first that starts at or after it.
    let i = lo;
    while (i < starts.length && starts[i] < offset) i++;
    let end = i < starts.length ? starts[i] : this.text.length;
    if (end - offset > 20_000) end = offset + 20_000;
    return [start, Math.max(end, offset + 1)];
  }
}

/**
 * Parsed paragraphs are memoized by their text: in an editor only the paragraph being typed
 * in changes between two lints, and template libraries repeat the same paragraphs across
 * files, so most parses are lookups.
 */
interface RelativeParse {
  sentences: ParsedParagraph['sentences'];
  quotes: QuoteSpan[];
}
const parseCache = new Map<string, RelativeParse>();
const PARSE_CACHE_ENTRIES = 4000;

function parseParagraph(text: string, base: number): ParsedParagraph {
  let rel = parseCache.get(text);
  if (rel) {
    // Refresh its place in the LRU order.
    parseCache.delete(text);
    parseCache.set(text, rel);
  } else {
    rel = parseRelative(text);
    if (text.length <= 20_000) {
      parseCache.set(text, rel);
      if (parseCache.size > PARSE_CACHE_ENTRIES) parseCache.delete(parseCache.keys().next().value!);
    }
  }
  return {
    start: base,
    end: base + text.length,
    sentences: rel.sentences.map((s) => ({ start: s.start + base, end: s.end + base, firstWordStart: s.firstWordStart < 0 ? -1 : s.firstWordStart + base })),
    quotes: rel.quotes.map((q) => ({ start: q.start + base, end: q.end + base })),
  };
}

function parseRelative(text: string): RelativeParse {
  processor ??= makeProcessor();
  const tree = processor.parse(text.replaceAll(BARRIER_CHAR, ' ').replaceAll(TAG_BREAK_CHAR, ' ')) as Root;
  const sentences: ParsedParagraph['sentences'] = [];
  const quotes: QuoteSpan[] = [];
  for (const paragraph of tree.children) {
    if (paragraph.type !== 'ParagraphNode') continue;
    for (const sentence of (paragraph as Paragraph).children) {
      if (sentence.type !== 'SentenceNode') continue;
      const s = sentence as Sentence;
      const firstWord = s.children.find((c) => c.type === 'WordNode');
      sentences.push({
        start: s.position?.start.offset ?? 0,
        end: s.position?.end.offset ?? 0,
        firstWordStart: firstWord?.position?.start.offset ?? -1,
      });
    }
  }
  collectQuotes(tree, text, 0, quotes);
  return { sentences, quotes };
}

/**
 * Quotation marks are punctuation nodes that stand between words (an apostrophe inside
 * "it's" is part of its WordNode, so it never opens a quote). A quote counts only when it
 * is closed again in the same paragraph: a stray inch mark must not hide the rest.
 */
function collectQuotes(tree: Root, text: string, base: number, out: QuoteSpan[]): void {
  const marks: Array<{ offset: number; ch: string }> = [];
  for (const paragraph of tree.children) {
    if (paragraph.type !== 'ParagraphNode') continue;
    for (const sentence of (paragraph as Paragraph).children) {
      if (sentence.type !== 'SentenceNode') continue;
      for (const child of (sentence as Sentence).children) {
        if (child.type !== 'PunctuationNode') continue;
        const ch = child.value;
        if (ch === '"' || ch === '\u201c' || ch === '\u201d' || ch === "'" || ch === '\u2018' || ch === '\u2019' || ch === '\u00ab' || ch === '\u00bb') {
          marks.push({ offset: child.position?.start.offset ?? 0, ch });
        }
      }
    }
  }
  let openDouble = -1;
  let openSingle = -1;
  for (const { offset, ch } of marks) {
    if (ch === '\u201c' || ch === '\u00ab') openDouble = offset;
    else if ((ch === '\u201d' || ch === '\u00bb') && openDouble >= 0) {
      out.push({ start: base + openDouble, end: base + offset + 1 });
      openDouble = -1;
    } else if (ch === '"') {
      if (openDouble >= 0) {
        out.push({ start: base + openDouble, end: base + offset + 1 });
        openDouble = -1;
      } else openDouble = offset;
    } else if (ch === '\u2018') openSingle = offset;
    else if (ch === "'" || ch === '\u2019') {
      const prev = text[offset - 1];
      const opensHere = prev === undefined || /[\s:(\[—–-]/.test(prev);
      if (openSingle >= 0 && !opensHere) {
        out.push({ start: base + openSingle, end: base + offset + 1 });
        openSingle = -1;
      } else if (opensHere && ch === "'") openSingle = offset;
    }
  }
}
