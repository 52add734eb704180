/**
 * Markdown (saved replies, bot comments, Markdown inside YAML/JSON strings).
 *
 * remark-parse (+ remark-frontmatter) gives the structure with offsets; prose is read from
 * the template-masked text at those offsets. Text nodes and image alt text are prose;
 * everything else is masked: code, inline code, link destinations and titles, definitions,
 * front matter, emphasis markers, and blockquotes (quoted words are not the writer's). HTML
 * nodes go through the HTML adapter, sharing its state so `<pre>…</pre>` split over several
 * nodes still hides what is between. Paragraphs and headings end with a BARRIER.
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
import type { Nodes, Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { ExtractResult, ProseRegion } from '../engine/types.js';
import { HtmlContext, emitHtml } from './html.js';
import { ProseBuilder, ProseSource, hasLetters } from './prose.js';
import { literalAwareEscape, maskTemplates, structureText } from './template.js';
import { emitTextLines } from './text.js';

/**
 * Emphasis (`*a*`, `_a_`) is not parsed: its markers are harmless in prose, and micromark's
 * emphasis resolution is quadratic on runs of unmatched `*`/`_` (48 KB of them took 15 s).
 */
const processor = unified()
  .use(remarkParse)
  .use(remarkFrontmatter, ['yaml', 'toml'])
  .data('micromarkExtensions', [{ disable: { null: ['attention'] } }]);

/**
 * For oversized or bracket-heavy chunks: no link, image or definition constructs either
 * (micromark's label and definition handling is super-linear on many `[`). URLs in such a
 * chunk are still masked by the prose scanner.
 */
const degradedProcessor = unified()
  .use(remarkParse)
  .use(remarkFrontmatter, ['yaml', 'toml'])
  .data('micromarkExtensions', [{ disable: { null: ['attention', 'labelStartLink', 'labelStartImage', 'labelEnd', 'definition'] } }]);

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
    walker.base = a;
    walker.walk((degraded ? degradedProcessor : processor).parse(chunk) as Root);
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

class Walker {
  /** Offset of the chunk being walked (node offsets are relative to it). */
  base = 0;

  constructor(
    private readonly text: string,
    private readonly pb: ProseBuilder,
    private readonly html: HtmlContext,
  ) {}

  walk(node: Nodes): void {
    const ps = node.position?.start.offset;
    const pe = node.position?.end.offset;
    if (ps === undefined || pe === undefined) {
      this.children(node);
      return;
    }
    const s = ps + this.base;
    const e = pe + this.base;
    const pb = this.pb;
    switch (node.type) {
      case 'text':
        if (this.html.masked > 0) pb.mask(s, e);
        else pb.prose(s, e, { entities: true, markdownEscapes: true });
        return;
      case 'inlineCode':
      case 'break':
        pb.mask(s, e);
        return;
      case 'code':
        this.code(node.lang ?? null, s, e);
        return;
      case 'html':
        emitHtml(this.html, s, e, false);
        return;
      case 'yaml':
      case 'definition':
      case 'thematicBreak':
      case 'blockquote':
        pb.barrierMask(s, e);
        return;
      case 'image':
      case 'imageReference':
        this.alt(s, e);
        return;
      case 'paragraph':
      case 'heading':
      case 'tableCell':
        this.children(node);
        pb.barrierAt(e);
        return;
      default:
        if ((node as { type: string }).type === 'toml') {
          pb.barrierMask(s, e);
          return;
        }
        this.children(node);
    }
  }

  private children(node: Nodes): void {
    if ('children' in node) for (const child of node.children) this.walk(child as Nodes);
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
