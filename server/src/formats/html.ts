/**
 * HTML (e-mail templates, fragments, HTML inside JSON/YAML strings and Markdown).
 *
 * Uses parse5's tokenizer rather than its tree builder. The tree builder moves nodes
 * around (foster parenting of text inside `<table>`, implied `<html>/<body>`, adoption of
 * misnested formatting) and merges adjacent text, so a text node's location is not always
 * one contiguous slice of the file. The token stream is in source order with exact
 * offsets, works the same for whole documents and fragments, and never throws on
 * malformed mark-up. What the tree would add — which element we are inside — is tracked
 * with a small depth counter per masking element.
 *
 * Everything between tags is text; it is prose unless it sits inside `script`, `style`,
 * `code`, `pre`, `blockquote`… Character references are decoded here (parse5 decodes them
 * too, but hands back one string per run without a per-character map). `alt`, `title`,
 * `placeholder` and `aria-label` values are prose regions of their own.
 */
import { Tokenizer, TokenizerMode, type Token, type TokenHandler } from 'parse5';
import type { ExtractResult, InputProblem, ProseRegion } from '../engine/types.js';
import { ProseBuilder, ProseSource, escapeHtmlAttr, escapeHtmlText, hasLetters } from './prose.js';
import { literalAwareEscape, maskTemplates } from './template.js';

/** Elements that do not end a sentence: text flows through them. */
const INLINE = new Set([
  'a', 'abbr', 'acronym', 'b', 'bdi', 'bdo', 'big', 'cite', 'data', 'del', 'dfn', 'em', 'font', 'i', 'img',
  'ins', 'kbd', 'label', 'mark', 'nobr', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup',
  'time', 'tt', 'u', 'var', 'wbr', 'o:p',
]);

/** Elements whose content is not the writer's prose. */
const MASK_CONTENT = new Set([
  'script', 'style', 'code', 'pre', 'blockquote', 'textarea', 'svg', 'math', 'xml', 'template', 'xmp',
  'iframe', 'noembed', 'noframes', 'object', 'kbd', 'samp', 'plaintext',
]);

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/** Tokenizer states the tree builder would switch to after these start tags. */
const TEXT_STATE: Record<string, number> = {
  script: TokenizerMode.SCRIPT_DATA,
  style: TokenizerMode.RAWTEXT,
  xmp: TokenizerMode.RAWTEXT,
  iframe: TokenizerMode.RAWTEXT,
  noembed: TokenizerMode.RAWTEXT,
  noframes: TokenizerMode.RAWTEXT,
  title: TokenizerMode.RCDATA,
  textarea: TokenizerMode.RCDATA,
  plaintext: TokenizerMode.PLAINTEXT,
};

const PROSE_ATTRS = new Set(['alt', 'title', 'placeholder', 'aria-label']);

/** Tokenizer errors after which the rest of the input cannot be read as HTML. */
const FATAL_ERRORS = new Set(['eof-in-tag', 'eof-in-comment', 'eof-in-doctype', 'eof-in-cdata', 'eof-in-script-html-comment-like-text']);

/** State that survives across several calls (Markdown feeds its HTML nodes one by one). */
export class HtmlContext {
  readonly depth = new Map<string, number>();
  readonly firstOpen = new Map<string, number>();
  masked = 0;
  readonly regions: ProseRegion[] = [];
  readonly problems: InputProblem[] = [];

  constructor(
    readonly ps: ProseSource,
    readonly pb: ProseBuilder,
  ) {}

  open(name: string, at: number): void {
    const d = this.depth.get(name) ?? 0;
    if (d === 0) this.firstOpen.set(name, at);
    this.depth.set(name, d + 1);
    this.masked++;
  }

  close(name: string): void {
    const d = this.depth.get(name) ?? 0;
    if (d > 0) {
      this.depth.set(name, d - 1);
      this.masked--;
    }
  }
}

/**
 * Emit the HTML in [start, end) of the context's source into its builder (prose text,
 * masked tags, barriers at block elements) and collect attribute regions. With `final`,
 * report what is still open at the end (an unclosed `<pre>` hides the rest of the file).
 */
export function emitHtml(ctx: HtmlContext, start: number, end: number, final: boolean): void {
  const src = ctx.ps.text;
  const pb = ctx.pb;
  let last = start; // end of the last tag/comment/doctype
  let charEnd = start; // end of the last character token
  let fatal: string | undefined;
  let cutOffAt = -1; // start of a comment/doctype cut off by the end of input
  // parse5 reports a construct cut off by the end of input as ending one past it.
  const at = (offset: number): number => Math.min(end, offset + start);

  const gap = (to: number): void => {
    if (to <= last) return;
    if (ctx.masked > 0) pb.mask(last, to);
    else pb.prose(last, to, { entities: true });
    last = to;
  };

  /** A comment or doctype: masked whole; noted when the end of input cut it off. */
  const maskWhole = (loc: Token.Location | null | undefined): [number, number] | undefined => {
    if (!loc) return undefined;
    const s = at(loc.startOffset);
    const e = at(loc.endOffset);
    if (loc.endOffset + start >= end && !src.startsWith('>', e - 1)) cutOffAt = s;
    gap(s);
    pb.mask(s, e);
    last = e;
    return [s, e];
  };

  const handler: TokenHandler = {
    onStartTag(token: Token.TagToken): void {
      const loc = token.location;
      if (!loc) return;
      const s = at(loc.startOffset);
      const e = at(loc.endOffset);
      gap(s);
      const name = token.tagName;
      if (INLINE.has(name)) pb.mask(s, e);
      else pb.barrierMask(s, e);
      last = e;
      if (loc.attrs && ctx.masked === 0) {
        for (const attr of token.attrs) {
          if (!PROSE_ATTRS.has(attr.name)) continue;
          const aloc = loc.attrs[attr.name];
          if (aloc) attributeRegion(ctx, at(aloc.startOffset), at(aloc.endOffset));
        }
      }
      if (token.selfClosing || VOID.has(name)) return;
      if (MASK_CONTENT.has(name)) ctx.open(name, s);
      const state = TEXT_STATE[name];
      if (state !== undefined) tokenizer.state = state as typeof tokenizer.state;
    },
    onEndTag(token: Token.TagToken): void {
      const loc = token.location;
      if (!loc) return;
      const s = at(loc.startOffset);
      const e = at(loc.endOffset);
      gap(s);
      const name = token.tagName;
      if (INLINE.has(name)) pb.mask(s, e);
      else pb.barrierMask(s, e);
      last = e;
      if (MASK_CONTENT.has(name)) ctx.close(name);
    },
    onComment(token: Token.CommentToken): void {
      const span = maskWhole(token.location);
      if (!span) return;
      const [s, e] = span;
      // Magento keeps the e-mail subject in `<!--@subject … @-->`: that is prose.
      if (token.data.startsWith('@subject') && ctx.masked === 0) {
        const cs = Math.min(e, s + 4 + '@subject'.length);
        let ce = src.startsWith('-->', e - 3) ? e - 3 : e;
        if (src[ce - 1] === '@') ce--;
        if (ce > cs) {
          const b = new ProseBuilder(ctx.ps, cs);
          b.prose(cs, ce);
          pushRegion(ctx, b.build(ce), escapeHtmlText);
        }
      }
    },
    onDoctype(token: Token.DoctypeToken): void {
      maskWhole(token.location);
    },
    onCharacter(token: Token.CharacterToken): void {
      if (token.location) charEnd = Math.max(charEnd, at(token.location.endOffset));
    },
    onWhitespaceCharacter(token: Token.CharacterToken): void {
      if (token.location) charEnd = Math.max(charEnd, at(token.location.endOffset));
    },
    onNullCharacter(token: Token.CharacterToken): void {
      if (token.location) charEnd = Math.max(charEnd, at(token.location.endOffset));
    },
    onEof(): void {
      // Text after the last tag was delivered as characters; anything past them is a tag
      // or comment cut off by the end of input, which is not prose.
      const textEnd = Math.min(end, Math.max(last, charEnd));
      gap(textEnd);
      if (fatal) {
        ctx.problems.push({
          kind: 'parse-error',
          message: `Malformed HTML (${fatal}): the mark-up is not closed, so the rest of the input is not linted`,
          offset: cutOffAt >= 0 ? cutOffAt : textEnd,
          endOffset: end,
        });
      }
      pb.mask(last, end);
      last = end;
    },
    onParseError(err): void {
      if (!fatal && FATAL_ERRORS.has(err.code)) fatal = err.code;
    },
  };

  const tokenizer = new Tokenizer({ sourceCodeLocationInfo: true }, handler);
  tokenizer.write(start === 0 && end === src.length ? src : src.slice(start, end), true);

  if (final && ctx.masked > 0) {
    let first = -1;
    let firstName = '';
    for (const [name, d] of ctx.depth) {
      const at = ctx.firstOpen.get(name) ?? 0;
      if (d > 0 && (first < 0 || at < first)) {
        first = at;
        firstName = name;
      }
    }
    if (first >= 0 && firstName !== 'plaintext') {
      ctx.problems.push({
        kind: 'parse-error',
        message: `Unclosed <${firstName}>: everything after it is treated as ${firstName} content and not linted`,
        offset: first,
        endOffset: Math.min(end, first + firstName.length + 2),
      });
    }
  }
}

/** `alt="…"`: a region of its own, with the attribute's quoting for fixes. */
function attributeRegion(ctx: HtmlContext, as: number, ae: number): void {
  const src = ctx.ps.text;
  const eq = src.indexOf('=', as);
  if (eq < 0 || eq >= ae) return;
  let vs = eq + 1;
  while (vs < ae && /\s/.test(src[vs])) vs++;
  let ve = ae;
  let quote = '';
  if (src[vs] === '"' || src[vs] === "'") {
    quote = src[vs];
    vs++;
    if (src[ve - 1] === quote && ve - 1 >= vs) ve--;
  }
  if (ve <= vs) return;
  const b = new ProseBuilder(ctx.ps, vs);
  b.prose(vs, ve, { entities: true });
  pushRegion(ctx, b.build(ve), escapeHtmlAttr(quote));
}

function pushRegion(ctx: HtmlContext, text: ProseRegion['text'], escape: (s: string) => string): void {
  if (hasLetters(text.text)) ctx.regions.push({ text, escape });
}

export function extractHtml(src: string): ExtractResult {
  const layer = maskTemplates(src);
  const text = layer.text.text;
  const ps = new ProseSource(text);
  const pb = new ProseBuilder(ps);
  const ctx = new HtmlContext(ps, pb);
  emitHtml(ctx, 0, text.length, true);
  const main = pb.build(text.length);
  const regions: ProseRegion[] = [];
  const escape = literalAwareEscape(escapeHtmlText, layer.literals) ?? escapeHtmlText;
  if (hasLetters(main.text)) regions.push({ text: main, escape });
  for (const r of ctx.regions) {
    regions.push(layer.literals.length > 0 && r.escape ? { text: r.text, escape: literalAwareEscape(r.escape, layer.literals) } : r);
  }
  return { regions, problems: [...layer.problems, ...ctx.problems] };
}
