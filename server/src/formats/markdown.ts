/**
 * Markdown (saved replies, bot comments, Markdown inside YAML/JSON strings).
 *
 * @lezer/markdown (CommonMark; the parser CodeMirror uses) gives the structure as a syntax
 * tree with exact offsets; prose is read from the template-masked text at those offsets.
 * Text is prose, and image alt text; everything else is masked: code, inline code, link
 * destinations and titles, definitions, front matter, emphasis markers, and blockquotes
 * (quoted words are not the writer's). HTML goes through the HTML adapter, sharing its state
 * so `<pre>…</pre>` split over several pieces still hides what is between. Paragraphs and
 * headings end with a BARRIER.
 *
 * Until the fourth session this adapter walked micromark's token stream. lezer's parser is
 * several times cheaper on a cold start (the CLI reads a few Markdown texts per run, most of
 * them before the JIT has warmed up: −15 ms on the benchmark corpus) and is much faster on
 * pathological input (50 KB of `>`: 11 s → 0.15 s). Runs of nested list markers on one line
 * (`1. 1. 1. …`) are capped before parsing (see capNesting), and unclosed inline `<!--`, `<!D`,
 * `<![CDATA[`, `<?` no longer make lezer rescan the paragraph (see htmlEndGuard). The walk keeps
 * micromark's reading:
 * regions, maps and problems are identical on all 469 files of the corpus and the fixtures,
 * and on 3,000 generated documents every difference was of a kind listed below. Where
 * lezer's tree differs from CommonMark as
 * micromark reads it, the walk corrects it: `[text]` is a link only when its label is
 * defined; CR LF is read as one line ending. What differs, by design or in the parsers:
 * a document that opens with `---`/`+++` and never closes it is read as plain Markdown
 * (micromark's front-matter extension then lost the lists and quotes after it); a few rare
 * block-structure cases (a lone `<tag>` line after a list item or a link definition, an
 * indented line right after a link definition, read as code), an escaped backtick just before
 * a code span, `<scheme:>` with an empty address, `[](…)` with empty text, a lower-case
 * `<!doctype>` (lezer takes declarations with an upper-case letter only, so it stays text),
 * and link text that itself holds brackets (`[our policy [4]](url)`: lezer makes the inner
 * pair the link; it is turned back into text, but the outer link is not restored).
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
import { parser as commonmark, type InlineContext, type InlineParser } from '@lezer/markdown';
import type { SyntaxNode } from '@lezer/common';
import type { ExtractResult, ProseRegion } from '../engine/types.js';
import { HtmlContext, emitHtml } from './html.js';
import { ProseBuilder, ProseSource, hasLetters } from './prose.js';
import { literalAwareEscape, maskTemplates, structureText } from './template.js';
import { emitTextLines } from './text.js';

/**
 * lezer's inline HTML parser tries, at every `<`, regexes that scan for the end of a comment,
 * declaration, CDATA section or processing instruction (`-->`, `>`, `]]>`, `?>`) through the
 * rest of the paragraph. With no such end ahead each try fails only at the paragraph's end, so a
 * paragraph of unclosed `<!--` or `<!D` took time growing with its length squared (156 KB of
 * `a <!D b `: 0.9 s; at the 2 MB file limit, minutes). This parser runs first and declares a
 * `<` plain text when nothing its construct needs lies ahead — exactly the cases where lezer's
 * own regexes fail — so that no scan starts; when the end is there, lezer's regex finds it
 * and the construct is consumed, which keeps the paragraph linear. The last position of each
 * end marker is found once per paragraph.
 */
interface EndsAhead {
  gt: number;
  comment: number;
  cdata: number;
  pi: number;
}
const endsOf = new WeakMap<InlineContext, EndsAhead>();
/** lezer's autolink pattern (URI or e-mail address, then `>`), sticky. */
const AUTOLINK = /(?:[a-z][-\w+.]+:[^\s>]+|[a-z\d.!#$%&'*+/=?^_`{|}~-]+@[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?(?:\.[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?)*)>/iy;

const htmlEndGuard: InlineParser = {
  name: 'CandorHtmlEndGuard',
  before: 'HTMLTag',
  parse(cx, next, start) {
    if (next !== 60 /* < */) return -1;
    const t = cx.text;
    let ends = endsOf.get(cx);
    if (!ends) {
      ends = { gt: t.lastIndexOf('>'), comment: t.lastIndexOf('-->'), cdata: t.lastIndexOf(']]>'), pi: t.lastIndexOf('?>') };
      endsOf.set(cx, ends);
    }
    const at = start - cx.offset + 1; // just after the `<`, in cx.text
    let hopeless: boolean;
    // Every construct of lezer's HTMLTag (autolink, comment, tag, declaration…) ends with `>`.
    if (ends.gt < at) return start + 1;
    if (t.startsWith('!--', at)) {
      // `<!-->` and `<!--->` are comments; otherwise a `-->` must come after the opener.
      hopeless = !t.startsWith('>', at + 3) && !t.startsWith('->', at + 3) && ends.comment < at + 3;
    } else if (t.startsWith('![CDATA[', at)) {
      hopeless = ends.cdata < at + 8;
    } else if (t.startsWith('?', at)) {
      hopeless = ends.pi < at + 1;
    } else {
      return -1; // a tag, declaration or autolink: lezer's own check never scans far here
    }
    if (!hopeless) return -1;
    // Still an e-mail autolink (`<?x@y.z>`, `<!--a@b.c>`), which lezer tries first: its
    // pattern stops at the first space. Checked only here, not at every `<`.
    AUTOLINK.lastIndex = at;
    return AUTOLINK.test(t) ? -1 : start + 1;
  },
};

/**
 * Emphasis (`*a*`, `_a_`) is not parsed: its markers are harmless in prose.
 */
const parser = commonmark.configure([{ remove: ['Emphasis'] }, { parseInline: [htmlEndGuard] }]);

/**
 * For oversized or bracket-heavy chunks: no link, image or definition constructs either
 * (their label handling is what grows fastest on pathological input). URLs in such a chunk
 * are still masked by the prose scanner.
 */
const degradedParser = commonmark.configure([{ remove: ['Emphasis', 'Link', 'Image', 'LinkEnd', 'LinkReference'] }, { parseInline: [htmlEndGuard] }]);

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
  // (A leading BOM becomes a space: a parser may drop it, and every offset would shift.)
  const structure = structureText(src, layer);

  const ps = new ProseSource(text);
  const pb = new ProseBuilder(ps);
  const html = new HtmlContext(ps, pb);
  const walker = new Walker(text, pb, html);
  for (const [a, b] of splitChunks(structure)) {
    let from = a;
    if (a === 0) {
      const fm = frontMatterEnd(structure);
      if (fm > 0) {
        pb.barrierMask(0, fm);
        from = fm;
      }
    }
    const chunk = from === 0 && b === structure.length ? structure : structure.slice(from, b);
    const degraded = chunk.length > CHUNK_MAX || countBrackets(chunk) > BRACKET_LIMIT;
    const [lf, crlf] = toLf(chunk);
    walker.walk((degraded ? degradedParser : parser).parse(capNesting(lf)).topNode, lf, from, crlf);
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

/**
 * YAML (`---`) or TOML (`+++`) front matter at the very start: its end (after the closing
 * fence line, before its line ending), or 0. As micromark's extension reads it: the fences
 * are the marker alone on their line (trailing spaces allowed), and both must be there.
 */
export function frontMatterEnd(s: string): number {
  const open = /^(---|\+\+\+)[ \t]*(?:\r\n|\r|\n)/.exec(s);
  if (!open) return 0;
  const marker = open[1];
  let pos = open[0].length;
  while (pos <= s.length) {
    let eol = pos;
    while (eol < s.length && s[eol] !== '\n' && s[eol] !== '\r') eol++;
    if (s.startsWith(marker, pos) && /^[ \t]*$/.test(s.slice(pos + 3, eol))) return eol;
    if (eol >= s.length) return 0;
    pos = eol + (s[eol] === '\r' && s[eol + 1] === '\n' ? 2 : 1);
  }
  return 0;
}

/**
 * The parser knows LF line endings only: CR LF becomes LF (one character shorter) and a
 * lone CR becomes LF. Returns the text and the positions in it of the LFs that were CR LF.
 */
function toLf(s: string): [string, number[]] {
  if (!s.includes('\r')) return [s, []];
  const crlf: number[] = [];
  let out = '';
  let last = 0;
  for (let i = s.indexOf('\r'); i >= 0; i = s.indexOf('\r', i + 1)) {
    out += s.slice(last, i);
    if (s.charCodeAt(i + 1) === 0x0a) {
      crlf.push(out.length);
      i++;
    }
    out += '\n';
    last = i + 1;
  }
  return [out + s.slice(last), crlf];
}

/** Containers a line may open before its text: no template nests lists or quotes deeper. */
const MAX_NESTING = 32;
const DEEP_LINE = new RegExp(`^[ \\t]*(?:(?:[-*+>]|\\d{1,9}[.)])[ \\t]+){${MAX_NESTING + 1},}`, 'gm');
const CONTAINER_MARK = /(?:[-*+>]|\d{1,9}[.)])[ \t]+/y;

/**
 * The parser's cost grows with the square of the containers one line opens (`1. 1. 1. …`:
 * 96 KB took 2.5 s), so markers past MAX_NESTING on a line are shown to it as plain letters
 * of the same length: offsets do not move, and such a line is hostile input, not a template.
 */
function capNesting(s: string): string {
  return s.replace(DEEP_LINE, (line) => {
    let pos = line.length - line.trimStart().length;
    for (let n = 0; n < MAX_NESTING; n++) {
      CONTAINER_MARK.lastIndex = pos;
      CONTAINER_MARK.test(line);
      pos = CONTAINER_MARK.lastIndex;
    }
    return line.slice(0, pos) + line.slice(pos).replace(/[^ \t]/g, 'x');
  });
}

/** CommonMark's label matching: case-insensitive, inner whitespace collapsed. */
function normalizeLabel(label: string): string {
  return label.replace(/[\t\n\r ]+/g, ' ').replace(/^ | $/g, '').toLowerCase().toUpperCase();
}

const HEADINGS = new Set(['ATXHeading1', 'ATXHeading2', 'ATXHeading3', 'ATXHeading4', 'ATXHeading5', 'ATXHeading6', 'SetextHeading1', 'SetextHeading2']);
/** Blocks masked whole, with a block boundary. */
const MASKED_BLOCKS = new Set(['Blockquote', 'HorizontalRule', 'LinkReference']);
const HTML_BLOCK_NODES = new Set(['HTMLBlock', 'CommentBlock', 'ProcessingInstructionBlock']);
const INLINE_HTML = new Set(['HTMLTag', 'Comment', 'ProcessingInstruction']);

/**
 * Walks the syntax tree of one chunk. Within a paragraph or heading, the text between the
 * constructs that interrupt it (code spans, inline HTML, images, links, hard breaks) is one
 * run of prose, as in an mdast text node; entities and backslash escapes in it are decoded.
 */
class Walker {
  /** Offset of the chunk being walked (node offsets are relative to it). */
  private base = 0;
  private chunk = '';
  private crlf: number[] = [];
  /** Link reference definitions of the chunk (normalized labels). */
  private defined = new Set<string>();

  constructor(
    private readonly text: string,
    private readonly pb: ProseBuilder,
    private readonly html: HtmlContext,
  ) {}

  /**
   * `chunk` is what was parsed: the chunk with CR LF and CR line endings as LF (the parser
   * knows only LF); `crlf` the positions in it of the LFs that stand for a CR LF.
   */
  walk(doc: SyntaxNode, chunk: string, base: number, crlf: number[] = []): void {
    this.base = base;
    this.chunk = chunk;
    this.crlf = crlf;
    this.defined = new Set();
    for (let n = doc.firstChild; n; n = n.nextSibling) this.collectDefinitions(n);
    this.blocks(doc);
  }

  private collectDefinitions(node: SyntaxNode): void {
    if (node.name === 'LinkReference') {
      const label = node.getChild('LinkLabel');
      if (label) this.defined.add(normalizeLabel(this.chunk.slice(label.from + 1, label.to - 1)));
      return;
    }
    if (node.name === 'Paragraph' || HEADINGS.has(node.name) || node.name === 'FencedCode' || node.name === 'CodeBlock' || HTML_BLOCK_NODES.has(node.name)) return;
    for (let n = node.firstChild; n; n = n.nextSibling) this.collectDefinitions(n);
  }

  private blocks(parent: SyntaxNode): void {
    for (let n = parent.firstChild; n; n = n.nextSibling) this.block(n);
  }

  private block(node: SyntaxNode): void {
    const name = node.name;
    const s = this.at(node.from);
    const e = this.at(node.to);
    if (name === 'Paragraph') {
      this.phrasing(node, node.from, node.to);
      this.pb.barrierAt(e);
    } else if (HEADINGS.has(name)) {
      const marks = node.getChildren('HeaderMark');
      const setext = name.startsWith('Setext');
      let from = setext ? node.from : (marks[0]?.to ?? node.from);
      while (!setext && from < node.to && (this.chunk.charCodeAt(from) === 0x20 || this.chunk.charCodeAt(from) === 0x09)) from++;
      const to = setext ? (marks[0]?.from ?? node.to) : marks.length > 1 ? marks[marks.length - 1].from : node.to;
      this.phrasing(node, from, to);
      this.pb.barrierAt(e);
    } else if (name === 'FencedCode') {
      const info = node.getChild('CodeInfo');
      // The language is the info string's first word, as written.
      const lang = info ? this.chunk.slice(info.from, info.to).split(/[ \t]/)[0] : null;
      this.code(lang === null || /[\\&]/.test(lang) ? null : lang, s, e);
    } else if (name === 'CodeBlock') {
      // Indented code begins at its line's start: its indentation is part of it.
      let start = node.from;
      while (start > 0 && (this.chunk.charCodeAt(start - 1) === 0x20 || this.chunk.charCodeAt(start - 1) === 0x09)) start--;
      this.pb.barrierMask(this.at(start), e);
    } else if (MASKED_BLOCKS.has(name)) {
      this.pb.barrierMask(s, e);
    } else if (HTML_BLOCK_NODES.has(name)) {
      emitHtml(this.html, s, e, false);
    } else {
      // Document, lists and list items: their blocks.
      this.blocks(node);
    }
  }

  /** The inline content of `node` between `from` and `to` (chunk offsets). */
  private phrasing(node: SyntaxNode, from: number, to: number): void {
    let run = from;
    const flush = (until: number): void => {
      // A run ends with its last text: neither the indentation of a line that starts with a
      // construct (`\t<b>`) nor the spaces that end the paragraph are part of it.
      let end = until;
      while (end > run && (this.chunk.charCodeAt(end - 1) === 0x20 || this.chunk.charCodeAt(end - 1) === 0x09)) end--;
      if (until < to && end > run && this.chunk.charCodeAt(end - 1) !== 0x0a) end = until;
      if (end > run) this.prose(this.at(run), this.at(end));
    };
    const visit = (parent: SyntaxNode): void => {
      for (let n = parent.firstChild; n; n = n.nextSibling) {
        if (n.to <= from || n.from >= to) continue;
        const name = n.name;
        // Text (decoded by the prose builder), and the brackets of a link that is text.
        if (name === 'Escape' || name === 'Entity' || name === 'HeaderMark' || name === 'LinkMark' || name === 'LinkLabel') continue;
        if ((name === 'Link' || name === 'Image') && !this.isLink(n)) {
          // A reference to no definition is text, brackets and all.
          visit(n);
          continue;
        }
        flush(n.from);
        const s = this.at(n.from);
        const e = this.at(n.to);
        if (name === 'Link') {
          const marks = n.getChildren('LinkMark');
          const labelEnd = marks.length > 1 ? marks[1].from : n.to;
          this.pb.mask(s, s + 1);
          run = n.from + 1;
          visitRange(n, labelEnd);
          flush(labelEnd);
          this.pb.mask(this.at(labelEnd), e);
        } else if (name === 'Autolink') {
          const url = n.getChild('URL');
          if (url) {
            this.pb.mask(s, this.at(url.from));
            this.prose(this.at(url.from), this.at(url.to));
          }
          this.pb.mask(s, e);
        } else if (name === 'Image') {
          this.alt(s, e);
        } else if (INLINE_HTML.has(name)) {
          emitHtml(this.html, s, e, false);
        } else {
          // Code spans, hard breaks and anything else: masked.
          this.pb.mask(s, e);
        }
        run = n.to;
        if (name === 'HardBreak') {
          // The next line's indentation belongs to the break, not to the text after it.
          while (run < to && (this.chunk.charCodeAt(run) === 0x20 || this.chunk.charCodeAt(run) === 0x09)) run++;
        }
      }
    };
    const visitRange = (parent: SyntaxNode, until: number): void => {
      const saveTo = to;
      to = until;
      visit(parent);
      to = saveTo;
    };
    visit(node);
    flush(to);
  }

  /**
   * A link (or image) of the text: inline, or a reference to a definition of the chunk. The
   * parser reads every `[text]` as a link; CommonMark only those whose label is defined.
   */
  private isLink(link: SyntaxNode): boolean {
    const marks = link.getChildren('LinkMark');
    const textStart = link.from + (link.name === 'Image' ? 2 : 1);
    const close = marks[1];
    if (!close) return false;
    // `[text](…)`: the parser ends it with a `)` mark (`[text](` alone is text).
    if (this.chunk.charCodeAt(close.to) === 0x28) return marks.some((m) => this.chunk.charCodeAt(m.from) === 0x29);
    const label = link.getChild('LinkLabel');
    if (label && label.to - label.from > 2) return this.defined.has(normalizeLabel(this.chunk.slice(label.from + 1, label.to - 1)));
    // A shortcut `[text]` is no link when a `[` follows it (CommonMark, as micromark reads it).
    if (!label && this.chunk.charCodeAt(close.to) === 0x5b) return false;
    return this.defined.has(normalizeLabel(this.chunk.slice(textStart, close.from)));
  }

  /** The offset in the text of position `p` of the parsed chunk. */
  private at(p: number): number {
    const crlf = this.crlf;
    if (crlf.length === 0 || p <= crlf[0]) return this.base + p;
    let lo = 0;
    let hi = crlf.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (crlf[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    return this.base + p + lo;
  }

  private prose(s: number, e: number): void {
    if (this.html.masked > 0) this.pb.mask(s, e);
    else this.pb.prose(s, e, { entities: true, markdownEscapes: true });
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
