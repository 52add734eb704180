import { decodeHTML } from 'entities';
import { applyEdits, findNodeAtLocation, modify, parseTree, type FormattingOptions, type ParseError } from 'jsonc-parser';
import type { TextEdit } from 'vscode-languageserver';
import { LineIndex } from '../engine/positions.js';
import type { FormatId } from '../engine/types.js';
import { range } from './diagnostics.js';

/**
 * Edits of a .candor.json made by code actions ("Allow this phrase", "Turn off this rule"),
 * computed with jsonc-parser's `modify` so comments, order and formatting survive.
 */

/** The phrase to allow, as a writer reads it: JSON escapes and HTML entities decoded. */
export function phraseOf(raw: string, format: FormatId): string {
  let s = raw;
  if (format === 'json' && s.includes('\\')) {
    try {
      s = JSON.parse(`"${s}"`) as string;
    } catch {
      // keep the raw text
    }
  }
  if ((format === 'html' || format === 'markdown') && s.includes('&')) s = decodeHTML(s);
  // Pattern syntax characters would change the meaning; tags and line breaks are not words.
  return s
    .replace(/<[^>]*>/g, ' ')
    .replace(/[()|?~*\u2029\uE000]/g, ' ')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export interface ConfigChange {
  /** Edits of the existing file, or the whole content of a new one. */
  edits?: TextEdit[];
  content?: string;
}

function detectFormatting(text: string): FormattingOptions {
  const indent = /\n([ \t]+)"/.exec(text)?.[1];
  return {
    insertSpaces: !indent?.startsWith('\t'),
    tabSize: indent && !indent.startsWith('\t') ? indent.length : 2,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

function edit(text: string | undefined, path: (string | number)[], value: unknown, arrayInsertion: boolean): ConfigChange | undefined {
  if (text === undefined || text.trim() === '') {
    const obj: Record<string, unknown> = {};
    let cursor = obj;
    for (let i = 0; i < path.length; i++) {
      const key = path[i];
      if (typeof key === 'number') break;
      if (i === path.length - 1 || typeof path[i + 1] === 'number') cursor[key] = typeof path[i + 1] === 'number' ? [value] : value;
      else cursor = cursor[key] = {} as Record<string, unknown>;
    }
    return { content: JSON.stringify(obj, null, 2) + '\n' };
  }
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true });
  // Editing a broken file could make it worse: the action is not offered then.
  if (errors.length || !tree || tree.type !== 'object') return undefined;
  const fo = detectFormatting(text);
  const edits = modify(text, path, value, { formattingOptions: fo, isArrayInsertion: arrayInsertion });
  if (!edits.length) return undefined;
  const lines = new LineIndex(text);
  // Sanity check: the result must parse.
  const after = applyEdits(text, edits);
  const afterErrors: ParseError[] = [];
  parseTree(after, afterErrors, { allowTrailingComma: true });
  if (afterErrors.length) return undefined;
  return { edits: edits.map((e) => ({ range: range(lines, e.offset, e.offset + e.length), newText: e.content })) };
}

/** Add `phrase` to "allow" (no change when it is already there). */
export function allowPhraseEdit(text: string | undefined, phrase: string): ConfigChange | undefined {
  if (text) {
    const tree = parseTree(text, [], { allowTrailingComma: true });
    const allow = tree && findNodeAtLocation(tree, ['allow']);
    if (allow?.type === 'array' && allow.children?.some((c) => typeof c.value === 'string' && c.value.toLowerCase() === phrase)) return undefined;
    if (allow && allow.type !== 'array') return undefined;
    if (!allow) return edit(text, ['allow'], [phrase], false);
  }
  return edit(text, ['allow', -1], phrase, true);
}

/** Set `"rules": { "<rule>": "off" }`. */
export function ruleOffEdit(text: string | undefined, ruleId: string): ConfigChange | undefined {
  if (text) {
    const tree = parseTree(text, [], { allowTrailingComma: true });
    const rules = tree && findNodeAtLocation(tree, ['rules']);
    if (rules && rules.type !== 'object') return undefined;
    if (tree && findNodeAtLocation(tree, ['rules', ruleId])?.value === 'off') return undefined;
  }
  return edit(text, ['rules', ruleId], 'off', false);
}
