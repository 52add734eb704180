import type { LineIndex } from './positions.js';

/**
 * Inline directives, written inside the file's own comment syntax (`<!-- … -->`, `{# … #}`,
 * `{% comment %}…`, `{{! … }}`, `# …` in YAML, or a line of its own in plain text):
 *   candor-disable-file [rule …]       the whole file
 *   candor-disable [rule …] … candor-enable [rule …]
 *   candor-disable-next-line [rule …]  the line after the comment
 *   candor-disable-line [rule …]       the comment's own line
 * Rules are ids (`defensive/per-our-policy`) or categories (`hierarchy`); none means all.
 * The scan is a plain text search, so it works the same in every format.
 */

export interface DisabledRange {
  from: number;
  to: number;
  /** null: every rule. */
  rules: Set<string> | null;
}

const DIRECTIVE = /candor-(disable-next-line|disable-line|disable-file|disable|enable)\b([^\n\r]*)/g;
// Where the rule list ends: a comment closer, or the next template tag opening right after it.
const COMMENT_END = /-->|#}|%}|}}|\*\/|-%}|%>|\{%|\{\{|\{#|<%|<!--/;

function parseRuleList(rest: string): Set<string> | null {
  const endAt = rest.search(COMMENT_END);
  const body = (endAt >= 0 ? rest.slice(0, endAt) : rest).split(/\s--\s/)[0];
  const ids = body
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => /^[a-z0-9]+(?:[/-][a-z0-9]+)*$/.test(s));
  return ids.length ? new Set(ids) : null;
}

/** Where the comment holding a directive ends (for disable-next-line in a multi-line comment). */
function commentEnd(text: string, from: number): number {
  const slice = text.slice(from, from + 2000);
  const m = /-->|#}|%}|}}|\*\//.exec(slice);
  return m ? from + m.index + m[0].length : from;
}

export function parseDirectives(text: string, lines: LineIndex): DisabledRange[] {
  if (!text.includes('candor-')) return [];
  const out: DisabledRange[] = [];
  const open: Array<{ from: number; rules: Set<string> | null }> = [];
  DIRECTIVE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DIRECTIVE.exec(text))) {
    const kind = m[1];
    const rules = parseRuleList(m[2]);
    const at = m.index;
    switch (kind) {
      case 'disable-file':
        out.push({ from: 0, to: text.length, rules });
        break;
      case 'disable-line': {
        const line = lines.position(at).line;
        out.push({ from: lines.lineStart(line), to: lines.lineEnd(line) + 1, rules });
        break;
      }
      case 'disable-next-line': {
        const line = lines.position(commentEnd(text, at)).line + 1;
        if (line < lines.lineCount) out.push({ from: lines.lineStart(line), to: lines.lineEnd(line) + 1, rules });
        break;
      }
      case 'disable':
        open.push({ from: at, rules });
        break;
      case 'enable': {
        // An enable closes every open block it names (or all of them).
        for (let i = open.length - 1; i >= 0; i--) {
          const block = open[i];
          if (!rules || !block.rules || [...block.rules].some((r) => rules.has(r))) {
            out.push({ from: block.from, to: at, rules: block.rules });
            open.splice(i, 1);
          }
        }
        break;
      }
    }
  }
  for (const block of open) out.push({ from: block.from, to: text.length, rules: block.rules });
  return out;
}

export function isDisabled(ranges: DisabledRange[], offset: number, ruleId: string, category: string): boolean {
  for (const r of ranges) {
    if (offset >= r.from && offset < r.to && (!r.rules || r.rules.has(ruleId) || r.rules.has(category))) return true;
  }
  return false;
}
