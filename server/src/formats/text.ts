/**
 * Plain text (and the prose of a JSON/YAML string that is neither HTML nor Markdown).
 *
 * Template syntax is masked first; then lines quoting an earlier e-mail (`> …`) are hidden,
 * since they are the customer's words, and URLs/e-mail addresses are masked.
 */
import type { ExtractResult, ProseRegion } from '../engine/types.js';
import { ProseBuilder, ProseSource, hasLetters, type ProseOptions } from './prose.js';
import { literalAwareEscape, maskTemplates } from './template.js';

/** A line that starts (after at most three spaces) with `>`: quoted e-mail text. */
const QUOTE_LINE = /^[ \t]{0,3}>/gm;

/** Emit [start, end) of `pb`'s source as text lines: quoted lines masked, the rest prose. */
export function emitTextLines(pb: ProseBuilder, start: number, end: number, opts: ProseOptions = {}): void {
  const text = pb.src;
  const re = new RegExp(QUOTE_LINE.source, 'gm');
  re.lastIndex = start;
  let cur = start;
  for (;;) {
    const m = re.exec(text);
    if (!m || m.index >= end) break;
    const lineStart = m.index;
    let lineEnd = lineStart;
    while (lineEnd < end) {
      const c = text.charCodeAt(lineEnd);
      if (c === 10 || c === 13) break;
      lineEnd++;
    }
    pb.prose(cur, lineStart, opts);
    pb.mask(lineStart, lineEnd);
    cur = lineEnd;
    re.lastIndex = Math.max(lineEnd, lineStart + 1);
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
