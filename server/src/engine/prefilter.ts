import { decodeHTML } from 'entities';
import { isAsciiLetter, URL_SCHEMES, urlEnd } from '../formats/prose.js';
import { DQ_ESCAPES } from '../formats/yaml.js';
import type { PhraseMatcher } from './matcher.js';
import type { FormatId } from './types.js';

/**
 * A file-level prefilter. Most templates contain none of the phrases, and the format
 * adapters (HTML, Markdown and YAML parsers) cost several times more than matching, so the
 * raw file is first given a rough, cheap clean-up — a few native regex passes — and scanned
 * by the same tokenizer and trie. Only a file with a phrase hit goes through the real
 * pipeline; the others are done.
 *
 * The clean-up must never hide a phrase that the real pipeline would find, so it only ever
 * turns markup into spaces and decodes what adapters decode, in the adapters' order: JSON
 * and YAML escapes; template tags (keeping quoted strings inside them, which may be prose
 * such as `{{trans "…"}}`), OTRS tags and PHP heredoc openings; HTML tags, comments and
 * what HTML masks like them (keeping alt/title text and Magento subjects); inline code and
 * links; last, character references, with or without their semicolon. It may let through
 * more than the pipeline will report (text in comments, placeholders read as gaps): those
 * files are simply linted in full. Tests check that results are identical with and
 * without the prefilter on the corpus, the fixtures and generated input.
 *
 * Where adapters read the same characters in more than one way (a JSON or YAML value may be
 * plain text, Markdown or HTML; backticks may open a code span or be letters), every reading
 * is scanned. Not modelled: constructs left open up to the end of the file (an attribute
 * value or a template string that never closes), a single-quoted YAML scalar closed inside a
 * word (`'it's'`, malformed YAML), and Markdown where a fence's backticks also pair with code
 * spans or comments inside a phrase (`it's```\n<!-->not```\nmy job`), or where backticks far
 * apart pair differently. Generated tests with 100,000 cases (markup between and inside the
 * words of a phrase, letters written as escapes or references) find only these and `<?` run
 * straight into a template tag (`<?{% raw %}x?>`); pieces put into the real corpus (20,000
 * cases) also find a `<` inside a template tag's quoted string (`{% extends '<a.html' %}`,
 * kept as text here, where it can open a tag). Also not modelled, by choice: e-mail addresses
 * and `mailto:`/`tel:` links, which the adapters mask so that the words around join (see
 * maskWebAddresses: finding every one the way the adapters do would cost ~4% of a run).
 */

// What the adapters decode as one reference (entityLength in formats/prose.ts): `&`, a name or
// number of up to 33 characters and an optional `;`. Without the `;`, HTML still decodes its
// legacy names and numbers (`&nbsppolicy` is "\u00a0policy", `&#112olicy` is "policy").
const ENTITY = /&(?:#[xX][0-9a-fA-F]{1,31}|#[0-9]{1,32}|[A-Za-z][A-Za-z0-9]{0,32});?/g;
const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|[nrtbf"\\/])/g;
const HEX_DIGITS = /^[0-9a-fA-F]+$/;
// ERB/EJS code starts with a space or a tag flag (template.ts erb): `<%Per …%>` is text.
const TEMPLATE_TAG = /\{\{[^]{0,400}?\}\}|\{%[^]{0,400}?%\}|<%[\s=\-#~_][^]{0,400}?%>|\{#[^]{0,400}?#\}/g;
/**
 * A tag (or a `<!DOCTYPE …>`), as htmlparser2 reads one: from `<` and a letter to the first
 * `>` (a `<` inside is part of an attribute's name). Quoted values holding `<` or `>` are
 * lifted out first.
 */
const HTML_TAG = /<[/!]?[a-zA-Z][^>]{0,1000}>/g;
/**
 * In an HTML file, also what htmlparser2 masks as a comment up to the first `>`: `<!…>`,
 * `<?…>` (not PHP's `<?php`, `<?=`, `<? `: that is template code, whose heredocs and gettext
 * strings are text), and `</` followed by anything but a letter (`</ b>`, `</>`; a template
 * tag in a tag's name, `</{{ tag }}>`, leaves one). Markdown reads these as text (a tag
 * inside one is still a tag); a JSON or YAML value may be either.
 */
const HTML_MARKUP_OPENING = String.raw`<(?:[/!]?[a-zA-Z]|[/!]|\?(?!php|=|\s))`;
const HTML_TAG_OR_MASKED = new RegExp(`${HTML_MARKUP_OPENING}[^>]{0,1000}>`, 'g');
/** Where maskHtmlOnlyForms may mask something, also where a template tag will leave such a form (`</{{`). */
const MAY_HOLD_MASKED_FORM = /<(?:\?|!(?![a-zA-Z]|--)|\/(?![a-zA-Z]))/;
const BLANK_LINE = /\n[ \t]*\r?\n/;
/** What starts a tag (or something HTML masks like one) for htmlparser2: HTML_TAG_OR_MASKED's start. */
const TAG_OPENING = new RegExp(`^${HTML_MARKUP_OPENING}`);
/** Markdown's tags cannot hold a `<` (`<b it's<https://x.io>` is text and an autolink). */
const MARKDOWN_TAG = /<[/!]?[a-zA-Z][^<>]{0,1000}>/g;
/** The scheme just before a `://`, one of those that start a URL for the adapters. */
const URL_SCHEME_BEFORE = new RegExp(`(${URL_SCHEMES})$`, 'i');
/** Where a placeholder that this clean-up leaves in the text starts inside a URL. */
const PLACEHOLDER_IN_URL = /[{[]|\*\||%(?![0-9A-Fa-f]{2})[A-Za-z_]/;
const PHP_HEREDOC = /<<<[ \t]*(["']?)[A-Za-z_]\w*\1(?=\r?\n)/g;
/** An OTRS tag (template.ts anglePlaceholder). */
const OTRS_PLACEHOLDER = /<OTRS_[\w[\]:.-]{0,400}>/g;
/** An open or closing tag as CommonMark defines one (Markdown reads anything else as text). */
const COMMONMARK_TAG = /^<(?:[a-zA-Z][a-zA-Z0-9-]*(?:\s+[a-zA-Z_:][\w.:-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*\/?|\/[a-zA-Z][a-zA-Z0-9-]*\s*)>$/;
const ANGLED_VALUE = /=[ \t\n]{0,100}(?:"[^"<>]{0,1000}[<>][^"]{0,1000}"|'[^'<>]{0,1000}[<>][^']{0,1000}')/g;
const PROSE_ATTRIBUTE = /\b(?:alt|title|placeholder|aria-label)\s*=\s*("[^"]*"|'[^']*')/gi;
/** A single-quoted YAML scalar, if the first `'` opens one (see singleQuotedScalars). */
const YAML_SINGLE_QUOTED = /'((?:[^']|''){0,100000})'/g;
/** Blank lines inside a YAML scalar fold into one line break: they do not end a phrase. */
const YAML_BLANK_LINES = /\n[ \t]*(?:\r?\n[ \t]*)+/g;
/** In a template tag after its opening, with its quoted strings removed: a quote, a line break, another opening. */
const UNSURE_TAG = /["'\n]|\{[{%#]|<%/;
const QUOTED = /"[^"\n]*"|'[^'\n]*'/g;
/** An escaped backtick, or a fence of backticks or tildes. */
const MARKDOWN_ODD_BACKTICKS = /\\`|^[ \t]*(?:```|~~~)/m;
/** A code span: a run of n backticks to the next run of exactly n (CommonMark). */
const INLINE_CODE = /(?<!`)(`+)(?!`)[^]{0,400}?(?<!`)\1(?!`)/g;
/**
 * Markdown link syntax (Markdown files, and JSON and YAML values read as Markdown). The
 * adapter reads a link's text as part of its sentence — "Per our [policy](…)" is "Per our
 * policy" — while for the tokenizer `[`, `]`, `!` and `(` end a phrase. The destination and
 * title of an inline link (`](dest "title")`) and the label of a reference (`][label]`) are
 * lifted out; the brackets become spaces.
 */
const LINK_TAIL = /\](?:\(\s{0,100}(?:<[^<>\n]{0,1000}>|[^\s()]{0,1000}(?:\([^\s()]{0,1000}\)[^\s()]{0,1000})?)(?:\s{1,100}(?:"[^"]{0,1000}"|'[^']{0,1000}'|\([^()]{0,1000}\)))?\s{0,100}\)|\[[^[\]]{0,1000}\])/g;
const LINK_BRACKET = /!?\[|\]/g;

const entityCache = new Map<string, string>();

function decodeEntity(entity: string): string {
  let out = entityCache.get(entity);
  if (out === undefined) {
    out = decodeHTML(entity);
    if (entityCache.size < 10_000) entityCache.set(entity, out);
  }
  return out;
}

/** The rough clean-up described above. Positions are not kept: only "is there a hit?" matters. */
export function roughProse(text: string, format: FormatId): string {
  const asWritten = roughReading(text, format, false);
  if (format !== 'markdown' && format !== 'json' && format !== 'yaml') return asWritten;
  if (!text.includes('<') || !MAY_HOLD_MASKED_FORM.test(text)) return asWritten;
  // `<?…?>`, `<![CDATA[…]]>`, `</ …>` and the like: HTML masks them (so may Markdown), text
  // reads them as text. Both readings, each cleaned up on its own (no pass may pair a
  // backtick or a bracket of one with one of the other).
  return asWritten + ' . ' + roughReading(text, format, true);
}

function roughReading(text: string, format: FormatId, maskForms: boolean): string {
  let t = text;
  if (format === 'json' && t.includes('\\')) {
    // `\/` stays a slash: it may be part of a URL (`https:\/\/…`), masked below.
    t = t.replace(JSON_ESCAPE, (m, hex: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : m[1] === '"' ? '"' : m[1] === '/' ? '/' : ' '));
  }
  // A backslash is an escape in a double-quoted YAML scalar and a letter in any other
  // (`poli\x63y` is "policy" or "poli\x63y"): both readings.
  if (format === 'yaml' && t.includes('\\')) {
    const decoded = yamlEscapesDecoded(t, true);
    t += ' . ' + decoded.text + (decoded.malformed ? ' . ' + yamlEscapesDecoded(t, false).text : '');
  }
  if (format === 'yaml' && mayHoldBlankLine(t)) t = t.replace(YAML_BLANK_LINES, '\n');
  // `''` in a single-quoted YAML scalar is one quote (`'It''s'` is "It's"): such scalars
  // are also scanned as the parser reads them.
  if (format === 'yaml' && t.includes("''")) {
    const scalars = singleQuotedScalars(t);
    if (scalars) t += scalars + ' . ';
  }
  if (t.includes('{{') || t.includes('{%') || t.includes('<%') || t.includes('{#')) {
    // The template layer may end a tag sooner than this pattern does: at a quote left open
    // (`{{trans "…`, a stray `'s`), a line break or another opening. Such a tag is also
    // scanned whole, after the text.
    let unsure = '';
    t = t.replace(TEMPLATE_TAG, (m) => {
      const quoted = m.match(QUOTED);
      if (UNSURE_TAG.test((quoted ? m.replace(QUOTED, '') : m).slice(2))) unsure += ' . ' + m;
      return quoted ? ' ' + quoted.map((q) => q.slice(1, -1)).join(' . ') + ' ' : ' ';
    });
    if (unsure) t += unsure + ' . ';
  }
  // `<OTRS_CUSTOMER_Name>`: a placeholder to the template layer, before any markup is read
  // (elsewhere it reads as a tag, which is the same unless it sits inside another).
  if (t.includes('<OTRS_')) t = t.replace(OTRS_PLACEHOLDER, ' ');
  // A PHP heredoc's opening (`<<<MESSAGE`) is code; its body is text (template.ts phpCode).
  // Read as a tag, `<MESSAGE` would run to the first `>` of the body.
  if (t.includes('<<<')) t = t.replace(PHP_HEREDOC, ' ');
  // After the template tags, as in the adapters (`</{{ tag }}>` is `</ >` to HTML).
  if (maskForms) t = maskHtmlOnlyForms(t);
  if (t.includes('<')) {
    if (t.includes('<!--')) {
      // A JSON or YAML value read as plain text closes `<!-->` later than HTML: both readings.
      t = format === 'json' || format === 'yaml' ? stripComments(t, 'html') + ' . ' + stripComments(t, 'text') : stripComments(t, format);
    }
    if (format !== 'text') {
      // alt/title/… values are prose: they are kept, after the text and set off by barriers
      // (where they stand does not matter here). Taking them from anywhere, not only from
      // inside tags, can only let more through.
      let attributes = '';
      // exec in a loop, not matchAll, which clones the regex on every call.
      PROSE_ATTRIBUTE.lastIndex = 0;
      for (let a = PROSE_ATTRIBUTE.exec(t); a !== null; a = PROSE_ATTRIBUTE.exec(t)) attributes += ' . ' + a[1].slice(1, -1);
      // A `>` in a quoted value (`title="Go > Settings"`) would end a tag early for HTML_TAG.
      // Such values are lifted out first (what only looks like a value is scanned all the same).
      const liftAngledValues = (s: string): string =>
        s.replace(ANGLED_VALUE, (m) => {
          attributes += ' . ' + m;
          return '=""';
        });
      if (format === 'html') {
        // In HTML every tag is a tag: one native pass, without a callback per tag; the values
        // are lifted only when a tag visibly ended early.
        // A CDATA section runs to `]]>`, past any `>` inside.
        if (t.includes('<![CDATA[')) t = stripCdata(t);
        const stripped = t.replace(HTML_TAG_OR_MASKED, ' ');
        t = stripped.includes('">') || stripped.includes("'>") ? liftAngledValues(t).replace(HTML_TAG_OR_MASKED, ' ') : stripped;
      } else {
        t = liftAngledValues(t);
        // Markdown reads a malformed tag (or one across a blank line) as text, and a JSON or
        // YAML value without a common HTML tag is not HTML: there `<` and `>` end a phrase. The
        // text of a tag that may be text is scanned too. In JSON and YAML that is every tag:
        // what looks like one here may run from one value into the next.
        const surelyHtml = format === 'markdown' ? (tag: string) => COMMONMARK_TAG.test(tag) && !BLANK_LINE.test(tag) : () => false;
        t = t.replace(format === 'markdown' ? MARKDOWN_TAG : HTML_TAG, (m) => {
          if (!surelyHtml(m)) attributes += ' . ' + m;
          return ' ';
        });
      }
      if (attributes) t += attributes + ' . ';
    }
    // Plain text reads tags as text: only comments are masked there.
  }
  if (t.includes('`') && (format === 'markdown' || format === 'json' || format === 'yaml')) {
    // A code span is a gap in the text ("Per `x` our policy"); backticks that open none (an
    // escaped one, a fence's, a lone one, or any in a JSON or YAML value that is not
    // Markdown) are letters. Both readings, unless every backtick of a Markdown file is in a
    // plain code span.
    const spans = t.replace(INLINE_CODE, ' ');
    t = format === 'markdown' && !spans.includes('`') && !MARKDOWN_ODD_BACKTICKS.test(t) ? spans : t + ' . ' + spans;
  }
  if ((format === 'markdown' || format === 'json' || format === 'yaml') && t.includes('[')) {
    // What is lifted out is still scanned, after the text and set off by barriers: a stray
    // `](per-our-policy)` that no link owns is text to the adapter, and must still let the
    // file through.
    let lifted = '';
    t = t.replace(LINK_TAIL, (m) => {
      lifted += ' . ' + m;
      return ' ';
    });
    t = t.replace(LINK_BRACKET, ' ');
    if (lifted) t += lifted + ' . ';
  }
  // Web addresses are never prose: every adapter masks them, so the words around one join
  // (`Per our https://x.io/refunds policy`). After tags, code spans and links, as in the
  // adapters (an autolink `<https://…>` and a link's `](https://…)` are markup first).
  if (t.includes('://') || t.includes('www.') || t.includes('WWW.')) t = maskWebAddresses(t);
  // Last, as in the adapters, which decode the text that markup and templates leave (a `&gt;`
  // does not end a tag).
  if (t.includes('&')) {
    // HTML and Markdown decode entities, plain text does not (`customer&rsquo;s` is two
    // words there, one after decoding); a JSON or YAML value may be either: both readings.
    if (format === 'html' || format === 'markdown') t = t.replace(ENTITY, decodeEntity);
    else if (format === 'json' || format === 'yaml') {
      // Both readings whenever a reference decodes: the decoded one may join words, the one
      // as written keeps the letters of the name (`&copy` is "©" or "copy").
      let changed = false;
      const decoded = t.replace(ENTITY, (e) => {
        const d = decodeEntity(e);
        if (d !== e) changed = true;
        return d;
      });
      if (changed) t += ' . ' + decoded;
    }
  }
  return t;
}

/**
 * HTML comments become a space, as every adapter masks them (`Per our <!-- x --> policy` is
 * "Per our policy"). A search by hand with indexOf, not a regex: once no `-->` follows an
 * opening, none follows any later one either, so the whole pass stays linear. With `lift`,
 * a comment's text is also scanned, after the text (Markdown may read a malformed one as
 * text). The plain-text adapter masks only `<!--` when the close is more than 100,000
 * characters away: so does this (every adapter masks at least that much).
 */
function stripComments(t: string, format: FormatId): string {
  const html = format === 'html';
  const lift = !html;
  // HTML and Markdown read `<!-->` and `<!--->` as whole (empty) comments; the plain-text
  // adapter looks for the close after the opening.
  const skip = format === 'text' ? 4 : 2;
  let out = '';
  let lifted = '';
  let from = 0;
  let searchFrom = 0;
  let closing = true;
  let bang = html ? -2 : -1; // the next `--!>` (-2: not looked for yet, -1: none)
  for (let open = t.indexOf('<!--'); open >= 0; open = t.indexOf('<!--', searchFrom)) {
    if (html && insideTag(t, from, open)) {
      // `<b <!-->`: inside a tag, htmlparser2 reads `<!--` as part of an attribute's name.
      searchFrom = open + 1;
      continue;
    }
    let close = closing ? t.indexOf('-->', open + skip) : -1;
    let closeLength = 3;
    if (html) {
      // HTML also ends a comment at `--!>` (looked up again only once passed, so that the
      // pass stays linear).
      if (bang === -2 || (bang >= 0 && bang < open + skip)) bang = t.indexOf('--!>', open + skip);
      if (bang >= 0 && (close < 0 || bang < close)) {
        close = bang;
        closeLength = 4;
      }
    }
    if (close < 0) closing = false;
    const end = close < 0 || close - open >= 100_000 ? open + 4 : close + closeLength;
    out += t.slice(from, open) + ' ';
    if (lift) lifted += ' . ' + t.slice(open, end);
    // Magento keeps an e-mail's subject in `<!--@subject … @-->`: the HTML adapter lints it.
    else if (t.startsWith('@subject', open + 4)) lifted += ' . ' + t.slice(open + 12, end);
    from = end;
    searchFrom = end;
  }
  out += t.slice(from);
  return lifted ? out + lifted + ' . ' : out;
}

/**
 * `scheme://…` (http, https, ftp, ftps, sftp, file) and `www.…` addresses become a space,
 * ended as formats/prose.ts ends them (urlEnd). Found from their `://` or `www.` with native
 * searches: the adapters' URL_START regex costs ~3 ns a character over every file (~4% of a CLI
 * run), and the prefilter needs only what is certainly a URL to the adapters — masking less
 * than they do only leaves words (and the barriers between them) to scan. So `mailto:`,
 * `tel:`, e-mail addresses and a mixed-case `Www.` are left as text.
 */
function maskWebAddresses(t: string): string {
  const found: Array<[number, number]> = [];
  for (let p = t.indexOf('://'); p >= 0; p = t.indexOf('://', p + 3)) {
    const m = URL_SCHEME_BEFORE.exec(t.slice(Math.max(0, p - 6), p));
    if (!m) continue;
    const s = p - m[1].length;
    if (s > 0 && isRegexWordChar(t.charCodeAt(s - 1))) continue;
    found.push([s, p + 3]);
  }
  for (const www of ['www.', 'WWW.']) {
    for (let p = t.indexOf(www); p >= 0; p = t.indexOf(www, p + 4)) {
      if ((p > 0 && isRegexWordChar(t.charCodeAt(p - 1))) || !isAsciiAlnum(t.charCodeAt(p + 4))) continue;
      found.push([p, p + 4]);
    }
  }
  if (found.length === 0) return t;
  found.sort((a, b) => a[0] - b[0]);
  let out = '';
  let lifted = '';
  let from = 0;
  for (const [s, bodyStart] of found) {
    if (s < from) continue; // inside the previous address
    const e = urlEnd(t, s, bodyStart, t.length);
    if (e <= bodyStart) continue;
    out += t.slice(from, s) + ' ';
    // The adapters end an address at a placeholder (`https://x.io%{path}`) that this clean-up
    // leaves in the text: such an address is also scanned as written, with the rest of its line.
    if (PLACEHOLDER_IN_URL.test(t.slice(bodyStart, e))) {
      const lineEnd = t.indexOf('\n', e);
      lifted += ' . ' + t.slice(s, Math.min(lineEnd < 0 ? t.length : lineEnd, e + 200));
    }
    from = e;
  }
  return out + t.slice(from) + (lifted ? lifted + ' . ' : '');
}

/** A word character to a regex's `\b` (ASCII letters, digits, `_`). */
function isRegexWordChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 0x5f;
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || isAsciiLetter(c);
}

/**
 * Raw HTML that is not a tag becomes a space: CommonMark's processing instructions (`<?…?>`)
 * and CDATA sections (`<![CDATA[…]]>`), which may hold a `>`, and what htmlparser2 masks up to
 * the first `>` (`<?…>`, `<!` and no letter, `</` and no letter; not `<!--`: comments are
 * dealt with before). By hand, each end looked up once: when none follows one opening, none
 * follows a later one, so the pass stays linear.
 */
function maskHtmlOnlyForms(t: string): string {
  let out = '';
  let from = 0;
  let gt = -2; // the next `>` at or after the current opening (-2: not looked up, -1: none)
  let pi = -2;
  let cdata = -2;
  for (let lt = t.indexOf('<'); lt >= 0 && lt + 1 < t.length; lt = t.indexOf('<', lt + 1)) {
    const next = t[lt + 1];
    let end = -1;
    if (next === '?') {
      if (pi === -2 || (pi >= 0 && pi < lt + 2)) pi = t.indexOf('?>', lt + 2);
      end = pi >= 0 ? pi + 2 : -1;
    } else if (next === '!' && t.startsWith('[CDATA[', lt + 2)) {
      if (cdata === -2 || (cdata >= 0 && cdata < lt + 9)) cdata = t.indexOf(']]>', lt + 9);
      end = cdata >= 0 ? cdata + 3 : -1;
    }
    // `<?` up to the first `>` whatever follows it; `</` and `<!` only when no letter does (with
    // one, they are tags, which HTML_TAG reads) and not as a comment's `<!--`.
    if (end < 0 && (next === '?' || ((next === '/' || next === '!') && !isAsciiLetter(t.charCodeAt(lt + 2)) && !(next === '!' && t.startsWith('--', lt + 2))))) {
      if (gt === -2 || (gt >= 0 && gt < lt)) gt = t.indexOf('>', lt);
      end = gt >= 0 ? gt + 1 : -1;
    }
    if (end < 0) continue;
    out += t.slice(from, lt) + ' ';
    from = end;
    lt = end - 1;
  }
  return out + t.slice(from);
}

/**
 * CDATA sections become a space. By hand, like comments: once no `]]>` follows an opening,
 * none follows a later one, so the pass stays linear (a lazy regex would rescan the rest of
 * the file from every unclosed opening). An unclosed one is left as it is.
 */
function stripCdata(t: string): string {
  let out = '';
  let from = 0;
  for (let open = t.indexOf('<![CDATA['); open >= 0; open = t.indexOf('<![CDATA[', from)) {
    const close = t.indexOf(']]>', open + 9);
    if (close < 0) break;
    out += t.slice(from, open) + ' ';
    from = close + 3;
  }
  return out + t.slice(from);
}

/**
 * Is `open` inside a tag that starts after `from` (a `<` and a letter, and no `>` since)?
 * Both searches stay between the last `<` and `open`, so a pass over many openers stays linear.
 */
function insideTag(t: string, from: number, open: number): boolean {
  if (open === 0) return false; // (lastIndexOf(…, -1) would find the opening's own `<`)
  const lt = t.lastIndexOf('<', open - 1);
  if (lt < from || !TAG_OPENING.test(t.slice(lt, lt + 3))) return false;
  return !t.slice(lt, open).includes('>');
}

/**
 * A blank line is `\n`, spaces or tabs, and `\n` or `\r\n`: without spaces it holds `\n\n` or
 * `\n\r`, with them a space or tab before `\n` or `\r`. Six native searches cost less than the
 * regex over every line of a YAML file.
 */
function mayHoldBlankLine(t: string): boolean {
  return t.includes('\n\n') || t.includes('\n\r') || t.includes(' \n') || t.includes('\t\n') || t.includes(' \r') || t.includes('\t\r');
}

/**
 * The text with every escape decoded as in a double-quoted YAML scalar, the way the YAML
 * adapter decodes one (formats/yaml.ts): `\\x63`, `\\u0063`, `\\U00000063`, the one-character
 * escapes, and an escaped line break, which joins the lines without a space. Done over the
 * whole file, since which scalars are double-quoted is not known here. Line breaks and the
 * escapes that are not letters become spaces, as in JSON above.
 *
 * A hex escape that is not one (`\\xZZ`, an error in YAML) is kept, and the adapter keeps
 * the characters it should have covered too (`adapterSkip`). Outside a double-quoted scalar
 * that skip could carry the decoding past the next scalar's opening quote, so such a file is
 * also decoded without it (`malformed` says when).
 */
function yamlEscapesDecoded(t: string, adapterSkip: boolean): { text: string; malformed: boolean } {
  let out = '';
  let from = 0;
  let malformed = false;
  for (let i = t.indexOf('\\'); i >= 0; i = t.indexOf('\\', i)) {
    const next = t[i + 1];
    const one = next === undefined ? undefined : DQ_ESCAPES[next];
    if (one !== undefined) {
      out += t.slice(from, i) + (one === '"' ? '"' : ' ');
      i += 2;
      from = i;
    } else if (next === '\n' || (next === '\r' && t[i + 2] === '\n')) {
      let j = i + (next === '\n' ? 2 : 3);
      while (t[j] === ' ' || t[j] === '\t') j++;
      out += t.slice(from, i);
      i = j;
      from = j;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = t.slice(i + 2, i + 2 + length);
      const code = hex.length === length && HEX_DIGITS.test(hex) ? parseInt(hex, 16) : -1;
      if (code >= 0 && code <= 0x10ffff) {
        out += t.slice(from, i) + String.fromCodePoint(code);
        i += 2 + length;
        from = i;
      } else {
        malformed = true;
        i += adapterSkip ? 2 + length : 2;
      }
    } else {
      i += 2; // not an escape: kept as written
    }
  }
  return { text: out + t.slice(from), malformed };
}

/**
 * The values of the single-quoted scalars of a YAML file, each after a barrier. A `'` opens
 * one after `key:`, `-`, `?`, `[`, `{`, `,`, a tag or an anchor, or at a line's start; other
 * quotes are apostrophes (a regex would need a look-behind, which V8 then tries at every
 * character: 2.5× the cost of this scan).
 */
function singleQuotedScalars(t: string): string {
  let out = '';
  const re = YAML_SINGLE_QUOTED;
  re.lastIndex = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    let k = m.index - 1;
    while (k >= 0 && (t.charCodeAt(k) === 32 || t.charCodeAt(k) === 9)) k--;
    const before = k < 0 ? '\n' : t[k];
    let opens = ':?,[{-\n\r'.includes(before);
    if (!opens && k > 0) {
      // `!tag 'x'`, `&anchor 'x'`: the word before starts with ! or &.
      let w = k;
      while (w >= 0 && !/\s/.test(t[w])) w--;
      opens = t[w + 1] === '!' || t[w + 1] === '&';
    }
    if (!opens) re.lastIndex = m.index + 1;
    else if (m[1].includes("''")) out += ' . ' + m[1].replace(/''/g, "'");
  }
  return out;
}

/** Could any phrase of the matcher occur in this file? */
export function mayMatch(matcher: PhraseMatcher, text: string, format: FormatId): boolean {
  return matcher.hasMatch(roughProse(text, format));
}
