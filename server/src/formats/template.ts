/**
 * The template layer: hides template syntax so that only the words a person wrote remain.
 *
 * Every adapter applies it (on the raw file for text/Markdown/HTML, on each decoded string
 * for JSON/YAML) before looking at the structure. The output has exactly the input's
 * length — every change is a same-length substitution — so offsets after this layer are
 * offsets in its input, and HTML/Markdown parsers can run on the masked text.
 *
 *  - a placeholder that stands for a word (`{{ name }}`, `%NAME%`, `[Name]`, `*|FNAME|*`…)
 *    becomes PLACEHOLDER_CHAR followed by spaces: "Hi {{name}}, per our policy" stays one
 *    sentence with a word where the tag was;
 *  - control tags, comments and partials (`{% if %}`, `{{/each}}`, `<% end %>`, `{# #}`,
 *    `{{> footer}}`…) become TAG_BREAK_CHAR followed by spaces: no phrase runs across them
 *    (what they render is unknown), and sentence context reads them as a space;
 *  - a translatable string literal inside a tag (`{% trans "…" %}`, `{{ _("…") }}`,
 *    `{{trans "…"}}`, `__('…')`, `@lang('…')`) IS prose: its characters are kept, the rest of
 *    the tag is masked, and BARRIER_CHAR replaces its quotes (two strings never join).
 *
 * Hand-written because no library parses this mix of dialects at once, and a linter must not
 * fail on half-typed or unbalanced tags: this is a single left-to-right scan, every look-ahead
 * is bounded (MAX_*), and every "where does this end?" search goes through a cached finder,
 * so the cost stays linear even for a 1 MB file full of unterminated `{{`.
 */
import { MappedText } from '../engine/mapped-text.js';
import { BARRIER_CHAR, PLACEHOLDER_CHAR, TAG_BREAK_CHAR, type InputProblem } from '../engine/types.js';
import { NextFinder, maskText } from './prose.js';

/** A kept string literal: [start, end) is its content, without quotes. */
export interface TemplateLiteral {
  start: number;
  end: number;
  quote: string;
}

export interface TemplateLayer {
  /** Same length as the input; maps 1:1 onto it. */
  text: MappedText;
  literals: TemplateLiteral[];
  /** Source ranges that were template syntax (masked or turned into a placeholder), in order. */
  ranges: Array<[number, number]>;
  problems: InputProblem[];
}

/** Longest ordinary tag (`{{ }}`, `{% %}`, `<% %>`); a Magento `{{trans}}` can span lines. */
const MAX_TAG = 10_000;
/** Longest comment or code block (`{% comment %}…`, `{{!-- --}}`, `<?php ?>`, `@php…@endphp`). */
const MAX_BLOCK = 200_000;
/** Longest single-line placeholder such as `#{…}` or `%{…}`. */
const MAX_INLINE = 300;
/** Longest label placeholder such as `%NAME%`, `{name}`, `[Customer Name]`. */
const MAX_LABEL = 64;
/** Heredocs looked at in one PHP block (each may search far for its end). */
const MAX_HEREDOCS = 100;
/** How much of a line an unterminated tag masks. */
const MAX_UNTERMINATED = 300;

const TRIGGERS = /[{<%#*[@&$]/g;

/** `{{ word … }}` that are control flow, not values (Handlebars, Go, Magento, Liquid). */
const MUSTACHE_CONTROL = new Set([
  'else', 'end', 'if', 'elif', 'elseif', 'elsif', 'unless', 'range', 'with', 'define', 'template',
  'block', 'depend', 'layout', 'inlinecss', 'css', 'each', 'include', 'partial', 'endif', 'endfor',
  'endunless', 'for', 'widget', 'break', 'continue', 'extends',
]);

/** Function names whose first string argument is user-facing text. */
const GETTEXT_FUNCS = new Set([
  '_', '__', '_e', '_x', '_n', '_ex', '_nx', 'esc_html__', 'esc_html_e', 'esc_attr__', 'esc_attr_e',
  'esc_html_x', 'esc_attr_x', 'gettext', 'ngettext', 'ugettext', 'ungettext', 'gettext_lazy',
  'ugettext_lazy', 'gettext_noop', 'trans', 'trans_choice', 'translate', 'lang', 'choice', 't', '$t',
  'i18n', 'tr',
]);

/** Tag keywords that take a literal as their text: `{% trans "…" %}`, `{{trans "…"}}`. */
const TRANS_STATEMENTS = new Set(['trans', 'translate', '_']);

/** Filters that translate the literal before them: `{{ 'Hello'|trans }}`. */
const TRANS_FILTERS = new Set(['trans', 'translate', 't']);

/** Blade directives (`@if(…)`, `@endif`, `@lang('…')`). `@mentions` and e-mails are not these. */
const BLADE_DIRECTIVES = new Set([
  'if', 'elseif', 'else', 'endif', 'unless', 'endunless', 'isset', 'endisset', 'empty', 'endempty',
  'foreach', 'endforeach', 'for', 'endfor', 'forelse', 'endforelse', 'while', 'endwhile', 'switch',
  'case', 'break', 'default', 'endswitch', 'section', 'endsection', 'yield', 'extends', 'include',
  'includeIf', 'includeWhen', 'includeFirst', 'each', 'stack', 'push', 'endpush', 'prepend',
  'endprepend', 'component', 'endcomponent', 'slot', 'endslot', 'php', 'endphp', 'lang', 'choice',
  'csrf', 'method', 'auth', 'endauth', 'guest', 'endguest', 'verbatim', 'endverbatim', 'props',
  'parent', 'show', 'stop', 'overwrite', 'append', 'continue', 'json', 'env', 'endenv', 'production',
  'endproduction', 'hasSection', 'sectionMissing', 'can', 'cannot', 'canany', 'endcan', 'endcannot',
  'endcanany', 'error', 'enderror', 'once', 'endonce', 'inject', 'markdown', 'endmarkdown',
  'component', 'class', 'style', 'checked', 'selected', 'disabled', 'readonly', 'required',
]);

/** HTML element names, so that `<BR>` or `<TABLE>` are not taken for `<PLACEHOLDER>`s. */
const HTML_TAG_NAMES = new Set(
  ('a abbr acronym address area article aside audio b base basefont bdi bdo big blink blockquote body br button ' +
    'canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em embed ' +
    'fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i ' +
    'iframe img input ins kbd label legend li link main map mark marquee menu meta meter nav nobr noframes ' +
    'noscript object ol optgroup option output p param picture pre progress q rp rt ruby s samp script ' +
    'section select small source span strike strong style sub summary sup svg table tbody td template ' +
    'textarea tfoot th thead time title tr track tt u ul var video wbr xml xmp').split(' '),
);

const enum Ch {
  Tab = 9,
  Lf = 10,
  Cr = 13,
  Space = 32,
  Bang = 33,
  DQuote = 34,
  Hash = 35,
  Dollar = 36,
  Percent = 37,
  Amp = 38,
  SQuote = 39,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Colon = 58,
  Lt = 60,
  Eq = 61,
  Gt = 62,
  Question = 63,
  At = 64,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  Caret = 94,
  Underscore = 95,
  LBrace = 123,
  Pipe = 124,
  RBrace = 125,
  Tilde = 126,
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === Ch.Underscore;
}
function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}
function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab || c === Ch.Lf || c === Ch.Cr;
}

/** Translation keys (`devise.mailer.greeting`, `.title`, `email_improvements`) are not prose. */
function isKeyLike(s: string): boolean {
  if (s.length === 0) return true;
  if (/\s/.test(s)) return false;
  return (
    /^\.?[A-Za-z0-9_-]+(?:[.:/][A-Za-z0-9_-]+)+$/.test(s) ||
    /^\.[A-Za-z0-9_-]+$/.test(s) ||
    /^[a-z0-9]+(?:_[a-z0-9]+)+$/.test(s)
  );
}

interface Literal {
  q: number; // opening quote
  qe: number; // closing quote
}

type Mode = 'text' | 'literal';

class TemplateScanner {
  /**
   * The output is built as a plain string: every change is a same-length substitution, so
   * the map is the identity and no per-segment bookkeeping is needed.
   */
  private readonly out: string[] = [];
  private pos = 0;
  private readonly finders = new Map<string, NextFinder>();
  readonly literals: TemplateLiteral[] = [];
  readonly ranges: Array<[number, number]> = [];
  private firstProblem: InputProblem | undefined;
  private problemCount = 0;
  /** Blade `@x(` argument scans that failed reach this far; later ones there are skipped. */
  private parenFailUntil = -1;
  /** Same for multi-line `{` code blocks. */
  private braceFailUntil = -1;

  constructor(private readonly src: string) {}

  run(): TemplateLayer {
    const src = this.src;
    // A byte-order mark is not text; parsers see a space (same length) instead.
    if (src.charCodeAt(0) === 0xfeff) {
      this.out.push(' ');
      this.pos = 1;
    }
    this.scan(this.pos, src.length, 'text');
    this.copyTo(src.length);
    const problems: InputProblem[] = [];
    if (this.firstProblem) {
      const p = this.firstProblem;
      if (this.problemCount > 1) p.message += ` (and ${this.problemCount - 1} more)`;
      problems.push(p);
    }
    return { text: MappedText.identity(this.out.join('')), literals: this.literals, ranges: this.ranges, problems };
  }

  // --- output ----------------------------------------------------------------------------

  private copyTo(p: number): void {
    if (p > this.pos) {
      this.out.push(this.src.slice(this.pos, p));
      this.pos = p;
    }
  }

  private mask(start: number, end: number): void {
    this.copyTo(start);
    if (end > this.pos) {
      this.record(this.pos, end);
      const c = this.src.charCodeAt(this.pos);
      if (c === 0x0a || c === 0x0d) this.out.push(maskText(this.src, this.pos, end));
      else this.out.push(TAG_BREAK_CHAR, maskText(this.src, this.pos + 1, end));
      this.pos = end;
    }
  }

  private placeholder(start: number, end: number): void {
    this.copyTo(start);
    if (end <= start) return;
    this.record(start, end);
    this.out.push(PLACEHOLDER_CHAR, maskText(this.src, start + 1, end));
    this.pos = end;
  }

  private barrierChar(at: number): void {
    this.copyTo(at);
    this.record(at, at + 1);
    this.out.push(BARRIER_CHAR);
    this.pos = at + 1;
  }

  private record(start: number, end: number): void {
    const last = this.ranges[this.ranges.length - 1];
    if (last && last[1] === start) last[1] = end;
    else this.ranges.push([start, end]);
  }

  /** Mask a tag but keep its translatable literals as prose. */
  private tagWithLiterals(start: number, end: number, lits: Literal[]): void {
    let cur = start;
    for (const lit of lits) {
      this.mask(cur, lit.q);
      this.barrierChar(lit.q);
      this.scan(lit.q + 1, lit.qe, 'literal');
      this.copyTo(lit.qe);
      this.barrierChar(lit.qe);
      this.literals.push({ start: lit.q + 1, end: lit.qe, quote: this.src[lit.q] });
      cur = lit.qe + 1;
    }
    this.mask(cur, end);
  }

  private problem(start: number, end: number, message: string): void {
    this.problemCount++;
    if (!this.firstProblem) this.firstProblem = { kind: 'parse-error', message, offset: start, endOffset: end };
  }

  // --- search helpers ----------------------------------------------------------------------

  private find(needle: string, from: number, limit: number, maxLen: number): number {
    let f = this.finders.get(needle);
    if (!f) {
      f = new NextFinder(this.src, needle);
      this.finders.set(needle, f);
    }
    const at = f.next(from);
    if (at < 0 || at + needle.length > limit || at - from > maxLen) return -1;
    return at;
  }

  private lineEnd(from: number, limit: number): number {
    const n = this.find('\n', from, limit, Infinity);
    const r = this.find('\r', from, limit, Infinity);
    let e = limit;
    if (n >= 0) e = n;
    if (r >= 0 && r < e) e = r;
    return e;
  }

  /** Mask an opening delimiter that never closes: up to the end of its line, bounded. */
  private unterminated(p: number, limit: number, what: string, stopAt = -1): number {
    let end = Math.min(this.lineEnd(p, limit), p + MAX_UNTERMINATED);
    if (stopAt > p && stopAt < end) end = stopAt;
    this.problem(p, Math.min(limit, p + what.length), `Unterminated template tag '${what}': masked to the end of its line`);
    this.mask(p, Math.max(end, p + what.length));
    return Math.max(end, p + what.length);
  }

  /** Position after the first non-space char run; skips whitespace and trim markers (-, ~, +). */
  private skipTrim(i: number, end: number): number {
    while (i < end) {
      const c = this.src.charCodeAt(i);
      if (isSpace(c) || c === Ch.Minus || c === Ch.Tilde || c === Ch.Plus) i++;
      else break;
    }
    return i;
  }

  private readIdent(i: number, end: number): string {
    let j = i;
    while (j < end && isIdentChar(this.src.charCodeAt(j))) j++;
    return this.src.slice(i, j);
  }

  /** End of a quoted literal starting at `q` (index of the closing quote), or -1. */
  private quoteEnd(q: number, end: number): number {
    const src = this.src;
    const quote = src.charCodeAt(q);
    for (let i = q + 1; i < end; i++) {
      const c = src.charCodeAt(i);
      if (c === Ch.Backslash) i++;
      else if (c === quote) return i;
    }
    return -1;
  }

  /**
   * Translatable literals in a tag body [start, end): the first argument of a gettext-like
   * call, the literal after a `trans` statement keyword, or a literal piped to `|trans`.
   */
  private translatableLiterals(start: number, end: number): Literal[] {
    const src = this.src;
    const out: Literal[] = [];
    const first = this.skipTrim(start, end);
    const firstWord = this.readIdent(first, end);
    for (let i = start; i < end; i++) {
      const c = src.charCodeAt(i);
      if (c !== Ch.DQuote && c !== Ch.SQuote) continue;
      const qe = this.quoteEnd(i, end);
      if (qe < 0) break;
      const content = src.slice(i + 1, qe);
      if (!isKeyLike(content) && this.isTranslatable(i, qe, start, end, first, firstWord)) out.push({ q: i, qe });
      i = qe;
    }
    return out;
  }

  private isTranslatable(q: number, qe: number, start: number, end: number, first: number, firstWord: string): boolean {
    const src = this.src;
    // Before: `name(` or a statement keyword.
    let j = q - 1;
    while (j >= start && isSpace(src.charCodeAt(j))) j--;
    if (j >= start && src.charCodeAt(j) === Ch.LParen) {
      j--;
      while (j >= start && isSpace(src.charCodeAt(j))) j--;
      let k = j;
      while (k >= start && (isIdentChar(src.charCodeAt(k)) || src.charCodeAt(k) === Ch.Dollar)) k--;
      const name = src.slice(k + 1, j + 1);
      if (GETTEXT_FUNCS.has(name)) return true;
    } else if (j >= start && isIdentChar(src.charCodeAt(j))) {
      let k = j;
      while (k >= start && isIdentChar(src.charCodeAt(k))) k--;
      if (k + 1 === first && TRANS_STATEMENTS.has(firstWord)) return true;
    }
    // After: `|trans`, `| t`.
    let a = qe + 1;
    while (a < end && isSpace(src.charCodeAt(a))) a++;
    if (a < end && src.charCodeAt(a) === Ch.Pipe) {
      a++;
      while (a < end && isSpace(src.charCodeAt(a))) a++;
      if (TRANS_FILTERS.has(this.readIdent(a, end))) return true;
    }
    return false;
  }

  // --- the scan ------------------------------------------------------------------------------

  private scan(start: number, limit: number, mode: Mode): void {
    if (mode === 'literal') {
      // Literals are short and bounded by their tag: a plain loop, no look-ahead past `limit`.
      for (let i = start; i < limit; i++) {
        const c = this.src.charCodeAt(i);
        if (c !== Ch.Percent && c !== Ch.Hash && c !== Ch.Dollar && c !== Ch.LBrace) continue;
        if (i < this.pos) continue;
        const end = this.at(i, limit, mode);
        if (end > i) i = end - 1;
      }
      return;
    }
    const re = new RegExp(TRIGGERS.source, 'g');
    let i = start;
    while (i < limit) {
      re.lastIndex = i;
      const m = re.exec(this.src);
      if (!m || m.index >= limit) break;
      const p = m.index;
      if (p < this.pos) {
        i = this.pos;
        continue;
      }
      const end = this.at(p, limit, mode);
      i = end > p ? end : p + 1;
    }
  }

  /** Try every syntax that can start at `p`; returns the end of what was consumed, or -1. */
  private at(p: number, limit: number, mode: Mode): number {
    const src = this.src;
    const c0 = src.charCodeAt(p);
    const c1 = p + 1 < limit ? src.charCodeAt(p + 1) : -1;
    if (mode === 'literal') {
      // Inside a translatable string only placeholders can occur.
      switch (c0) {
        case Ch.Percent:
          return this.percent(p, limit, true);
        case Ch.Hash:
        case Ch.Dollar:
          return c1 === Ch.LBrace ? this.braced(p, p + 1, limit) : -1;
        case Ch.LBrace:
          return this.singleBrace(p, limit);
        default:
          return -1;
      }
    }
    switch (c0) {
      case Ch.LBrace:
        if (c1 === Ch.LBrace) return this.mustache(p, limit);
        if (c1 === Ch.Percent) return this.liquid(p, limit);
        if (c1 === Ch.Hash) return this.jinjaComment(p, limit);
        if (c1 === Ch.Bang && src.charCodeAt(p + 2) === Ch.Bang) return this.bladeRaw(p, limit);
        return this.singleBrace(p, limit);
      case Ch.Lt:
        if (c1 === Ch.Percent) return this.erb(p, limit);
        if (c1 === Ch.Question) return this.php(p, limit);
        return this.anglePlaceholder(p, p + 1, limit, '>');
      case Ch.Percent:
        return this.percent(p, limit, false);
      case Ch.Hash:
      case Ch.Dollar:
        return c1 === Ch.LBrace ? this.braced(p, p + 1, limit) : -1;
      case Ch.Star:
        return c1 === Ch.Pipe ? this.mailchimp(p, limit) : -1;
      case Ch.LBracket:
        return this.bracketLabel(p, limit);
      case Ch.At:
        return this.blade(p, limit);
      case Ch.Amp:
        // `&lt;OTRS_CUSTOMER_Name&gt;`: an OTRS tag inside entity-escaped text (XML exports).
        if (src.startsWith('&lt;', p)) return this.anglePlaceholder(p, p + 4, limit, '&gt;');
        return -1;
      default:
        return -1;
    }
  }

  /** `{{ … }}` in all its dialects. */
  private mustache(p: number, limit: number): number {
    const src = this.src;
    if (src.startsWith('{{!--', p) || src.startsWith('{{--', p)) {
      // Handlebars `{{!-- --}}` and Blade `{{-- --}}` comments.
      const close = this.find('--}}', p + 4, limit, MAX_BLOCK);
      if (close < 0) return this.unterminated(p, limit, src.startsWith('{{!--', p) ? '{{!--' : '{{--');
      this.mask(p, close + 4);
      return close + 4;
    }
    if (src.charCodeAt(p + 2) === Ch.LBrace) {
      // `{{{ raw }}}`: a value.
      const close = this.find('}}}', p + 3, limit, MAX_TAG);
      if (close < 0) return this.unterminated(p, limit, '{{{');
      return this.valueTag(p, close + 3, p + 3, close);
    }
    const close = this.find('}}', p + 2, limit, MAX_TAG);
    const nextOpen = this.find('{{', p + 2, limit, MAX_TAG);
    if (close < 0 || (nextOpen >= 0 && nextOpen < close)) return this.unterminated(p, limit, '{{', nextOpen);
    const end = close + 2;
    const b = this.skipTrim(p + 2, close);
    const c = src.charCodeAt(b);
    if (c === Ch.Bang || c === Ch.Hash || c === Ch.Slash || c === Ch.Caret || c === Ch.Gt || c === Ch.Lt || c === Ch.Star || c === Ch.Eq) {
      // Comments, block open/close, inverse sections, partials, decorators, delimiters.
      this.mask(p, end);
      return end;
    }
    const word = this.readIdent(b, close);
    const after = src.charCodeAt(b + word.length);
    if (word && MUSTACHE_CONTROL.has(word) && after !== Ch.Dot && after !== Ch.LParen && after !== Ch.LBracket) {
      this.mask(p, end);
      return end;
    }
    return this.valueTag(p, end, p + 2, close);
  }

  /** A tag that outputs something: its translatable literals, else a placeholder. */
  private valueTag(p: number, end: number, bodyStart: number, bodyEnd: number): number {
    const lits = this.translatableLiterals(bodyStart, bodyEnd);
    if (lits.length > 0) this.tagWithLiterals(p, end, lits);
    else this.placeholder(p, end);
    return end;
  }

  /** A tag that does not output a value: its translatable literals, else masked. */
  private controlTag(p: number, end: number, bodyStart: number, bodyEnd: number): number {
    const lits = this.translatableLiterals(bodyStart, bodyEnd);
    if (lits.length > 0) this.tagWithLiterals(p, end, lits);
    else this.mask(p, end);
    return end;
  }

  /** `{% … %}`: Liquid, Jinja, Django, Twig, Nunjucks; uvdesk `{%global.name%}`. */
  private liquid(p: number, limit: number): number {
    const src = this.src;
    const close = this.find('%}', p + 2, limit, MAX_TAG);
    const nextOpen = this.find('{%', p + 2, limit, MAX_TAG);
    if (close < 0 || (nextOpen >= 0 && nextOpen < close)) return this.unterminated(p, limit, '{%', nextOpen);
    const end = close + 2;
    const b = this.skipTrim(p + 2, close);
    const word = this.readIdent(b, close);
    if (word === 'comment') {
      // `{% comment %}…{% endcomment %}`: everything inside is a note to other writers.
      const endWord = this.find('endcomment', end, limit, MAX_BLOCK);
      const endClose = endWord >= 0 ? this.find('%}', endWord, limit, MAX_TAG) : -1;
      if (endClose < 0) {
        this.problem(p, end, "Unterminated '{% comment %}': only the tag is masked");
        this.mask(p, end);
        return end;
      }
      this.mask(p, endClose + 2);
      return endClose + 2;
    }
    // uvdesk-style `{%customer.firstName%}`: a dotted name with no spaces is a value.
    if (b === p + 2 && /^[A-Za-z_][\w]*(?:\.[\w]+)+$/.test(src.slice(b, close))) {
      this.placeholder(p, end);
      return end;
    }
    return this.controlTag(p, end, p + 2, close);
  }

  /** `{# … #}` Jinja/Twig comment. An unterminated `{#` is left alone (it may be text). */
  private jinjaComment(p: number, limit: number): number {
    const close = this.find('#}', p + 2, limit, MAX_BLOCK);
    if (close < 0) return -1;
    this.mask(p, close + 2);
    return close + 2;
  }

  /** Blade `{!! $html !!}`. */
  private bladeRaw(p: number, limit: number): number {
    const close = this.find('!!}', p + 3, limit, MAX_TAG);
    if (close < 0) return this.unterminated(p, limit, '{!!');
    return this.valueTag(p, close + 3, p + 3, close);
  }

  /** ERB/EJS `<% %>`, `<%= %>`, `<%- %>`, `<%# %>`. */
  private erb(p: number, limit: number): number {
    const src = this.src;
    const c2 = src.charCodeAt(p + 2);
    if (c2 === Ch.Percent) return p + 3; // `<%%` is a literal `<%`
    // ERB/EJS code starts with a space or a tag flag; `<%{url}>` is `<` + a `%{url}` placeholder.
    if (!(isSpace(c2) || c2 === Ch.Eq || c2 === Ch.Minus || c2 === Ch.Hash || c2 === Ch.Tilde || c2 === Ch.Underscore)) return -1;
    const isComment = c2 === Ch.Hash;
    const close = this.find('%>', p + 2, limit, isComment ? MAX_BLOCK : MAX_TAG);
    if (close < 0) return this.unterminated(p, limit, '<%');
    const end = close + 2;
    if (isComment) {
      this.mask(p, end);
      return end;
    }
    if (c2 === Ch.Eq || c2 === Ch.Minus || c2 === Ch.Tilde) return this.valueTag(p, end, p + 3, close);
    return this.controlTag(p, end, p + 2, close);
  }

  /** PHP `<?php ?>`, `<?= ?>`, and `<?xml ?>` declarations. */
  private php(p: number, limit: number): number {
    const src = this.src;
    const isEcho = src.charCodeAt(p + 2) === Ch.Eq;
    const isXml = src.startsWith('<?xml', p);
    if (!isEcho && !isXml && !src.startsWith('<?php', p) && !isSpace(src.charCodeAt(p + 2))) return -1;
    const close = this.find('?>', p + 2, limit, MAX_BLOCK);
    if (isXml) {
      const end = close < 0 ? Math.min(this.lineEnd(p, limit), p + MAX_UNTERMINATED) : close + 2;
      this.mask(p, end);
      return Math.max(end, p + 2);
    }
    if (close < 0) {
      // A PHP file may omit the closing `?>`: it is PHP to the end of the input. (Not the
      // "unterminated tag" case: this is how most PHP files end.)
      return this.phpCode(p, limit, p + 2, limit);
    }
    const end = close + 2;
    if (isEcho || /^<\?php\s+echo\s+\$/.test(src.slice(p, Math.min(close, p + 40)))) return this.valueTag(p, end, p + 3, close);
    return this.phpCode(p, end, p + 2, close);
  }

  /**
   * PHP code is masked, except what is text for the customer: the first argument of
   * gettext-style calls (`esc_html_e('…')`), and heredoc bodies (`<<<MESSAGE … MESSAGE;`),
   * which PHP e-mail templates use for the whole message and which are scanned as templates.
   */
  private phpCode(p: number, end: number, bodyStart: number, bodyEnd: number): number {
    const src = this.src;
    const heredoc = /<<<[ \t]*(["']?)([A-Za-z_]\w*)\1\r?\n/g;
    heredoc.lastIndex = bodyStart;
    let codeFrom = p;
    let literalsFrom = bodyStart;
    for (let count = 0; count < MAX_HEREDOCS; count++) {
      const m = heredoc.exec(src);
      if (!m || m.index >= bodyEnd) break;
      const contentStart = m.index + m[0].length;
      const closing = new RegExp(`^[ \\t]*${m[2]}\\b`, 'gm');
      closing.lastIndex = contentStart;
      const c = closing.exec(src);
      if (!c || c.index >= bodyEnd) break;
      this.tagWithLiterals(codeFrom, m.index, this.translatableLiterals(literalsFrom, m.index));
      this.barrierChar(m.index);
      this.mask(m.index + 1, contentStart);
      this.scan(contentStart, c.index, 'text');
      this.copyTo(c.index);
      codeFrom = literalsFrom = c.index;
      heredoc.lastIndex = c.index;
    }
    this.tagWithLiterals(codeFrom, end, this.translatableLiterals(literalsFrom, bodyEnd));
    return end;
  }

  /**
   * `<OTRS_CUSTOMER_Name>`, `<PLACEHOLDER>`, `<PROJECT NAME>` (and the same escaped as
   * `&lt;…&gt;`): an all-caps label in angle brackets that is not an HTML element.
   */
  private anglePlaceholder(p: number, nameStart: number, limit: number, close: string): number {
    const src = this.src;
    const c = src.charCodeAt(nameStart);
    if (!isUpper(c)) return -1;
    const otrs = src.startsWith('OTRS_', nameStart);
    const max = Math.min(limit, nameStart + (otrs ? MAX_INLINE : MAX_LABEL));
    let j = nameStart;
    let letters = 0;
    while (j < max) {
      const ch = src.charCodeAt(j);
      if (isUpper(ch)) letters++;
      else if (otrs ? isIdentChar(ch) || ch === Ch.LBracket || ch === Ch.RBracket || ch === Ch.Colon || ch === Ch.Minus || ch === Ch.Dot : isDigit(ch) || ch === Ch.Underscore || ch === Ch.Space || ch === Ch.Minus) {
        // part of the label
      } else break;
      j++;
    }
    if (!src.startsWith(close, j)) return -1;
    if (!otrs) {
      const label = src.slice(nameStart, j);
      if (letters < 2 || label.endsWith(' ')) return -1;
      // `<BR>`, `<TABLE>`, `<TD NOWRAP>`: old upper-case HTML, not a placeholder.
      if (HTML_TAG_NAMES.has(label.split(' ')[0].toLowerCase())) return -1;
    }
    const end = j + close.length;
    this.placeholder(p, end);
    return end;
  }

  /** `%NAME%`, `%%Name%%`, `%{name}`, `%(name)s`, `%s`, `%1$s`, and `%name` inside literals. */
  private percent(p: number, limit: number, inLiteral: boolean): number {
    const src = this.src;
    const c1 = p + 1 < limit ? src.charCodeAt(p + 1) : -1;
    if (c1 === Ch.LBrace) return this.braced(p, p + 1, limit);
    if (c1 === Ch.Percent) {
      // `%%Name%%`
      const nameEnd = this.labelEnd(p + 2, limit);
      if (nameEnd > p + 2 && src.startsWith('%%', nameEnd)) {
        this.placeholder(p, nameEnd + 2);
        return nameEnd + 2;
      }
      return p + 2; // `%%` is an escaped percent sign
    }
    if (c1 === Ch.LParen) {
      // Python `%(name)s`
      let j = p + 2;
      while (j < limit && j < p + MAX_LABEL && isIdentChar(src.charCodeAt(j))) j++;
      if (j > p + 2 && src.charCodeAt(j) === Ch.RParen && j + 1 < limit && /[sdifr]/.test(src[j + 1])) {
        this.placeholder(p, j + 2);
        return j + 2;
      }
      return -1;
    }
    // printf `%s`, `%d`, `%1$s`
    {
      let j = p + 1;
      while (j < limit && isDigit(src.charCodeAt(j))) j++;
      if (j > p + 1) {
        if (src.charCodeAt(j) === Ch.Dollar) j++;
        else j = -1;
      }
      if (j > 0 && j < limit && /[sdif]/.test(src[j]) && !(j + 1 < limit && isIdentChar(src.charCodeAt(j + 1)))) {
        this.placeholder(p, j + 1);
        return j + 1;
      }
    }
    if (!isIdentStart(c1)) return -1;
    const nameEnd = this.labelEnd(p + 1, limit);
    if (nameEnd > p + 1 && nameEnd < limit && src.charCodeAt(nameEnd) === Ch.Percent) {
      this.placeholder(p, nameEnd + 1);
      return nameEnd + 1;
    }
    if (inLiteral) {
      // Magento `{{trans "Welcome to %store_name"}}`: `%name` is a variable.
      let j = p + 1;
      while (j < limit && j < p + MAX_LABEL && isIdentChar(src.charCodeAt(j))) j++;
      this.placeholder(p, j);
      return j;
    }
    return -1;
  }

  /** End of a `name.part-x` label starting at `i` (bounded), or `i` if none. */
  private labelEnd(i: number, limit: number): number {
    const src = this.src;
    if (i >= limit || !isIdentChar(src.charCodeAt(i))) return i;
    let j = i;
    const max = Math.min(limit, i + MAX_LABEL);
    while (j < max) {
      const c = src.charCodeAt(j);
      if (isIdentChar(c) || c === Ch.Dot || c === Ch.Minus) j++;
      else break;
    }
    return j;
  }

  /**
   * `#{…}`, `%{…}`, `${…}`, `{$…}`: a single-line expression placeholder. `open` is the
   * index of its `{`. Braces nest; an unclosed one is left as text.
   */
  private braced(p: number, open: number, limit: number): number {
    const src = this.src;
    const firstClose = this.find('}', open + 1, limit, MAX_INLINE);
    if (firstClose < 0) return -1;
    const eol = this.lineEnd(open, limit);
    if (eol < firstClose) return -1;
    let depth = 0;
    const max = Math.min(limit, open + MAX_INLINE, eol);
    for (let j = open; j < max; j++) {
      const c = src.charCodeAt(j);
      if (c === Ch.LBrace) depth++;
      else if (c === Ch.RBrace && --depth === 0) {
        this.placeholder(p, j + 1);
        return j + 1;
      }
    }
    return -1;
  }

  /**
   * `{name}` (PrestaShop, Python format, ICU), `{0}`, and RT/Perl `{$Ticket->id}`,
   * `{ $User->Name }`, `{RT->Config->Get('x')}`.
   */
  private singleBrace(p: number, limit: number): number {
    const src = this.src;
    let j = p + 1;
    while (j < limit && j < p + 4 && (src.charCodeAt(j) === Ch.Space || src.charCodeAt(j) === Ch.Tab)) j++;
    const c = src.charCodeAt(j);
    if (c === Ch.Dollar) return this.braced(p, p, limit);
    if ((c === Ch.Lf || c === Ch.Cr) && p >= this.braceFailUntil) {
      // RT / Text::Template code block: `{` at the end of a line, Perl up to the matching `}`.
      const close = this.matchBracket(p, limit, Ch.LBrace, Ch.RBrace);
      if (close < 0) return -1;
      this.mask(p, close + 1);
      return close + 1;
    }
    if (!isIdentChar(c) || j !== p + 1) return -1;
    const nameEnd = this.labelEnd(p + 1, limit);
    if (nameEnd < limit && src.charCodeAt(nameEnd) === Ch.RBrace) {
      this.placeholder(p, nameEnd + 1);
      return nameEnd + 1;
    }
    // Perl method call `{RT->Config->Get('WebURL')}`, or a one-line block `{my $s = …; $s}`.
    let identEnd = p + 1;
    while (identEnd < limit && isIdentChar(src.charCodeAt(identEnd))) identEnd++;
    if (src.startsWith('->', identEnd) || src.startsWith('::', identEnd)) return this.braced(p, p, limit);
    if (isSpace(src.charCodeAt(identEnd)) && /\$[A-Za-z_]/.test(src.slice(identEnd, Math.min(limit, identEnd + 16)))) return this.braced(p, p, limit);
    return -1;
  }

  /** Mailchimp merge tags `*|FNAME|*`; `*|IF:…|*`, `*|END:IF|*` are control. */
  private mailchimp(p: number, limit: number): number {
    const close = this.find('|*', p + 2, limit, MAX_LABEL * 2);
    if (close < 0 || this.lineEnd(p, limit) < close) return -1;
    const body = this.src.slice(p + 2, close);
    if (!/^[A-Za-z0-9_:\-. ,'"=()]*$/.test(body) || body.length === 0) return -1;
    if (/^(?:IF|ELSEIF|ELSE|END|INTERESTED|IFNOT):/i.test(body)) this.mask(p, close + 2);
    else this.placeholder(p, close + 2);
    return close + 2;
  }

  /**
   * `[Name]`, `[Customer Name]`: a short capitalised label in brackets. Not a Markdown link
   * (`[text](url)`, `[text][ref]`, `[ref]: url`), image (`![alt]`), footnote or checkbox.
   */
  private bracketLabel(p: number, limit: number): number {
    const src = this.src;
    const prev = p > 0 ? src.charCodeAt(p - 1) : -1;
    if (prev === Ch.RBracket || prev === Ch.Bang || prev === Ch.Backslash || prev === Ch.LBracket) return -1;
    if (!isUpper(src.charCodeAt(p + 1))) return -1;
    let j = p + 1;
    const max = Math.min(limit, p + 1 + 40);
    while (j < max) {
      const c = src.charCodeAt(j);
      if (isIdentChar(c) || c === Ch.Space || c === Ch.Minus || c === Ch.Dot || c === 44 /* , */ || c === Ch.SQuote || c === Ch.Amp || c === Ch.Slash) j++;
      else break;
    }
    if (j >= limit || src.charCodeAt(j) !== Ch.RBracket) return -1;
    const next = j + 1 < limit ? src.charCodeAt(j + 1) : -1;
    if (next === Ch.LParen || next === Ch.LBracket) return -1;
    if (next === Ch.Colon && this.atLineStart(p)) return -1; // `[ref]: url` definition
    if (src.charCodeAt(j - 1) === Ch.Space) return -1;
    this.placeholder(p, j + 1);
    return j + 1;
  }

  private atLineStart(p: number): boolean {
    let k = p - 1;
    while (k >= 0 && k >= p - 3 && this.src.charCodeAt(k) === Ch.Space) k--;
    return k < 0 || this.src.charCodeAt(k) === Ch.Lf || this.src.charCodeAt(k) === Ch.Cr;
  }

  /** Blade `@if(…)`, `@endif`, `@lang('…')`, `@php … @endphp`. */
  private blade(p: number, limit: number): number {
    const src = this.src;
    if (p > 0) {
      const prev = src.charCodeAt(p - 1);
      if (isIdentChar(prev) || prev === Ch.Dot || prev === Ch.At || prev === Ch.Minus) return -1;
    }
    const name = this.readIdent(p + 1, limit);
    if (!name || !BLADE_DIRECTIVES.has(name)) return -1;
    let j = p + 1 + name.length;
    if (j < limit && isIdentChar(src.charCodeAt(j))) return -1;
    if (name === 'php' && src.charCodeAt(j) !== Ch.LParen) {
      const close = this.find('@endphp', j, limit, MAX_BLOCK);
      const end = close < 0 ? j : close + 7;
      this.mask(p, end);
      return end;
    }
    let k = j;
    while (k < limit && k < j + 8 && (src.charCodeAt(k) === Ch.Space || src.charCodeAt(k) === Ch.Tab)) k++;
    if (k < limit && src.charCodeAt(k) === Ch.LParen && k >= this.parenFailUntil) {
      const close = this.matchParen(k, limit);
      if (close > 0) return this.controlTag(p, close + 1, p + 1, close + 1);
    }
    this.mask(p, j);
    return j;
  }

  /** Index of the `)` matching the `(` at `open` (quotes respected, bounded), or -1. */
  private matchParen(open: number, limit: number): number {
    const close = this.matchBracket(open, limit, Ch.LParen, Ch.RParen);
    if (close < 0) this.parenFailUntil = Math.min(limit, open + MAX_TAG);
    return close;
  }

  /**
   * Index of the bracket matching the one at `open` (quotes respected, bounded), or -1.
   * A failed search remembers how far it looked, so that a run of unbalanced openers is not
   * searched again from each of them (that would be quadratic).
   */
  private matchBracket(open: number, limit: number, openCh: number, closeCh: number): number {
    const src = this.src;
    let depth = 0;
    const max = Math.min(limit, open + MAX_TAG);
    for (let i = open; i < max; i++) {
      const c = src.charCodeAt(i);
      if (c === Ch.DQuote || c === Ch.SQuote) {
        const qe = this.quoteEnd(i, Math.min(max, this.lineEnd(i, max)));
        if (qe >= 0) i = qe;
      } else if (c === openCh) depth++;
      else if (c === closeCh && --depth === 0) return i;
    }
    if (openCh === Ch.LBrace) this.braceFailUntil = max;
    return -1;
  }
}

/** Mask template syntax in `src`. Never throws on any input; linear time. */
export function maskTemplates(src: string): TemplateLayer {
  return new TemplateScanner(src).run();
}

/**
 * `src` with every template range replaced by inert filler of the same length (`x`, line
 * breaks kept) and a BOM by a space: what a Markdown parser should see. Spaces would turn
 * `{% if vip %}Dear…` at the start of a line into an indented code block; the raw tag would
 * break `[here]({{ url }})` (a link destination cannot contain spaces).
 */
export function structureText(src: string, layer: TemplateLayer): string {
  const parts: string[] = [];
  let pos = 0;
  if (src.charCodeAt(0) === 0xfeff) {
    parts.push(' ');
    pos = 1;
  }
  for (const [s, e] of layer.ranges) {
    if (s < pos) continue;
    parts.push(src.slice(pos, s), src.slice(s, e).replace(/[^\r\n]/g, 'x'));
    pos = e;
  }
  parts.push(src.slice(pos));
  return parts.join('');
}

/**
 * An `escape` that also protects the quotes of a kept template literal: a fix inside
 * `{{ __('…') }}` must not end the string early. `offset` is the fix's source offset when
 * the caller knows it (see the report on the ProseRegion.escape contract).
 */
export function literalAwareEscape(
  base: ((s: string) => string) | undefined,
  literals: readonly TemplateLiteral[],
  toSource: (i: number) => number = (i) => i,
): ((s: string, offset?: number) => string) | undefined {
  if (literals.length === 0) return base;
  const ranges = literals.map((l) => ({ start: toSource(l.start), end: toSource(l.end), quote: l.quote }));
  return (s: string, offset?: number) => {
    let out = base ? base(s) : s;
    if (offset === undefined) return out;
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = ranges[mid];
      if (offset < r.start) hi = mid - 1;
      else if (offset > r.end) lo = mid + 1;
      else {
        out = out.replace(/\\/g, '\\\\').split(r.quote).join('\\' + r.quote);
        break;
      }
    }
    return out;
  };
}
