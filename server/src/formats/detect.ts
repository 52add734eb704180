/**
 * Which adapter reads a file: by extension first, then by looking at the content.
 */
import { visit } from 'jsonc-parser';
import type { FormatId } from '../engine/types.js';

const BY_EXTENSION: Record<string, FormatId> = {
  txt: 'text',
  text: 'text',
  md: 'markdown',
  markdown: 'markdown',
  mdown: 'markdown',
  mkd: 'markdown',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  json: 'json',
  jsonc: 'json',
  json5: 'json',
  yml: 'yaml',
  yaml: 'yaml',
  // Mark-up languages that are HTML as far as prose goes (Inky, MJML e-mail frameworks; XML exports).
  inky: 'html',
  mjml: 'html',
  xml: 'html',
  // Indentation-based mark-up (HAML, Slim, Pug) is not HTML; its text lines read as text.
  haml: 'text',
  slim: 'text',
  pug: 'text',
};

/** Template engines' extensions: the output format is the inner extension, or sniffed. */
const TEMPLATE_EXTENSIONS = new Set([
  'liquid', 'hbs', 'handlebars', 'mustache', 'erb', 'ejs', 'j2', 'jinja', 'jinja2', 'njk', 'twig', 'tpl',
  'php', 'blade', 'eex', 'heex', 'dtl', 'tmpl', 'gotmpl', 'tt', 'ftl', 'vm',
]);

/** Common HTML elements of e-mail mark-up; matched as real tags, not `<PLACEHOLDER>`s. */
const HTML_TAG = /<(?:!doctype\s+html|html|head|body|p|div|br|table|tr|td|span|a|b|i|u|em|strong|ul|ol|li|h[1-6]|img|font|center|hr|blockquote|pre)(?=[\s/>])/gi;

export function detectFormat(path: string | undefined, text: string): FormatId {
  if (path) {
    const base = path.replace(/\\/g, '/').split('/').pop()!.toLowerCase();
    const parts = base.split('.').slice(1);
    // `.html.erb`, `.txt.liquid`, `.md.j2`, `.blade.php`: strip template extensions from the end.
    for (let i = parts.length - 1; i >= 0; i--) {
      const ext = parts[i];
      const known = BY_EXTENSION[ext];
      if (known) return known;
      if (!TEMPLATE_EXTENSIONS.has(ext)) break;
    }
    if (parts.length > 0 && TEMPLATE_EXTENSIONS.has(parts[parts.length - 1])) return sniffMarkup(text);
  }
  return sniff(text);
}

/** Unknown extension: JSON if it parses as an object or array, HTML if tag-heavy, else text. */
function sniff(text: string): FormatId {
  const head = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = head.trimStart()[0];
  if ((first === '{' || first === '[') && parsesAsJson(head)) return 'json';
  return sniffMarkup(head);
}

/** A template's output: HTML if it has a few real tags, Markdown if it clearly is, else text. */
function sniffMarkup(text: string): FormatId {
  const sample = text.length > 65_536 ? text.slice(0, 65_536) : text;
  HTML_TAG.lastIndex = 0;
  let tags = 0;
  while (HTML_TAG.exec(sample) && ++tags < 2);
  if (tags >= 2 || /<html[\s>]|<!doctype html/i.test(sample)) return 'html';
  let signals = 0;
  if (/^ {0,3}(?:```|~~~)/m.test(sample)) signals += 2;
  if (/\[[^\]\n]+\]\([^)\s]+\)/.test(sample)) signals++;
  if (/^#{1,6} \S/m.test(sample)) signals++;
  if (/\*\*[^*\n]+\*\*/.test(sample)) signals++;
  if (/`[^`\n]+`/.test(sample)) signals++;
  if (/<!--/.test(sample)) signals++;
  if (/^ {0,3}[*-] \S/m.test(sample)) signals++;
  return signals >= 2 ? 'markdown' : 'text';
}

function parsesAsJson(text: string): boolean {
  let ok = true;
  try {
    visit(text, { onError: () => (ok = false) }, { allowTrailingComma: true, disallowComments: false });
  } catch {
    ok = false;
  }
  return ok;
}
