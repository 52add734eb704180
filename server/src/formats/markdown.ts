/**
 * Markdown (saved replies, bot comments, Markdown inside YAML/JSON strings).
 *
 * micromark (the CommonMark tokenizer under remark, + its front-matter extension) gives the
 * structure as a stream of enter/exit events with offsets; prose is read from the
 * template-masked text at those offsets. Text is prose, and image alt text; everything else
 * is masked: code, inline code, link destinations and titles, definitions, front matter,
 * emphasis markers, and blockquotes (quoted words are not the writer's). HTML goes through
 * the HTML adapter, sharing its state so `<pre>…</pre>` split over several pieces still
 * hides what is between. Paragraphs and headings end with a BARRIER.
 *
 * The events are walked directly rather than built into an mdast tree (remark-parse): the
 * tree costs more than the tokenizing for the short texts Candor reads by the hundred
 * (Markdown values of a YAML file), and the walk needs only token types and offsets. Runs
 * of text are grouped exactly as mdast groups them into text nodes.
 *
 * The structure is parsed on the template-masked text with tags filled by inert letters
 * rather than spaces (see `structureText`): offsets agree (the layer is length-preserving),
 * a control tag at the start of a line (`{% if vip %}Dear customer`) does not turn the line
 * into an indented code block, and `[here]({{ url }})` stays a link.
 *
 * Code is never linted. The one exception is a fence explicitly tagged as prose (`text`,
 * `markdown`, `email`…) whose content reads as sentences: some saved-reply collections keep
 * the reply itself in such a fence. An untagged fence stays code, as a reader would expect.
 */
import { parse, postprocess, preprocess } from 'micromark';
import { frontmatter } from 'micromark-extension-frontmatter';
import type { Event, ParseContext, Token } from 'micromark-util-types';
import type { ExtractResult, ProseRegion } from '../engine/types.js';
import { HtmlContext, emitHtml } from './html.js';
import { ProseBuilder, ProseSource, hasLetters } from './prose.js';
import { literalAwareEscape, maskTemplates, structureText } from './template.js';
import { emitTextLines } from './text.js';

/**
 * Emphasis (`*a*`, `_a_`) is not parsed: its markers are harmless in prose, and micromark's
 * emphasis resolution is quadratic on runs of unmatched `*`/`_` (48 KB of them took 15 s).
 * A parser (its combined constructs) is built once and reused, with fresh per-document state.
 */
const parser = markdownParser(['attention']);

/**
 * For oversized or bracket-heavy chunks: no link, image or definition constructs either
 * (micromark's label and definition handling is super-linear on many `[`). URLs in such a
 * chunk are still masked by the prose scanner.
 */
const degradedParser = markdownParser(['attention', 'labelStartLink', 'labelStartImage', 'labelEnd', 'definition']);

function markdownParser(disabled: string[]): ParseContext {
  return parse({ extensions: [frontmatter(['yaml', 'toml']), { disable: { null: disabled } }] });
}

/** The events of one document. */
function markdownEvents(p: ParseContext, doc: string): Event[] {
  // What a parser learns from a document — its link definitions, its lazy lines — must not
  // leak into the next one.
  p.defined = [];
  p.lazy = {};
  return postprocess(p.document().write(preprocess()(doc, undefined, true)));
}

/** Documents up to this size are parsed in one piece (exact CommonMark semantics). */
const WHOLE_LIMIT = 16 * 1024;
/** Larger ones are cut at safe blank lines into chunks of at least this size. */
const CHUNK_TARGET = 8 * 1024;
/** A chunk larger than this, or with more `[` than BRACKET_LIMIT, is parsed degraded. */
const CHUNK_MAX = 16 * 1024;
const BRACKET_LIMIT = 256;

const PROSE_FENCE_LANGS = new Set(['text', 'txt', 'plain', 'plaintext', 'markdown', 'md', 'email', 'none']);

export function extractMarkdown(src: string): ExtractResult {
  const layer = maskTemplates(src);
  const text = layer.text.text;
  // (micromark also drops a leading BOM and shifts every offset by one: it gets a space.)
  const structure = structureText(src, layer);

  const ps = new ProseSource(text);
  const pb = new ProseBuilder(ps);
  const html = new HtmlContext(ps, pb);
  const walker = new Walker(text, pb, html);
  for (const [a, b] of splitChunks(structure)) {
    const chunk = a === 0 && b === structure.length ? structure : structure.slice(a, b);
    const degraded = chunk.length > CHUNK_MAX || countBrackets(chunk) > BRACKET_LIMIT;
    walker.walk(markdownEvents(degraded ? degradedParser : parser, chunk), a);
  }

  const main = pb.build(text.length);
  const regions: ProseRegion[] = [];
  const escape = literalAwareEscape(undefined, layer.literals);
  if (hasLetters(main.text)) regions.push(escape ? { text: main, escape } : { text: main });
  regions.push(...html.regions);
  return { regions, problems: [...layer.problems, ...html.problems] };
}

function countBrackets(s: string): number {
  let n = 0;
  for (let i = s.indexOf('['); i >= 0 && n <= BRACKET_LIMIT; i = s.indexOf('[', i + 1)) n++;
  return n;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
/** HTML blocks (CommonMark types 1-5) that may contain blank lines, and what ends them. */
const HTML_BLOCKS: Array<[RegExp, RegExp]> = [
  [/^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<![A-Za-z]/, />/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
];

/**
 * Cut a large document at blank lines that cannot be inside a construct (fenced code, an
 * HTML block, front matter), so the parser's cost stays linear in the document size.
 * Each chunk is a sequence of whole blocks; only link reference definitions can lose their
 * references across a cut, and then the reference reads as plain bracketed text.
 */
export function splitChunks(s: string): Array<[number, number]> {
  if (s.length <= WHOLE_LIMIT) return [[0, s.length]];
  const out: Array<[number, number]> = [];
  let chunkStart = 0;
  let pos = 0;
  const fm = /^(?:---|\+\+\+)[ \t]*\r?\n/.exec(s);
  if (fm) {
    const close = s.slice(fm[0].length).search(/^(?:---|\+\+\+|\.\.\.)[ \t]*$/m);
    if (close >= 0) pos = fm[0].length + close;
  }
  let fence: string | undefined;
  let htmlEnd: RegExp | undefined;
  while (pos < s.length) {
    let nl = s.indexOf('\n', pos);
    if (nl < 0) nl = s.length;
    const line = s.slice(pos, nl);
    const next = nl + 1;
    if (fence) {
      const m = /^ {0,3}(`{3,}|~{3,})[ \t]*\r?$/.exec(line);
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length) fence = undefined;
    } else if (htmlEnd) {
      if (htmlEnd.test(line)) htmlEnd = undefined;
    } else {
      const f = FENCE_OPEN.exec(line);
      if (f && !(f[1][0] === '`' && line.slice(f[0].length).includes('`'))) fence = f[1];
      else {
        const block = HTML_BLOCKS.find(([open]) => open.test(line));
        if (block && !block[1].test(line.replace(block[0], ''))) htmlEnd = block[1];
        else if (/^[ \t]*\r?$/.test(line) && pos - chunkStart >= CHUNK_TARGET) {
          out.push([chunkStart, Math.min(next, s.length)]);
          chunkStart = Math.min(next, s.length);
        }
      }
    }
    pos = next;
  }
  if (chunkStart < s.length) out.push([chunkStart, s.length]);
  return out;
}

/** Constructs whose whole extent is handled at once: nothing inside them is walked. */
const WHOLE = new Set(['codeFenced', 'codeIndented', 'codeText', 'htmlFlow', 'htmlText', 'image', 'yaml', 'toml', 'definition', 'thematicBreak', 'blockQuote', 'resource', 'reference', 'hardBreakEscape', 'hardBreakTrailing']);

/** Tokens that make up text (mdast `text` nodes). */
const TEXT = new Set(['data', 'characterEscape', 'characterReference', 'autolinkProtocol', 'autolinkEmail']);

class Walker {
  /** Offset of the chunk being walked (event offsets are relative to it). */
  private base = 0;
  /** The text run being collected (an mdast text node): start and end, or -1. */
  private runStart = -1;
  private runEnd = -1;
  /** Inside a paragraph or heading text (where mdast keeps line endings in text), and inside a link. */
  private phrasing = 0;
  private links = 0;
  private afterBreak = false;

  constructor(
    private readonly text: string,
    private readonly pb: ProseBuilder,
    private readonly html: HtmlContext,
  ) {}

  walk(events: Event[], base: number): void {
    this.base = base;
    for (let i = 0; i < events.length; i++) {
      const [kind, token] = events[i];
      const type = token.type as string;
      if (kind === 'exit') {
        this.exit(type, token);
        continue;
      }
      if (TEXT.has(type)) {
        this.extendRun(token);
        continue;
      }
      if (type === 'lineEnding') {
        // The line ending after a hard break belongs to the break (as in mdast), not to the text.
        if (this.phrasing > 0 && this.links === 0 && !this.afterBreak) this.extendRun(token);
        this.afterBreak = false;
        continue;
      }
      this.afterBreak = type === 'hardBreakEscape' || type === 'hardBreakTrailing';
      if (WHOLE.has(type)) {
        this.flushRun();
        this.whole(type, events, i);
        // Skip to this token's exit.
        while (i + 1 < events.length && !(events[i + 1][0] === 'exit' && events[i + 1][1] === token)) i++;
        i++;
        continue;
      }
      switch (type) {
        case 'paragraph':
        case 'atxHeadingText':
        case 'setextHeadingText':
          this.phrasing++;
          break;
        case 'link':
        case 'autolink':
          this.flushRun();
          this.links++;
          break;
      }
    }
    this.flushRun();
  }

  private exit(type: string, token: Token): void {
    switch (type) {
      case 'paragraph':
      case 'atxHeading':
      case 'setextHeading':
        this.flushRun();
        if (type === 'paragraph') this.phrasing--;
        this.pb.barrierAt(token.end.offset + this.base);
        return;
      case 'atxHeadingText':
      case 'setextHeadingText':
        this.flushRun();
        this.phrasing--;
        return;
      case 'link':
      case 'autolink':
        this.flushRun();
        this.links--;
        return;
    }
  }

  private extendRun(token: Token): void {
    if (this.runStart < 0) this.runStart = token.start.offset + this.base;
    this.runEnd = token.end.offset + this.base;
  }

  private flushRun(): void {
    if (this.runStart < 0) return;
    if (this.html.masked > 0) this.pb.mask(this.runStart, this.runEnd);
    else this.pb.prose(this.runStart, this.runEnd, { entities: true, markdownEscapes: true });
    this.runStart = this.runEnd = -1;
  }

  /** A construct handled as a whole; `events[at]` is its enter event. */
  private whole(type: string, events: Event[], at: number): void {
    const token = events[at][1];
    const s = token.start.offset + this.base;
    const e = token.end.offset + this.base;
    const pb = this.pb;
    switch (type) {
      case 'codeText':
      case 'hardBreakEscape':
      case 'hardBreakTrailing':
      case 'resource':
      case 'reference':
        pb.mask(s, e);
        return;
      case 'codeFenced':
        this.code(this.fenceInfo(events, at), s, e);
        return;
      case 'codeIndented':
        pb.barrierMask(s, e);
        return;
      case 'htmlFlow':
      case 'htmlText':
        emitHtml(this.html, s, e, false);
        return;
      case 'image':
        this.alt(s, e);
        return;
      default: // front matter, definitions, thematic breaks, block quotes
        pb.barrierMask(s, e);
    }
  }

  /**
   * The info string of a fence (its language), as written. An info string with an escape or
   * a character reference is not decoded: it is then no prose language, and the fence stays code.
   */
  private fenceInfo(events: Event[], at: number): string | null {
    const fence = events[at][1];
    for (let i = at + 1; i < events.length; i++) {
      const [kind, token] = events[i];
      if (kind === 'exit' && token === fence) break;
      if (kind === 'enter' && token.type === 'codeFencedFenceInfo') {
        const info = this.text.slice(token.start.offset + this.base, token.end.offset + this.base);
        return /[\\&]/.test(info) ? null : info;
      }
      if (kind === 'enter' && token.type === 'codeFlowValue') break;
    }
    return null;
  }

  /** `![alt](url)`: the alt text is prose, the rest is masked. */
  private alt(s: number, e: number): void {
    const text = this.text;
    let i = s + 2;
    let depth = 1;
    for (; i < e; i++) {
      const c = text[i];
      if (c === '\\') i++;
      else if (c === '[') depth++;
      else if (c === ']' && --depth === 0) break;
    }
    this.pb.prose(s + 2, Math.min(i, e), { entities: true, markdownEscapes: true });
    this.pb.mask(s, e);
  }

  private code(lang: string | null, s: number, e: number): void {
    const text = this.text;
    const fenced = text[s] === '`' || text[s] === '~';
    if (fenced && lang !== null && PROSE_FENCE_LANGS.has(lang.toLowerCase())) {
      const nl = text.indexOf('\n', s);
      const contentStart = nl < 0 || nl >= e ? e : nl + 1;
      let contentEnd = e;
      const lastLine = Math.max(text.lastIndexOf('\n', e - 1), text.lastIndexOf('\r', e - 1)) + 1;
      if (lastLine > contentStart && /^[ \t]*(?:```|~~~)/.test(text.slice(lastLine, e))) contentEnd = lastLine;
      if (contentEnd > contentStart && readsAsProse(text.slice(contentStart, contentEnd))) {
        this.pb.barrierMask(s, contentStart);
        emitTextLines(this.pb, contentStart, contentEnd);
        this.pb.barrierMask(contentEnd, e);
        return;
      }
    }
    this.pb.barrierMask(s, e);
  }
}

/** Sentences, not code: few code punctuation characters and at least one 5-word sentence. */
export function readsAsProse(content: string): boolean {
  const sample = content.length > 4000 ? content.slice(0, 4000) : content;
  const nonSpace = sample.replace(/\s+/g, '').length;
  if (nonSpace === 0) return false;
  // Markdown links and URLs are not code.
  const code = sample.replace(/\]\([^)\s]*\)|\b\w+:\/\/\S+/g, '').match(/[{}[\]();=<>$\\|`]/g)?.length ?? 0;
  if (code / nonSpace > 0.03) return false;
  return /\p{L}{2,}(?:[ ,'’]+\p{L}+){4,}[.!?]/u.test(sample);
}
