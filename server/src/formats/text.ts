/**
 * Plain text (and the prose of a JSON/YAML string that is neither HTML nor Markdown).
 *
 * Template syntax is masked first; then lines quoting an earlier e-mail (`> …`) are hidden,
 * since they are the customer's words, and URLs/e-mail addresses are masked. An HTML
 * comment left in a text template (`<!--- boilerplate: fork --->`) is masked too.
 */
import type { ExtractResult, ProseRegion } from '../engine/types.js';
import { NextFinder, ProseBuilder, ProseSource, hasLetters, type ProseOptions } from './prose.js';
import { literalAwareEscape, maskTemplates } from './template.js';

/** A line that starts (after at most three spaces) with `>`: quoted e-mail text. */
const QUOTE_LINE = /^[ \t]{0,3}>/gm;

/** An HTML comment (`<!-- boilerplate -->`) left in a text template is a note, not prose. */
const COMMENT_OPEN = '<!--';
const MAX_COMMENT = 100_000;

/**
 * Emit [start, end) of `pb`'s source as text lines: quoted lines and HTML comments masked,
 * the rest prose.
 */
export function emitTextLines(pb: ProseBuilder, start: number, end: number, opts: ProseOptions = {}): void {
  const text = pb.src;
  const re = new RegExp(QUOTE_LINE.source, 'gm');
  const opens = new NextFinder(text, COMMENT_OPEN);
  const closes = new NextFinder(text, '-->');
  let cur = start;
  // The next quote line at or after `cur` (cached: each search runs once over the text).
  let quote = -2;
  const nextQuote = (): number => {
    if (quote === -1 || quote >= cur) return quote;
    re.lastIndex = cur;
    const m = re.exec(text);
    quote = m && m.index < end ? m.index : -1;
    return quote;
  };
  for (;;) {
    const q = nextQuote();
    const c = opens.next(cur);
    const comment = c >= 0 && c < end ? c : -1;
    if (q < 0 && comment < 0) break;
    let maskStart: number;
    let maskEnd: number;
    if (comment >= 0 && (q < 0 || comment < q)) {
      const close = closes.next(comment + 4);
      maskStart = comment;
      maskEnd = close >= 0 && close < end && close - comment < MAX_COMMENT ? close + 3 : comment + 4;
    } else {
      maskStart = q;
      maskEnd = q;
      while (maskEnd < end) {
        const ch = text.charCodeAt(maskEnd);
        if (ch === 10 || ch === 13) break;
        maskEnd++;
      }
    }
    pb.prose(cur, maskStart, opts);
    pb.mask(maskStart, maskEnd);
    cur = Math.max(cur, maskEnd, maskStart + 1);
  }
  pb.prose(cur, end, opts);
}

export function extractText(src: string): ExtractResult {
  const layer = maskTemplates(src);
  const text = layer.text.text;
  const pb = new ProseBuilder(new ProseSource(text));
  emitTextLines(pb, 0, text.length);
  const mapped = pb.build(text.length);
  const regions: ProseRegion[] = [];
  if (hasLetters(mapped.text)) {
    const escape = literalAwareEscape(undefined, layer.literals);
    regions.push(escape ? { text: mapped, escape } : { text: mapped });
  }
  return { regions, problems: layer.problems };
}
