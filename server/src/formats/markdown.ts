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

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml', 'toml']);

const PROSE_FENCE_LANGS = new Set(['text', 'txt', 'plain', 'plaintext', 'markdown', 'md', 'email', 'none']);

export function extractMarkdown(src: string): ExtractResult {
  const layer = maskTemplates(src);
  const text = layer.text.text;
  // (micromark also drops a leading BOM and shifts every offset by one: it gets a space.)
  const tree = processor.parse(structureText(src, layer)) as Root;

  const ps = new ProseSource(text);
  const pb = new ProseBuilder(ps);
  const html = new HtmlContext(ps, pb);
  const walker = new Walker(text, pb, html);
  walker.walk(tree);

  const main = pb.build(text.length);
  const regions: ProseRegion[] = [];
  const escape = literalAwareEscape(undefined, layer.literals);
  if (hasLetters(main.text)) regions.push(escape ? { text: main, escape } : { text: main });
  regions.push(...html.regions);
  return { regions, problems: [...layer.problems, ...html.problems] };
}

class Walker {
  constructor(
    private readonly text: string,
    private readonly pb: ProseBuilder,
    private readonly html: HtmlContext,
  ) {}

  walk(node: Nodes): void {
    const s = node.position?.start.offset;
    const e = node.position?.end.offset;
    if (s === undefined || e === undefined) {
      this.children(node);
      return;
    }
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
