/**
 * JSON (macro exports, i18n catalogs, canned-reply APIs). Comments and trailing commas are
 * accepted (JSONC).
 *
 * jsonc-parser's `visit` walks the file with offsets and recovers from errors, so a broken
 * file still has its readable strings linted. It hands back each string already decoded but
 * without a per-character map, so the small decoder below rebuilds the value from the raw
 * token and records where every escape (`\n`, `\"`, `\u2019`, surrogate pairs) came from.
 *
 * Which strings: values, never keys; not under keys that hold ids, URLs, types…; only values
 * with more than one word. Zendesk macro exports get their own rule: an action
 * `{"field": "comment_value", "value": "…"}` is linted only for the comment and subject
 * fields (`status`, `priority`, `group_id` values are settings, not words).
 */
import { printParseErrorCode, visit, type ParseErrorCode } from 'jsonc-parser';
import type { MappedText } from '../engine/mapped-text.js';
import type { ExtractResult, InputProblem, ProseRegion } from '../engine/types.js';
import { SegmentBuilder, escapeJsonString } from './prose.js';
import { extractStringValue, isProseValue, isSkippedKey } from './strings.js';

/** Zendesk macro action fields whose `value` is text sent to the customer. */
const COMMENT_FIELDS = new Set(['comment_value', 'comment_value_html', 'subject']);

interface Candidate {
  offset: number;
  length: number;
  html: boolean;
}

interface Frame {
  kind: 'object' | 'array';
  /** For an array: the key of the property holding it. */
  key: string | undefined;
  /** For an object: the property being read. */
  currentKey?: string;
  /** A Zendesk-style action: the `field` it sets. */
  field?: string;
  /** Strings under this object's `value`, kept until we know the object's `field`. */
  pending?: Candidate[];
}

export function extractJson(src: string): ExtractResult {
  // jsonc-parser reports a BOM as an invalid symbol; a space keeps every offset.
  const text = src.charCodeAt(0) === 0xfeff ? ' ' + src.slice(1) : src;
  const problems: InputProblem[] = [];
  const found: Candidate[] = [];
  const stack: Frame[] = [];
  let firstError: { code: ParseErrorCode; offset: number; length: number } | undefined;
  let errorCount = 0;

  const keyForChild = (): string | undefined => {
    const top = stack[stack.length - 1];
    if (!top) return undefined;
    return top.kind === 'object' ? top.currentKey : top.key;
  };

  try {
    visit(
      text,
      {
        onObjectBegin: () => {
          stack.push({ kind: 'object', key: keyForChild() });
        },
        onObjectProperty: (property) => {
          const top = stack[stack.length - 1];
          if (top) top.currentKey = property;
        },
        onObjectEnd: () => {
          const frame = stack.pop();
          if (!frame?.pending) return;
          if (frame.field === undefined) found.push(...frame.pending);
          else if (COMMENT_FIELDS.has(frame.field)) {
            const html = frame.field.endsWith('_html');
            for (const c of frame.pending) found.push({ ...c, html });
          }
        },
        onArrayBegin: () => {
          stack.push({ kind: 'array', key: keyForChild() });
        },
        onArrayEnd: () => {
          stack.pop();
        },
        onLiteralValue: (value: unknown, offset: number, length: number) => {
          if (typeof value !== 'string') return;
          const top = stack[stack.length - 1];
          if (top?.kind === 'object' && top.currentKey === 'field') top.field = value;
          const key = keyForChild();
          if (isSkippedKey(key) || !isProseValue(value)) return;
          const candidate: Candidate = { offset, length, html: false };
          // Under an object's `value`? Wait for its `field` (Zendesk actions list it after or before).
          for (let i = stack.length - 1; i >= 0; i--) {
            const f = stack[i];
            if (f.kind !== 'object') continue;
            if (f.currentKey === 'value') {
              (f.pending ??= []).push(candidate);
              return;
            }
            break;
          }
          found.push(candidate);
        },
        onError: (code: ParseErrorCode, offset: number, length: number) => {
          errorCount++;
          if (!firstError) firstError = { code, offset, length };
        },
      },
      { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true },
    );
  } catch (err) {
    // visit recurses per nesting level: absurdly deep input overflows the stack. What was
    // read before that point is still valid.
    problems.push({
      kind: 'parse-error',
      message: `JSON too deeply nested to read completely (${err instanceof Error ? err.message : String(err)})`,
      offset: 0,
      endOffset: 0,
    });
  }
  // Objects left open by a truncated file still hold their pending strings.
  for (const frame of stack) if (frame.pending && frame.field === undefined) found.push(...frame.pending);

  if (firstError) {
    const more = errorCount > 1 ? ` (and ${errorCount - 1} more)` : '';
    problems.push({
      kind: 'parse-error',
      message: `Malformed JSON: ${printParseErrorCode(firstError.code)}${more}; strings that could be read are still linted`,
      offset: firstError.offset,
      endOffset: firstError.offset + firstError.length,
    });
  }

  found.sort((a, b) => a.offset - b.offset);
  const regions: ProseRegion[] = [];
  let templateProblem: InputProblem | undefined;
  for (const c of found) {
    const decoded = decodeJsonString(src, c.offset, c.length);
    const inner = extractStringValue(decoded, escapeJsonString, { html: c.html });
    regions.push(...inner.regions);
    if (!templateProblem && inner.problems.length > 0) templateProblem = inner.problems[0];
  }
  if (templateProblem) problems.push(templateProblem);
  return { regions, problems };
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function hex4(src: string, i: number): number {
  if (i + 4 > src.length) return -1;
  const h = src.slice(i, i + 4);
  return /^[0-9a-fA-F]{4}$/.test(h) ? parseInt(h, 16) : -1;
}

/**
 * Decode the JSON string token at [offset, offset + length) (quotes included) into a
 * MappedText over the file. Invalid escapes are kept as written.
 */
export function decodeJsonString(src: string, offset: number, length: number): MappedText {
  const b = new SegmentBuilder(src);
  const limit = Math.min(src.length, offset + length);
  let i = src.charCodeAt(offset) === 0x22 ? offset + 1 : offset;
  let run = i;
  while (i < limit) {
    const c = src.charCodeAt(i);
    if (c === 0x22 /* closing quote */) break;
    if (c !== 0x5c /* \ */ || i + 1 >= limit) {
      i++;
      continue;
    }
    b.copy(run, i);
    const n = src[i + 1];
    let len = 2;
    let out: string | undefined = SIMPLE_ESCAPES[n];
    if (n === 'u') {
      const code = hex4(src, i + 2);
      if (code >= 0) {
        len = 6;
        out = String.fromCharCode(code);
        // A surrogate pair written as two escapes is one character: one map entry.
        if (code >= 0xd800 && code <= 0xdbff && src.startsWith('\\u', i + 6)) {
          const low = hex4(src, i + 8);
          if (low >= 0xdc00 && low <= 0xdfff) {
            len = 12;
            out += String.fromCharCode(low);
          }
        }
      }
    }
    if (out === undefined || i + len > limit) {
      b.copy(i, Math.min(limit, i + 2));
      i += 2;
    } else {
      b.replace(i, i + len, out);
      i += len;
    }
    run = i;
  }
  b.copy(run, Math.min(i, limit));
  return b.build();
}
