import path from 'node:path';
import { isPair, isScalar, parseDocument, visit, type Node as YamlNode } from 'yaml';
import type { LineIndex } from '../engine/positions.js';
import type { FormatId } from '../engine/types.js';

/**
 * Inline disable directives, written in the file's own comment syntax so they never reach
 * the customer: a template comment (`{% comment %}`, `{{! }}`, `{# #}`, `<%# %>`) where the
 * file is a template, `<!-- -->` in HTML and Markdown, `#` in YAML, a line of its own in plain
 * text. JSON has no comments: no directive there (the config-based actions remain).
 */

export type CommentStyle = 'html' | 'liquid' | 'handlebars' | 'jinja' | 'erb' | 'yaml' | 'text' | 'none';

/** A text insertion, in offsets of the document. */
export interface Insertion {
  offset: number;
  text: string;
}

const BY_EXTENSION: Record<string, CommentStyle> = {
  liquid: 'liquid',
  hbs: 'handlebars',
  handlebars: 'handlebars',
  mustache: 'handlebars',
  j2: 'jinja',
  jinja: 'jinja',
  jinja2: 'jinja',
  njk: 'jinja',
  twig: 'jinja',
  erb: 'erb',
  ejs: 'erb',
};

const BY_LANGUAGE: Record<string, CommentStyle> = {
  liquid: 'liquid',
  handlebars: 'handlebars',
  jinja: 'jinja',
  'jinja-html': 'jinja',
  'django-html': 'jinja',
  'django-txt': 'jinja',
  twig: 'jinja',
  nunjucks: 'jinja',
  erb: 'erb',
  'html.erb': 'erb',
};

/** The comment syntax to write directives in, from the file name, language and content. */
export function commentStyle(file: string | undefined, languageId: string, format: FormatId, text: string): CommentStyle {
  if (format === 'json') return 'none';
  if (format === 'yaml') return 'yaml';
  const name = file ? path.basename(file).toLowerCase() : '';
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '';
  const known = BY_EXTENSION[ext] ?? BY_LANGUAGE[languageId];
  if (known) return known;
  // An .html/.md/.txt file holding template syntax: comment in the template language, so the
  // directive is stripped when the template renders.
  if (/(?<!\{)\{#|\{%-?\s*(?:extends|block|trans|blocktrans|macro|set|load|endblock)\b/.test(text)) return 'jinja';
  if (/\{%-?\s*(?:comment|assign|capture|unless|liquid|render|include|case|for|if)\b/.test(text)) return 'liquid';
  if (/<%[=#-]?/.test(text)) return 'erb';
  if (/\{\{[#/>!^]/.test(text)) return 'handlebars';
  return format === 'text' ? 'text' : 'html';
}

/** Wrap a directive body in a comment. `trim`: swallow the following newline where possible. */
export function comment(style: CommentStyle, body: string, trim = false): string {
  switch (style) {
    case 'html':
      return `<!-- ${body} -->`;
    case 'liquid':
      // The space before {% endcomment %} keeps the rule id apart from the closing tag.
      return trim ? `{%- comment -%} ${body} {%- endcomment -%}` : `{% comment %} ${body} {% endcomment %}`;
    case 'handlebars':
      return `{{! ${body} }}`;
    case 'jinja':
      return `{# ${body} #}`;
    case 'erb':
      return `<%# ${body} %>`;
    case 'yaml':
      return `# ${body}`;
    case 'text':
      return body;
    case 'none':
      throw new Error('JSON has no comments');
  }
}

/** The insertions that disable `rule` for the finding at [offset, endOffset). */
export function disableForLine(style: CommentStyle, text: string, lines: LineIndex, offset: number, rule: string): Insertion[] {
  const line = lines.position(offset).line;
  const lineStart = lines.lineStart(line);
  const lineEnd = lines.lineEnd(line);
  const indent = /^[ \t]*/.exec(text.slice(lineStart, lineEnd))![0];
  switch (style) {
    case 'none':
      return [];
    case 'text':
      // A line of its own above, at the same indentation.
      return [{ offset: lineStart, text: `${indent}candor-disable-next-line ${rule}${eol(text)}` }];
    case 'yaml':
      return yamlDisable(text, lines, offset, rule);
    case 'html': {
      const tag = enclosingHtmlTag(text, lineEnd);
      if (!tag) return [{ offset: trimEnd(text, lineStart, lineEnd), text: ` ${comment('html', `candor-disable-line ${rule}`)}` }];
      // The line ends inside a tag (a multi-line <img alt="…">): nothing may be written there.
      // Wrap the whole tag (or the finding, when it sits before the tag) in disable/enable.
      const target = offset >= tag.start && offset < tag.end ? tag : { start: offset, end: Math.min(tag.start, lineEnd) };
      return [
        { offset: target.start, text: comment('html', `candor-disable ${rule}`) },
        { offset: target.end, text: comment('html', `candor-enable ${rule}`) },
      ];
    }
    default:
      // Template comments are stripped when the template renders, even inside an attribute.
      return [{ offset: trimEnd(text, lineStart, lineEnd), text: ` ${comment(style, `candor-disable-line ${rule}`)}` }];
  }
}

/** The insertion that disables `rule` for the whole file. */
export function disableForFile(style: CommentStyle, text: string, rule: string): Insertion[] {
  if (style === 'none') return [];
  const nl = eol(text);
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (style === 'html') {
    // After a doctype (nothing may precede it in HTML) or Markdown front matter.
    const doctype = /^[ \t]*<!doctype[^>]*>[ \t]*(?:\r\n|\n|\r)?/i.exec(text.slice(at));
    const front = /^---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r\n|\n|$)/.exec(text.slice(at));
    if (doctype) at += doctype[0].length;
    else if (front) at += front[0].length;
  } else if (style === 'yaml') {
    const directives = /^(?:%[^\n]*\n)+---[^\n]*\n/.exec(text.slice(at));
    if (directives) at += directives[0].length;
  }
  const needsBreakBefore = at > 0 && at === text.length && !/[\r\n]$/.test(text);
  return [{ offset: at, text: `${needsBreakBefore ? nl : ''}${comment(style, `candor-disable-file ${rule}`, true)}${nl}` }];
}

function eol(text: string): string {
  const m = /\r\n|\n|\r/.exec(text);
  return m ? m[0] : '\n';
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return end;
}

/** The HTML tag (`<name …>`) containing `offset`, if it is inside one (not in text or a comment). */
export function enclosingHtmlTag(text: string, offset: number): { start: number; end: number } | undefined {
  let i = 0;
  while (i < offset) {
    const lt = text.indexOf('<', i);
    if (lt < 0 || lt >= offset) return undefined;
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4);
      if (close < 0) return undefined; // an unterminated comment: treat as text
      i = close + 3;
      continue;
    }
    if (!/[A-Za-z/!?]/.test(text[lt + 1] ?? '')) {
      i = lt + 1;
      continue;
    }
    // A tag: to its closing '>', skipping quoted attribute values.
    let j = lt + 1;
    let quote = '';
    for (; j < text.length; j++) {
      const c = text[j];
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '>') break;
    }
    const end = Math.min(j + 1, text.length);
    if (offset < end) return { start: lt, end };
    i = end;
  }
  return undefined;
}

/**
 * YAML: a `#` comment inside a block scalar (`content: |`) would become part of the text, so
 * the entry is wrapped in `# candor-disable <rule>` … `# candor-enable <rule>` comment lines at
 * the key's indentation. A single-line value gets `# candor-disable-line <rule>` at its end.
 */
function yamlDisable(text: string, lines: LineIndex, offset: number, rule: string): Insertion[] {
  let best: { node: YamlNode & { range?: [number, number, number] | null }; owner?: YamlNode } | undefined;
  try {
    const doc = parseDocument(text, { keepSourceTokens: false });
    visit(doc, {
      Scalar(_key, node, pathNodes) {
        const r = node.range;
        if (!r || offset < r[0] || offset > r[1]) return;
        const parent = pathNodes[pathNodes.length - 1];
        const owner = isPair(parent) && isScalar(parent.key) && parent.value === node ? (parent.key as YamlNode) : undefined;
        best = { node, owner };
      },
    });
  } catch {
    best = undefined;
  }
  const line = lines.position(offset).line;
  const single = (l: number) => [{ offset: trimEnd(text, lines.lineStart(l), lines.lineEnd(l)), text: ` # candor-disable-line ${rule}` }];
  if (!best?.node.range) return single(line);
  const [start, valueEnd] = best.node.range;
  const firstLine = lines.position(best.owner?.range?.[0] ?? start).line;
  let lastLine = lines.position(Math.max(start, valueEnd - 1)).line;
  while (lastLine > firstLine && lines.lineEnd(lastLine) === lines.lineStart(lastLine)) lastLine--;
  const scalarType = (best.node as { type?: string }).type;
  const isBlock = scalarType === 'BLOCK_LITERAL' || scalarType === 'BLOCK_FOLDED';
  if (!isBlock && firstLine === lastLine) return single(line);
  const firstStart = lines.lineStart(firstLine);
  const indent = /^[ \t]*/.exec(text.slice(firstStart, lines.lineEnd(firstLine)))![0];
  const nl = eol(text);
  return [
    { offset: firstStart + indent.length, text: `# candor-disable ${rule}${nl}${indent}` },
    { offset: lines.lineEnd(lastLine), text: `${nl}${indent}# candor-enable ${rule}` },
  ];
}
