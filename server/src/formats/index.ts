/**
 * Format adapters: turn a file into prose regions with maps back to the file.
 *
 *   detectFormat(path, text) → which adapter
 *   extractProse(text, format) → { regions, problems }
 *
 * Adapters never throw: malformed input is linted where positions can be trusted and
 * reported as a problem; an unexpected failure inside an adapter falls back to reading the
 * file as plain text, and says so.
 */
import type { ExtractResult, FormatId } from '../engine/types.js';
import { extractHtml } from './html.js';
import { extractJson } from './json.js';
import { extractMarkdown } from './markdown.js';
import { extractText } from './text.js';
import { extractYaml } from './yaml.js';

export { detectFormat } from './detect.js';
export { maskTemplates, type TemplateLayer, type TemplateLiteral } from './template.js';
export { extractHtml, extractJson, extractMarkdown, extractText, extractYaml };

const ADAPTERS: Record<FormatId, (text: string) => ExtractResult> = {
  text: extractText,
  markdown: extractMarkdown,
  html: extractHtml,
  json: extractJson,
  yaml: extractYaml,
};

export function extractProse(text: string, format: FormatId): ExtractResult {
  const adapter = ADAPTERS[format] ?? extractText;
  try {
    return clampProblems(adapter(text), text.length);
  } catch (err) {
    const problem = {
      kind: 'parse-error' as const,
      message: `Could not read the file as ${format} (${describe(err)}); linted as plain text instead`,
      offset: 0,
      endOffset: 0,
    };
    if (adapter !== extractText) {
      try {
        const fallback = extractText(text);
        return { regions: fallback.regions, problems: [problem, ...fallback.problems] };
      } catch (err2) {
        problem.message = `Could not read the file (${describe(err2)})`;
      }
    }
    return { regions: [], problems: [problem] };
  }
}

/** Problems point inside the file, whatever a parser reported. */
function clampProblems(result: ExtractResult, length: number): ExtractResult {
  for (const p of result.problems) {
    p.offset = Math.max(0, Math.min(p.offset, length));
    p.endOffset = Math.max(p.offset, Math.min(p.endOffset, length));
  }
  return result;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
