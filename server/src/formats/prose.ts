/**
 * Shared building blocks for the format adapters: a builder that masks everything it is
 * not told is prose, URL/e-mail detection, entity decoding and escaping helpers.
 *
 * Every adapter works the same way: walk the file's structure in source order and call
 * `prose(start, end)` for the stretches a person wrote; whatever lies between those calls
 * (tags, markup, code, keys…) is masked with spaces of the same length, so word boundaries
 * and positions survive.
 */
import { decodeHTML } from 'entities';
import { MappedText, type Segment } from '../engine/mapped-text.js';
import { BARRIER_CHAR } from '../engine/types.js';

/**
 * Finds the next occurrence of a fixed string, remembering the last answer. Scanners ask
 * "where is the next `}}` after here?" at increasing positions; without the cache an
 * unterminated `{{` repeated many times would rescan the rest of the file each time
 * (quadratic). With it, the total work is linear.
 */
export class NextFinder {
  private at = -2;
  private from = -1;
  constructor(
    private readonly src: string,
    private readonly needle: string,
  ) {}

  next(from: number): number {
    if (this.at === -1 && from >= this.from) return -1;
    if (this.at >= from && from >= this.from) return this.at;
    this.from = from;
    this.at = this.src.indexOf(this.needle, from);
    return this.at;
  }
}

/** Cached "next match of a global regex" (same reasoning as NextFinder). */
class NextMatch {
  private match: RegExpExecArray | null | undefined;
  private from = -1;
  constructor(
    private readonly src: string,
    private readonly re: RegExp,
  ) {}

  next(from: number): RegExpExecArray | null {
    if (this.match !== undefined && from >= this.from) {
      if (this.match === null) return null;
      if (this.match.index >= from) return this.match;
    }
    this.from = from;
    this.re.lastIndex = from;
    this.match = this.re.exec(this.src);
    return this.match;
  }
}

// Schemes that start a URL. No quantifiers here: the rest of the URL is URL_BODY, one
// character class matched once, so a long run of URL characters can never make it backtrack.
/** The schemes written with `://` that start a URL (the prefilter finds URLs from them too). */
export const URL_SCHEMES = String.raw`https?|ftps?|sftp|file`;
const URL_START = new RegExp(String.raw`\b(?:(?:${URL_SCHEMES}):\/\/|(?:mailto|tel|sms):(?=[^\s<>"'])|www\.(?=[A-Za-z0-9]))`, 'gi');

/**
 * The rest of a URL: it stops at whitespace, quotes, angle brackets, backticks and our marker
 * characters. A sticky regex (it matches where lastIndex says, possibly nothing), so the run
 * is found natively: a tracking link is hundreds of characters, and the prefilter looks for
 * URLs in every file. At most URL_CHUNK characters a match, so a search never runs far past
 * its limit (a segment of a long line without spaces).
 */
const URL_CHUNK = 1024;
const URL_BODY = new RegExp(String.raw`[^\x00-\x20"'<>\x60\x7f\u00a0\u2029\ue000\u3000]{0,${URL_CHUNK}}`, 'y');

function isEmailLocalChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x2e || // .
    c === 0x5f || // _
    c === 0x25 || // %
    c === 0x2b || // +
    c === 0x2d // -
  );
}

function isDomainChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d;
}

/**
 * URLs and e-mail addresses are not prose. Finds them inside one source string, at
 * increasing positions, in linear time overall.
 */
export class LinkScanner {
  private readonly urls: NextMatch;
  private readonly ats: NextFinder;

  constructor(private readonly src: string) {
    this.urls = new NextMatch(src, new RegExp(URL_START.source, 'gi'));
    this.ats = new NextFinder(src, '@');
  }

  /** Ranges [start, end) of URLs and e-mail addresses inside [start, end), sorted, disjoint. */
  find(start: number, end: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    const src = this.src;
    let m = this.urls.next(start);
    while (m && m.index < end) {
      const s = m.index;
      const e = urlEnd(src, s, s + m[0].length, end);
      if (e > s + m[0].length) out.push([s, e]);
      m = this.urls.next(Math.max(e, s + 1));
    }
    let at = this.ats.next(start);
    while (at >= 0 && at < end) {
      let l = at;
      const lMin = Math.max(start, at - 64);
      while (l > lMin && isEmailLocalChar(src.charCodeAt(l - 1))) l--;
      let r = at + 1;
      const rMax = Math.min(end, at + 256);
      let dots = 0;
      let lastDot = -1;
      while (r < rMax) {
        const c = src.charCodeAt(r);
        if (isDomainChar(c)) r++;
        else if (c === 0x2e && r > at + 1 && r + 1 < rMax && isDomainChar(src.charCodeAt(r + 1)) && src.charCodeAt(r - 1) !== 0x2e) {
          dots++;
          lastDot = r;
          r++;
        } else break;
      }
      while (l < at && src.charCodeAt(l) === 0x2e) l++;
      if (l < at && dots > 0 && r - lastDot > 2) out.push([l, r]);
      at = this.ats.next(Math.max(r, at + 1));
    }
    if (out.length < 2) return out;
    out.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [out[0]];
    for (let i = 1; i < out.length; i++) {
      const last = merged[merged.length - 1];
      if (out[i][0] <= last[1]) last[1] = Math.max(last[1], out[i][1]);
      else merged.push(out[i]);
    }
    return merged;
  }
}

/**
 * Where a URL that starts at `s` ends, its scheme or `www.` running to `bodyStart`, searched no
 * further than `limit`: the URL characters, less trailing punctuation. No body if it returns
 * `bodyStart` or less. (The prefilter masks some URLs with it too.)
 */
export function urlEnd(src: string, s: number, bodyStart: number, limit: number): number {
  let e = bodyStart;
  for (;;) {
    URL_BODY.lastIndex = e;
    URL_BODY.test(src);
    const run = URL_BODY.lastIndex - e;
    e = URL_BODY.lastIndex;
    if (run < URL_CHUNK || e >= limit) break;
  }
  return trimUrlEnd(src, s, Math.min(e, limit));
}

/** Trailing punctuation belongs to the sentence, not the URL ("see https://x.com."). */
function trimUrlEnd(src: string, s: number, e: number): number {
  while (e > s) {
    const c = src[e - 1];
    if ('.,;:!?*'.includes(c)) {
      e--;
    } else if (c === ')' || c === ']' || c === '}') {
      const open = c === ')' ? '(' : c === ']' ? '[' : '{';
      let depth = 0;
      for (let i = s; i < e; i++) {
        if (src[i] === open) depth++;
        else if (src[i] === c) depth--;
      }
      if (depth < 0) e--;
      else break;
    } else break;
  }
  return e;
}

export interface ProseOptions {
  /** Decode HTML character references (`&rsquo;` → `’`), positions mapped to the raw entity. */
  entities?: boolean;
  /** Markdown text: drop backslash escapes (`\*` reads as `*`), mask emphasis markers. */
  markdownEscapes?: boolean;
  /** Mask URLs and e-mail addresses (default true). */
  links?: boolean;
}

/** Per-source state shared by every builder over the same string (the scan caches). */
export class ProseSource {
  readonly links: LinkScanner;
  constructor(readonly text: string) {
    this.links = new LinkScanner(text);
  }
}

/**
 * Same contract as the engine's MappedTextBuilder (copy / replace / mask, same segment
 * semantics), tuned for the adapters' hot path: masks are written without a regex and
 * adjacent one-to-one segments are merged as they are pushed, so a 1 MB HTML file with tens
 * of thousands of tags does not allocate a segment object and a string per tag twice over.
 */
export class SegmentBuilder {
  private readonly parts: string[] = [];
  private readonly segments: Segment[] = [];
  private length = 0;

  constructor(private readonly source: string) {}

  copy(start: number, end: number): this {
    if (end > start) this.push(this.source.slice(start, end), start, end - start, true);
    return this;
  }

  replace(start: number, end: number, text: string): this {
    if (text.length === 0 && end <= start) return this;
    const sLen = Math.max(0, end - start);
    this.push(text, start, sLen, text.length === sLen && text === this.source.slice(start, end));
    return this;
  }

  /** Hide a source range with spaces, keeping its line breaks; maps one to one. */
  mask(start: number, end: number): this {
    if (end > start) this.push(maskText(this.source, start, end), start, end - start, true);
    return this;
  }

  build(): MappedText {
    return new MappedText(this.parts.join(''), this.segments);
  }

  private push(text: string, s: number, sLen: number, copy: boolean): void {
    if (text.length === 0 && sLen === 0) return;
    const prev = this.segments[this.segments.length - 1];
    if (copy && prev && prev.copy && prev.t + prev.tLen === this.length && prev.s + prev.sLen === s) {
      prev.tLen += text.length;
      prev.sLen += sLen;
    } else {
      this.segments.push({ t: this.length, tLen: text.length, s, sLen, copy });
    }
    this.parts.push(text);
    this.length += text.length;
  }
}

/** Spaces for source[start, end), keeping \r and \n. */
export function maskText(src: string, start: number, end: number): string {
  // Most masked ranges (tags, attributes, template tags) hold no line break: two native
  // searches of the range instead of a character loop.
  if (end <= start) return '';
  const part = src.slice(start, end);
  if (part.indexOf('\n') === -1 && part.indexOf('\r') === -1) return spaces(end - start);
  let out = '';
  let run = start;
  for (let i = start; i < end; i++) {
    const c = src.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) {
      if (i > run) out += spaces(i - run);
      out += src[i];
      run = i + 1;
    }
  }
  if (end > run) out += spaces(end - run);
  return out;
}

const SPACES = ' '.repeat(1024);

/**
 * `n` spaces: a slice of one flat string for the usual lengths. `repeat` builds a new string of
 * concatenations for every tag an adapter masks (~5 ms of a CLI run over a template library).
 */
function spaces(n: number): string {
  return n <= SPACES.length ? SPACES.slice(0, n) : ' '.repeat(n);
}

/** A-Z or a-z. */
export function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

const ASCII_PUNCT = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/**
 * Builds one prose region over a source string. Calls must come in source order; any
 * source not covered by `prose` is masked.
 */
export class ProseBuilder {
  private readonly b: SegmentBuilder;
  private pos: number;
  /** Start of a mask not yet written: consecutive masks become one builder call. */
  private pendingMask = -1;
  /** A barrier was written and no text has followed it yet. */
  private barrierPending = false;
  readonly src: string;

  constructor(
    private readonly source: ProseSource,
    start = 0,
  ) {
    this.src = source.text;
    this.b = new SegmentBuilder(this.src);
    this.pos = start;
  }

  /** Mask from the current position up to `to`. */
  skipTo(to: number): void {
    if (to > this.pos) {
      if (this.pendingMask < 0) this.pendingMask = this.pos;
      this.pos = to;
    }
  }

  mask(start: number, end: number): void {
    this.skipTo(Math.max(start, end));
  }

  /** Mask a range and mark it as a block boundary (its first character becomes BARRIER_CHAR). */
  barrierMask(start: number, end: number): void {
    this.skipTo(start);
    const s = Math.max(start, this.pos);
    if (this.barrierPending) {
      // `</p></td></tr>`: one barrier per run of masked mark-up is enough.
      this.skipTo(end);
      return;
    }
    if (end <= s) {
      this.barrierAt(s);
      return;
    }
    this.flush();
    this.barrierPending = true;
    const c = this.src.charCodeAt(s);
    if (c === 0x0a || c === 0x0d) {
      this.b.replace(s, s, BARRIER_CHAR);
      this.pendingMask = s;
    } else {
      this.b.replace(s, s + 1, BARRIER_CHAR);
      this.pendingMask = s + 1;
    }
    this.pos = end;
  }

  /** Insert a block boundary (a zero-width BARRIER_CHAR) at `at`. */
  barrierAt(at: number): void {
    this.skipTo(at);
    if (this.barrierPending) return;
    this.flush();
    this.b.replace(this.pos, this.pos, BARRIER_CHAR);
    this.barrierPending = true;
  }

  /** Copy source as prose: URLs/e-mails masked, entities and escapes decoded if asked. */
  prose(start: number, end: number, opts: ProseOptions = {}): void {
    this.skipTo(start);
    let i = Math.max(start, this.pos);
    if (end <= i) return;
    if (isBlankRange(this.src, i, end)) {
      // Whitespace between tags: masking it is the same text (spaces, line breaks kept).
      this.skipTo(end);
      return;
    }
    this.flush();
    this.barrierPending = false;
    if (opts.links !== false) {
      for (const [s, e] of this.source.links.find(i, end)) {
        if (e <= i) continue;
        this.plain(i, Math.max(i, s), opts);
        this.b.mask(Math.max(i, s), e);
        i = e;
      }
    }
    this.plain(i, end, opts);
    this.pos = end;
  }

  build(end?: number): MappedText {
    if (end !== undefined) this.skipTo(end);
    this.flush();
    return this.b.build();
  }

  private flush(): void {
    if (this.pendingMask >= 0) {
      if (this.pos > this.pendingMask) this.b.mask(this.pendingMask, this.pos);
      this.pendingMask = -1;
    }
  }

  private plain(start: number, end: number, opts: ProseOptions): void {
    if (end <= start) return;
    if (!opts.entities && !opts.markdownEscapes) {
      this.b.copy(start, end);
      return;
    }
    const src = this.src;
    let run = start;
    for (let i = start; i < end; i++) {
      const c = src.charCodeAt(i);
      if (c === 0x26 /* & */ && opts.entities) {
        const len = entityLength(src, i, end);
        if (len > 0) {
          const raw = src.slice(i, i + len);
          const decoded = decodeHTML(raw);
          if (decoded !== raw) {
            this.b.copy(run, i);
            this.b.replace(i, i + len, decoded);
            i += len - 1;
            run = i + 1;
          }
        }
      } else if (c === 0x5c /* \ */ && opts.markdownEscapes && i + 1 < end && ASCII_PUNCT.includes(src[i + 1])) {
        this.b.copy(run, i);
        this.b.replace(i, i + 2, src[i + 1]);
        i++;
        run = i + 1;
      } else if (opts.markdownEscapes && (c === 0x2a /* * */ || c === 0x5f /* _ */)) {
        // Emphasis markers (not parsed, see markdown.ts): every `*`, and `_` at a word edge
        // (`snake_case` keeps its underscore).
        let j = i;
        while (j < end && src.charCodeAt(j) === c) j++;
        if (c === 0x2a || !isWordChar(src.charCodeAt(i - 1)) || !isWordChar(src.charCodeAt(j))) {
          this.b.copy(run, i);
          this.b.mask(i, j);
          run = j;
        }
        i = j - 1;
      }
    }
    this.b.copy(run, end);
  }
}

function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c >= 0xc0;
}

/** Only spaces, tabs and line breaks (short ranges: between two tags). */
function isBlankRange(src: string, start: number, end: number): boolean {
  if (end - start > 64) return false;
  for (let i = start; i < end; i++) {
    const c = src.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

/** Length of a character reference starting at `i` (`&name;`, `&#123;`, `&#x1F600;`), or 0. */
export function entityLength(src: string, i: number, end: number): number {
  let j = i + 1;
  const max = Math.min(end, i + 34);
  if (j >= max) return 0;
  if (src.charCodeAt(j) === 0x23 /* # */) {
    j++;
    const hex = j < max && (src[j] === 'x' || src[j] === 'X');
    if (hex) j++;
    const digitsStart = j;
    while (j < max && (hex ? /[0-9a-fA-F]/.test(src[j]) : src.charCodeAt(j) >= 0x30 && src.charCodeAt(j) <= 0x39)) j++;
    if (j === digitsStart) return 0;
  } else {
    const nameStart = j;
    while (j < max && /[A-Za-z0-9]/.test(src[j])) j++;
    if (j === nameStart || !/[A-Za-z]/.test(src[nameStart])) return 0;
  }
  if (j < end && src.charCodeAt(j) === 0x3b /* ; */) j++;
  return j - i;
}

/** Replacement prose for an HTML text node. */
export function escapeHtmlText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Replacement prose for an HTML attribute value quoted with `quote` (or unquoted: ''). */
export function escapeHtmlAttr(quote: string): (s: string) => string {
  return (s) =>
    escapeHtmlText(s).replace(/["']/g, (c) => (c === '"' && quote !== "'" ? '&quot;' : c === "'" && quote !== '"' ? '&#39;' : c));
}

/** Replacement prose inside a JSON string (also a valid YAML double-quoted escape set). */
export function escapeJsonString(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

const ASCII_LETTER = /[A-Za-z]/;
const ANY_LETTER = /\p{L}/u;

/** True when the region text has at least one letter (otherwise there is nothing to lint). */
export function hasLetters(text: string): boolean {
  // An ASCII letter first: a region's text is mostly masked markup (spaces) up to its first
  // word, and a plain class skips those several times faster than a Unicode property (~2 ms
  // of a CLI run over a template library, most of it in HTML files).
  return ASCII_LETTER.test(text) || ANY_LETTER.test(text);
}
