import { decodeHTML } from 'entities';
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
 * turns markup into spaces and decodes what adapters decode: HTML entities, JSON and YAML
 * escapes, template tags (keeping quoted strings inside them, which may be prose such as
 * `{{trans "…"}}`), HTML tags and comments (keeping alt/title text), inline code. It may let
 * through more than the pipeline will report (text in comments, placeholders read as gaps):
 * those files are simply linted in full. Tests check that results are identical with and
 * without the prefilter on the corpus, the fixtures and generated input.
 */

const ENTITY = /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/gi;
const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|[nrtbf"\\/])/g;
const TEMPLATE_TAG = /\{\{[^]{0,400}?\}\}|\{%[^]{0,400}?%\}|<%[^]{0,400}?%>|\{#[^]{0,400}?#\}/g;
/** Comments and tags in one pass: a tag cannot hold `<`, so a comment is always seen first. */
const HTML_COMMENT_OR_TAG = /<!--[^]{0,4000}?-->|<\/?[a-zA-Z][^<>]{0,1000}>/g;
/** Without any `-->` in the file, every `<!--` would only scan 4,000 characters in vain. */
const HTML_TAG = /<\/?[a-zA-Z][^<>]{0,1000}>/g;
const PROSE_ATTRIBUTE = /\b(?:alt|title|placeholder|aria-label)\s*=\s*("[^"]*"|'[^']*')/gi;
const QUOTED = /"[^"\n]*"|'[^'\n]*'/g;
const INLINE_CODE = /`[^`\n]{0,400}`/g;

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
  let t = text;
  if ((format === 'json' || format === 'yaml') && t.includes('\\')) {
    t = t.replace(JSON_ESCAPE, (m, hex: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : m[1] === '"' ? '"' : ' '));
  }
  if (format === 'yaml' && t.includes("''")) t = t.replace(/''/g, "'");
  if (t.includes('&')) t = t.replace(ENTITY, decodeEntity);
  if (t.includes('{{') || t.includes('{%') || t.includes('<%') || t.includes('{#')) {
    t = t.replace(TEMPLATE_TAG, (m) => ' ' + (m.match(QUOTED) ?? []).map((q) => q.slice(1, -1)).join(' . ') + ' ');
  }
  if (t.includes('<')) {
    // alt/title/… values are prose: they are kept, after the text and set off by barriers
    // (where they stand does not matter here). Taking them from anywhere, not only from
    // inside tags, can only let more through. The tags then go in one native pass, without
    // a callback per tag.
    let attributes = '';
    for (const a of t.matchAll(PROSE_ATTRIBUTE)) attributes += ' . ' + a[1].slice(1, -1);
    t = t.replace(t.includes('-->') ? HTML_COMMENT_OR_TAG : HTML_TAG, ' ');
    if (attributes) t += attributes + ' . ';
  }
  if (format === 'markdown' && t.includes('`')) t = t.replace(INLINE_CODE, ' ');
  return t;
}

/** Could any phrase of the matcher occur in this file? */
export function mayMatch(matcher: PhraseMatcher, text: string, format: FormatId): boolean {
  return matcher.hasMatch(roughProse(text, format));
}
