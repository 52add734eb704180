/**
 * What to do with one string value of a data file (JSON, YAML): decide whether it is prose,
 * then read it with the right inner adapter (HTML, Markdown or text — each applies the
 * template layer first) and compose the maps so positions point into the file.
 */
import type { MappedText } from '../engine/mapped-text.js';
import type { InputProblem, ProseRegion } from '../engine/types.js';
import { extractHtml } from './html.js';
import { extractMarkdown } from './markdown.js';
import { extractText } from './text.js';

/** Keys whose values are identifiers, machine values or code, never prose. */
const SKIP_KEYS = new Set([
  'id', 'uuid', 'guid', 'url', 'uri', 'href', 'src', 'link', 'email', 'mail', 'type', 'kind', 'status',
  'priority', 'field', 'slug', 'key', 'locale', 'language', 'lang', 'color', 'colour', 'icon', 'image',
  'avatar', 'date', 'time', 'timestamp', 'version', 'format', 'mime', 'mimetype', 'content_type',
  'encoding', 'path', 'file', 'filename', 'class', 'classname', 'style', 'css', 'hash', 'token', 'sha',
  '$schema', '$ref', 'pattern', 'regex', 'code', 'phone', 'tel', 'raw_title', 'position', 'sort',
  'recipient', 'from', 'to', 'cc', 'bcc', 'reply_to', 'sender', 'url_template',
]);

export function isSkippedKey(key: string | undefined): boolean {
  if (!key) return false;
  const k = key.toLowerCase();
  if (SKIP_KEYS.has(k)) return true;
  return (
    /(?:^|[_\-.])(?:id|ids|url|urls|uri|href|src|path|email|at|slug|key|token|hash|color|icon|class|regex|pattern)$/.test(k) ||
    /[a-z0-9](?:Id|Ids|Url|Uri|Href|Path|Email|At|Slug|Key|Token)$/.test(key)
  );
}

/**
 * Prose has letters and more than one word. Single tokens — ids, slugs, enum values, URLs,
 * e-mail addresses, one-word labels — are skipped.
 */
export function isProseValue(s: string): boolean {
  if (s.length < 3) return false;
  if (!/\p{L}/u.test(s)) return false;
  return /\S\s+\S/.test(s);
}

const HTML_HINT =
  /<\/?(?:p|br|div|span|a|b|i|u|em|strong|ul|ol|li|table|tbody|tr|td|th|h[1-6]|img|hr|font|blockquote|pre|code|center|html|body|section|small|big|sup|sub)(?:\s[^<>]*)?\/?>/i;

export function looksLikeHtml(s: string): boolean {
  return s.includes('<') && HTML_HINT.test(s);
}

const MARKDOWN_HINT = /\]\(|\*\*\S|__\S|`[^`\n]+`|^ {0,3}(?:#{1,6} |[-*+] \S|\d{1,3}[.)] \S|>|```|~~~)/m;

export function looksLikeMarkdown(s: string): boolean {
  return MARKDOWN_HINT.test(s);
}

export interface StringLayerResult {
  regions: ProseRegion[];
  problems: InputProblem[];
}

/**
 * Lint a decoded string value. `decoded` maps the value onto the file; `outerEscape` puts
 * replacement prose back into the file's syntax for that value (JSON escapes, YAML quoting).
 */
export function extractStringValue(
  decoded: MappedText,
  outerEscape: (s: string) => string,
  hint: { html?: boolean } = {},
): StringLayerResult {
  const text = decoded.text;
  // Most values are plain sentences: nothing for an inner adapter to do.
  if (!/[{}<>%#*[\]@&$`_|:\\]|www\./.test(text)) return { regions: [{ text: decoded, escape: outerEscape }], problems: [] };
  const inner = hint.html || looksLikeHtml(text) ? extractHtml(text) : looksLikeMarkdown(text) ? extractMarkdown(text) : extractText(text);
  const regions = inner.regions.map((r): ProseRegion => {
    const innerEscape = r.escape;
    return {
      text: decoded.compose(r.text),
      escape: innerEscape ? (s: string) => outerEscape(innerEscape(s)) : outerEscape,
    };
  });
  const problems = inner.problems.map((p): InputProblem => {
    const [offset, endOffset] = decoded.rangeToSource(p.offset, p.endOffset);
    return { ...p, offset, endOffset };
  });
  return { regions, problems };
}
