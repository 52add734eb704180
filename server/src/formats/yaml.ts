/**
 * YAML (Rails/Discourse/Mastodon i18n, Zammad text modules, osTicket canned responses).
 *
 * The `yaml` package parses (all documents, with errors and recovery) and keeps each
 * scalar's source token. It resolves a scalar's value but keeps no per-character map, so
 * the decoders below redo that resolution on the source token — line folding, indentation,
 * `''`, escapes, chomping — following the package's own resolvers step by step, while
 * recording where each character came from. A phrase folded over two lines reads as one line
 * with a space and maps back onto both lines. The decoded text equals the package's value
 * (the tests check this on every scalar of the corpus).
 *
 * Only the AST is read, never `toJS()`: aliases stay aliases, so an alias bomb costs nothing.
 * Keys, aliases, tagged non-strings, comments and non-prose values (ids, URLs, one-word
 * values) are skipped. Values that look like HTML (or whose key ends in `_html`) go through
 * the HTML adapter; all through the template layer (`%{var}`, `#{var}`…).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar, type CST } from 'yaml';
import type { MappedText } from '../engine/mapped-text.js';
import type { ExtractResult, InputProblem, ProseRegion } from '../engine/types.js';
import { SegmentBuilder, escapeJsonString } from './prose.js';
import { extractStringValue, isProseValue, isSkippedKey } from './strings.js';

export function extractYaml(src: string): ExtractResult {
  const problems: InputProblem[] = [];
  const regions: ProseRegion[] = [];
  let docs: ReturnType<typeof parseAllDocuments>;
  // The package creates an Error (with a captured stack) for every problem it finds; on
  // garbage input that is 100k stack captures. They are never thrown, so no stack is needed.
  // `uniqueKeys: false` and `prettyErrors: false` avoid its quadratic paths on large maps and
  // many errors. The parse is synchronous, so the global limit is restored before anything
  // else runs.
  const stackTraceLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 0;
    docs = parseAllDocuments(src, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false, strict: false });
  } catch (err) {
    // The composer recurses per nesting level; absurd nesting overflows the stack.
    problems.push({ kind: 'parse-error', message: `YAML could not be read: ${err instanceof Error ? err.message : String(err)}`, offset: 0, endOffset: 0 });
    return { regions, problems };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }

  let firstError: { message: string; pos: [number, number] } | undefined;
  let errorCount = 0;
  const candidates: Array<{ node: Scalar; key: string | undefined }> = [];
  for (const doc of docs) {
    for (const e of doc.errors) {
      errorCount++;
      if (!firstError) firstError = { message: e.message, pos: e.pos };
    }
    // An explicit stack, not recursion: deep nesting must not overflow.
    const stack: Array<{ node: unknown; key: string | undefined }> = [{ node: doc.contents, key: undefined }];
    while (stack.length > 0) {
      const { node, key } = stack.pop()!;
      if (!node || isAlias(node)) continue;
      if (isMap(node) || isSeq(node)) {
        for (let i = node.items.length - 1; i >= 0; i--) {
          const item = node.items[i] as unknown;
          if (isPair(item)) {
            const k = isScalar(item.key) ? String(item.key.value) : undefined;
            if (k !== undefined) stack.push({ node: item.value, key: k });
          } else stack.push({ node: item, key });
        }
      } else if (isScalar(node)) {
        if (typeof node.value !== 'string') continue;
        if (node.tag && node.tag !== 'tag:yaml.org,2002:str' && node.tag !== '!!str') continue;
        if (isSkippedKey(key) || !isProseValue(node.value)) continue;
        candidates.push({ node, key });
      }
    }
  }
  if (firstError) {
    const more = errorCount > 1 ? ` (and ${errorCount - 1} more)` : '';
    problems.push({
      kind: 'parse-error',
      message: `Malformed YAML: ${firstError.message}${more}; values that could be read are still linted`,
      offset: firstError.pos[0],
      endOffset: Math.max(firstError.pos[0], firstError.pos[1]),
    });
  }

  candidates.sort((a, b) => (a.node.range?.[0] ?? 0) - (b.node.range?.[0] ?? 0));
  let templateProblem: InputProblem | undefined;
  for (const { node, key } of candidates) {
    const decoded = decodeYamlScalar(src, node);
    if (!decoded) continue;
    const inner = extractStringValue(decoded, yamlEscape(node.type), { html: !!key && /(?:^|[_.])html$/i.test(key) });
    regions.push(...inner.regions);
    if (!templateProblem && inner.problems.length > 0) templateProblem = inner.problems[0];
  }
  if (templateProblem) problems.push(templateProblem);
  return { regions, problems };
}

/** Replacement prose in the scalar's own style. */
function yamlEscape(type: Scalar['type']): (s: string) => string {
  if (type === Scalar.QUOTE_SINGLE) return (s) => s.replace(/'/g, "''");
  if (type === Scalar.QUOTE_DOUBLE) return escapeJsonString;
  return (s) => s; // plain and block scalars take text as it is
}

/** The scalar's value as a MappedText over the file, or undefined if its source is unknown. */
export function decodeYamlScalar(src: string, node: Scalar): MappedText | undefined {
  const tok = node.srcToken as CST.Token | undefined;
  if (!tok) return undefined;
  switch (tok.type) {
    case 'scalar':
      return unfold(src, tok.offset, tok.offset + tok.source.length, false);
    case 'single-quoted-scalar': {
      const end = tok.offset + tok.source.length;
      const closed = tok.source.length > 1 && tok.source.endsWith("'");
      return unfold(src, tok.offset + 1, closed ? end - 1 : end, true);
    }
    case 'double-quoted-scalar':
      return doubleQuoted(src, tok.offset, tok.offset + tok.source.length);
    case 'block-scalar':
      return blockScalar(src, tok);
    default:
      return undefined;
  }
}

/**
 * Builds the decoded text as "content copied from the source" separated by "inserted text
 * standing for the source between two contents" (folded line breaks, indentation).
 */
class Emitter {
  private readonly b: SegmentBuilder;
  private gapFrom: number;
  private pending = '';
  last = '';

  constructor(
    private readonly src: string,
    start: number,
    private readonly singleQuoted = false,
  ) {
    this.b = new SegmentBuilder(src);
    this.gapFrom = start;
  }

  text(s: string): void {
    this.pending += s;
    if (s) this.last = s[s.length - 1];
  }

  content(s: number, e: number): void {
    if (e <= s) return;
    if (this.pending || s > this.gapFrom) this.b.replace(this.gapFrom, s, this.pending);
    this.pending = '';
    if (this.singleQuoted) {
      // `''` is one quote.
      let run = s;
      for (let i = s; i + 1 < e; i++) {
        if (this.src.charCodeAt(i) === 0x27 && this.src.charCodeAt(i + 1) === 0x27) {
          this.b.copy(run, i);
          this.b.replace(i, i + 2, "'");
          run = i + 2;
          i++;
        }
      }
      this.b.copy(run, e);
    } else this.b.copy(s, e);
    this.gapFrom = e;
    this.last = this.src[e - 1];
  }

  /** Replace a source range by decoded text right away (escapes). */
  replace(s: number, e: number, text: string): void {
    if (this.pending || s > this.gapFrom) this.b.replace(this.gapFrom, s, this.pending);
    this.pending = '';
    this.b.replace(s, e, text);
    this.gapFrom = e;
    if (text) this.last = text[text.length - 1];
  }

  build(end: number): MappedText {
    if (this.pending || end > this.gapFrom) this.b.replace(this.gapFrom, Math.max(this.gapFrom, end), this.pending);
    return this.b.build();
  }
}

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/** Plain and single-quoted scalars: yaml's `unfoldLines` with a map. [a, b) is the content. */
function unfold(src: string, a: number, b: number, singleQuoted: boolean): MappedText {
  const out = new Emitter(src, a, singleQuoted);
  // Lines split at \n; a \r before it belongs to the line break.
  const lines: Array<[number, number]> = [];
  let pos = a;
  for (;;) {
    const nl = src.indexOf('\n', pos);
    if (nl < 0 || nl >= b) {
      lines.push([pos, b]);
      break;
    }
    lines.push([pos, src[nl - 1] === '\r' && nl - 1 >= pos ? nl - 1 : nl]);
    pos = nl + 1;
  }
  if (lines.length === 1) {
    out.content(a, b);
    return out.build(b);
  }
  const trimEnd = (s: number, e: number): number => {
    while (e > s && isBlank(src[e - 1])) e--;
    return e;
  };
  const trimStart = (s: number, e: number): number => {
    while (s < e && isBlank(src[s])) s++;
    return s;
  };
  const [fs, fe] = lines[0];
  out.content(fs, trimEnd(fs, fe));
  let sep = ' ';
  for (let i = 1; i < lines.length - 1; i++) {
    const [ls, le] = lines[i];
    const s = trimStart(ls, le);
    const e = trimEnd(s, le);
    if (s === e) {
      if (sep === '\n') out.text('\n');
      else sep = '\n';
    } else {
      out.text(sep);
      out.content(s, e);
      sep = ' ';
    }
  }
  const [ls, le] = lines[lines.length - 1];
  out.text(sep);
  out.content(trimStart(ls, le), le);
  return out.build(b);
}

/** The one-character escapes of double-quoted scalars (also decoded by the prefilter). */
export const DQ_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', N: '\u0085',
  _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\', '\t': '\t',
};

/** Double-quoted scalar at [start, end) including quotes: yaml's `doubleQuotedValue` with a map. */
function doubleQuoted(src: string, start: number, end: number): MappedText {
  const stop = end - 1; // the package drops the last character (the closing quote) in any case
  const out = new Emitter(src, start + 1);
  let run = start + 1;
  const flush = (to: number): void => {
    out.content(run, to);
    run = to;
  };
  const fold = (at: number): [string, number] => {
    // `at` is a '\n'. Returns the folded text and the index of the last consumed char.
    let text = '';
    let off = at;
    let ch = src[off + 1];
    while (off + 1 < stop && (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r')) {
      if (ch === '\r' && src[off + 2] !== '\n') break;
      if (ch === '\n') text += '\n';
      off++;
      ch = src[off + 1];
    }
    return [text || ' ', off];
  };
  for (let i = start + 1; i < stop; i++) {
    const ch = src[i];
    if (ch === '\r' && src[i + 1] === '\n') {
      flush(i);
      const [text, off] = fold(i + 1);
      out.replace(i, off + 1, text);
      i = off;
      run = i + 1;
    } else if (ch === '\n') {
      flush(i);
      const [text, off] = fold(i);
      out.replace(i, off + 1, text);
      i = off;
      run = i + 1;
    } else if (ch === '\\') {
      const next = src[i + 1];
      const cc = DQ_ESCAPES[next];
      if (cc !== undefined) {
        flush(i);
        out.replace(i, i + 2, cc);
        i++;
        run = i + 1;
      } else if (next === '\n' || (next === '\r' && src[i + 2] === '\n')) {
        // An escaped line break joins the lines without a space.
        flush(i);
        let j = next === '\n' ? i + 1 : i + 2;
        while (j + 1 < stop && isBlank(src[j + 1])) j++;
        out.replace(i, j + 1, '');
        i = j;
        run = i + 1;
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const len = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = src.substr(i + 2, len);
        const code = hex.length === len && /^[0-9a-fA-F]+$/.test(hex) ? parseInt(hex, 16) : NaN;
        let decoded: string | undefined;
        try {
          decoded = String.fromCodePoint(code);
        } catch {
          decoded = undefined; // kept as written, like the package does
        }
        if (decoded !== undefined) {
          flush(i);
          out.replace(i, i + 2 + len, decoded);
          run = i + 2 + len;
        }
        i += 1 + len;
      } else {
        i++; // invalid escape: kept as written
      }
    } else if (ch === ' ' || ch === '\t') {
      // Whitespace before a line break is dropped.
      const wsStart = i;
      let next = src[i + 1];
      while (next === ' ' || next === '\t') next = src[++i + 1];
      if (next === '\n' || (next === '\r' && src[i + 2] === '\n')) {
        flush(wsStart);
        out.replace(wsStart, i + 1, '');
        run = i + 1;
      }
    }
  }
  flush(Math.max(run, Math.min(stop, src.length)));
  return out.build(Math.max(start + 1, stop));
}

/** `|` and `>` block scalars: yaml's `resolveBlockScalar` with a map. */
function blockScalar(src: string, tok: CST.BlockScalar): MappedText | undefined {
  const header = tok.props[0];
  if (!header || header.type !== 'block-scalar-header') return undefined;
  const mode = header.source[0];
  let explicitIndent = 0;
  let chomp = '';
  for (const ch of header.source.slice(1)) {
    if (!chomp && (ch === '-' || ch === '+')) chomp = ch;
    else {
      const n = Number(ch);
      if (!explicitIndent && n) explicitIndent = n;
    }
  }
  let headerLength = header.source.length;
  for (const t of tok.props.slice(1)) headerLength += 'source' in t && typeof t.source === 'string' ? t.source.length : 0;
  const bodyStart = tok.offset + headerLength;
  const source = tok.source;
  if (src.slice(bodyStart, bodyStart + source.length) !== source) return undefined;
  const bodyEnd = bodyStart + source.length;

  // Lines as [start, indent length, content end (before a \r)].
  const lines: Array<{ start: number; indent: number; end: number; empty: boolean }> = [];
  let pos = bodyStart;
  for (;;) {
    let nl = src.indexOf('\n', pos);
    if (nl < 0 || nl >= bodyEnd) nl = bodyEnd;
    let indent = 0;
    while (pos + indent < nl && src[pos + indent] === ' ') indent++;
    const end = src[nl - 1] === '\r' && nl - 1 >= pos + indent ? nl - 1 : nl;
    lines.push({ start: pos, indent, end, empty: end === pos + indent });
    if (nl >= bodyEnd) break;
    pos = nl + 1;
  }

  let chompStart = lines.length;
  for (let i = lines.length - 1; i >= 0; --i) {
    if (lines[i].empty) chompStart = i;
    else break;
  }
  if (chompStart === 0) return undefined; // empty value: nothing to lint

  let trimIndent = tok.indent + explicitIndent;
  let contentStart = 0;
  for (let i = 0; i < chompStart; ++i) {
    const line = lines[i];
    if (line.empty) {
      if (explicitIndent === 0 && line.indent > trimIndent) trimIndent = line.indent;
    } else {
      if (explicitIndent === 0) trimIndent = line.indent;
      contentStart = i;
      break;
    }
  }
  for (let i = lines.length - 1; i >= chompStart; --i) {
    if (lines[i].indent > trimIndent) chompStart = i + 1;
  }

  const out = new Emitter(src, bodyStart);
  const extraIndent = (line: (typeof lines)[number]): void => {
    if (line.indent > trimIndent) out.content(line.start + trimIndent, line.start + line.indent);
  };
  for (let i = 0; i < contentStart; ++i) {
    extraIndent(lines[i]);
    out.text('\n');
  }
  let sep = '';
  let prevMoreIndented = false;
  for (let i = contentStart; i < chompStart; ++i) {
    const line = lines[i];
    const contentFrom = line.start + Math.min(line.indent, trimIndent);
    const first = line.start + line.indent; // first content character
    if (mode !== '>') {
      out.text(sep);
      out.content(contentFrom, line.end);
      sep = '\n';
    } else if (line.indent > trimIndent || src[first] === '\t') {
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      out.text(sep);
      out.content(contentFrom, line.end);
      sep = '\n';
      prevMoreIndented = true;
    } else if (line.empty) {
      if (sep === '\n') out.text('\n');
      else sep = '\n';
    } else {
      out.text(sep);
      out.content(first, line.end);
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  if (chomp === '+') {
    for (let i = chompStart; i < lines.length; ++i) {
      out.text('\n');
      extraIndent(lines[i]);
    }
    if (out.last !== '\n') out.text('\n');
  } else if (chomp !== '-') out.text('\n');
  return out.build(bodyEnd);
}
