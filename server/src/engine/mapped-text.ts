/**
 * Text extracted from a source file, with a map from every character back to the
 * original file's UTF-16 offsets.
 *
 * Format adapters turn a file into prose that the matcher can read (entities decoded,
 * JSON escapes resolved, template tags masked), and every finding must still point at
 * the exact original characters. Rather than one number per character (costly on a 1 MB
 * file), the map is a short list of segments:
 *  - a "copy" segment maps text[t .. t+len) onto source[s .. s+len) one to one;
 *  - a "replace" segment maps a run of text (e.g. the `’` decoded from `&rsquo;`) onto a
 *    whole source range; any offset inside it maps to the range's start (as a start) or
 *    its end (as an end), so a finding never splits an escape or an entity.
 * Maps compose: a JSON string is decoded against the file, the HTML inside it is parsed
 * against the decoded string, and `compose` gives offsets in the file.
 */

export interface Segment {
  /** Offset in the extracted text where the segment starts. */
  t: number;
  /** Length in the extracted text. */
  tLen: number;
  /** Offset in the source where the segment starts. */
  s: number;
  /** Length in the source. Equal to tLen for copy segments. */
  sLen: number;
  copy: boolean;
}

export class MappedText {
  constructor(
    readonly text: string,
    private readonly segments: readonly Segment[],
  ) {}

  /** A text that is an unchanged slice of its source, starting at `sourceOffset`. */
  static identity(text: string, sourceOffset = 0): MappedText {
    return new MappedText(text, [{ t: 0, tLen: text.length, s: sourceOffset, sLen: text.length, copy: true }]);
  }

  /** Source offset of the character at text offset `i` (a range start). */
  startToSource(i: number): number {
    const seg = this.find(i, false);
    if (!seg) return 0;
    if (seg.copy) return seg.s + Math.min(i - seg.t, seg.sLen);
    return i >= seg.t + seg.tLen ? seg.s + seg.sLen : seg.s;
  }

  /** Source offset just after the character at text offset `i - 1` (a range end). */
  endToSource(i: number): number {
    const seg = this.find(i, true);
    if (!seg) return 0;
    if (seg.copy) return seg.s + Math.min(i - seg.t, seg.sLen);
    return i <= seg.t ? seg.s : seg.s + seg.sLen;
  }

  /** Source range of text range [start, end). */
  rangeToSource(start: number, end: number): [number, number] {
    const s = this.startToSource(start);
    const e = end > start ? this.endToSource(end) : s;
    return [s, Math.max(s, e)];
  }

  /**
   * Map a text that was extracted from *this* text (inner's source = this.text) onto this
   * text's source. Used to layer adapters: JSON string → HTML → template masking.
   */
  compose(inner: MappedText): MappedText {
    const out: Segment[] = [];
    for (const seg of inner.segments) {
      if (seg.tLen === 0 && seg.sLen === 0) continue;
      if (!seg.copy) {
        const [s, e] = this.rangeToSource(seg.s, seg.s + seg.sLen);
        out.push({ t: seg.t, tLen: seg.tLen, s, sLen: e - s, copy: false });
        continue;
      }
      // A copy segment of the inner text may cross several of our segments: split it.
      let t = seg.t;
      let s = seg.s;
      const sEnd = seg.s + seg.sLen;
      while (s < sEnd) {
        const mine = this.find(s, false);
        if (!mine) break;
        const mineEnd = mine.t + mine.tLen;
        const take = Math.max(1, Math.min(sEnd, mineEnd) - s);
        if (mine.copy) {
          out.push({ t, tLen: take, s: mine.s + (s - mine.t), sLen: take, copy: true });
        } else {
          out.push({ t, tLen: take, s: mine.s, sLen: mine.sLen, copy: false });
        }
        t += take;
        s += take;
      }
    }
    return new MappedText(inner.text, mergeSegments(out));
  }

  /** Segments, for adapters that need to inspect or re-layer them. */
  getSegments(): readonly Segment[] {
    return this.segments;
  }

  private find(i: number, preferPrevious: boolean): Segment | undefined {
    const segs = this.segments;
    if (segs.length === 0) return undefined;
    // Binary search for the last segment whose start is <= i.
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid].t <= i) lo = mid;
      else hi = mid - 1;
    }
    // At a boundary, an end offset belongs to the segment that ends there.
    if (preferPrevious && lo > 0 && segs[lo].t === i) return segs[lo - 1];
    return segs[lo];
  }
}

function mergeSegments(segs: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const seg of segs) {
    const prev = out[out.length - 1];
    if (prev && prev.copy && seg.copy && prev.t + prev.tLen === seg.t && prev.s + prev.sLen === seg.s) {
      prev.tLen += seg.tLen;
      prev.sLen += seg.sLen;
    } else {
      out.push({ ...seg });
    }
  }
  return out;
}

/**
 * Builds a MappedText left to right from pieces of a source string.
 * `copy` takes source characters as they are; `replace` puts any text in place of a source
 * range (a decoded entity, a masked tag); `mask` replaces a range by spaces of the same
 * length — the usual way to hide markup while keeping word boundaries.
 */
export class MappedTextBuilder {
  private parts: string[] = [];
  private segments: Segment[] = [];
  private length = 0;

  constructor(private readonly source: string) {}

  copy(start: number, end: number): this {
    if (end <= start) return this;
    this.push(this.source.slice(start, end), start, end - start, true);
    return this;
  }

  replace(start: number, end: number, text: string): this {
    if (text.length === 0 && end <= start) return this;
    this.push(text, start, Math.max(0, end - start), text.length === end - start && text === this.source.slice(start, end));
    return this;
  }

  /** Hide a source range, keeping its length; line breaks are kept so lines stay lines. */
  mask(start: number, end: number, fill = ' '): this {
    if (end <= start) return this;
    const slice = this.source.slice(start, end);
    const text = slice.replace(/[^\r\n]/g, fill);
    this.push(text, start, end - start, false, true);
    return this;
  }

  get textLength(): number {
    return this.length;
  }

  build(): MappedText {
    return new MappedText(this.parts.join(''), mergeSegments(this.segments));
  }

  private push(text: string, s: number, sLen: number, copy: boolean, sameLength = false): void {
    if (text.length === 0 && sLen === 0) return;
    // A same-length mask maps one to one, so positions inside it stay exact.
    const isCopyLike = copy || (sameLength && text.length === sLen);
    this.segments.push({ t: this.length, tLen: text.length, s, sLen, copy: isCopyLike });
    this.parts.push(text);
    this.length += text.length;
  }
}
