import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, RuleData, Severity } from '../../engine/types.js';
import { builtinRules } from '../../rules/builtin.js';
import { ruleDocUri as installedDocUri } from '../../rules/docs.js';
import { findingKeys, resultFingerprint } from '../fingerprint.js';
import type { FileNotice, RunReport } from '../report.js';
import type { FormatterOptions } from './index.js';
import { suggestionList } from './suggestions.js';

/**
 * `--format sarif`: SARIF 2.1.0 as GitHub code scanning (and other SARIF viewers) read it.
 * - tool.driver.rules carries every rule's metadata: short description (the message), full
 *   description (the rationale), help (rationale, rewrites, examples, how to disable), a link
 *   to the rule's page, its default level and its category as a tag;
 * - each result has its rule (id and index), level, message, region (lines, UTF-16 columns,
 *   char offsets and the snippet), one `fix` per suggestion, and a partial fingerprint built
 *   from the rule, the normalized matched text and its occurrence index — so moving lines
 *   does not make code scanning see a new alert;
 * - skipped files and parse problems are tool execution notifications.
 */

const FINGERPRINT_KEY = 'candor/v1';

type Level = 'error' | 'warning' | 'note';

function level(severity: Severity | 'info'): Level {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** The rule's generated page in the installed package (a file:// URI: it opens offline). */
export function ruleDocUri(rule: Pick<RuleData, 'id'>, isBuiltin: boolean): string | undefined {
  return isBuiltin ? installedDocUri(rule.id) : undefined;
}

function ruleHelp(rule: RuleData): { text: string; markdown: string } {
  const text: string[] = [rule.rationale || rule.message];
  const md: string[] = [`**${rule.message}**`, '', rule.rationale || ''];
  const rewrites = rule.suggestions.filter((s) => s !== '');
  if (rewrites.length || rule.suggestions.includes('')) {
    const list = [...rewrites.map((s) => `“${s}”`), ...(rule.suggestions.includes('') ? ['drop the phrase'] : [])];
    text.push(`Try: ${list.join(', ')}.`);
    md.push('', `Try instead: ${list.join(', ')}.`);
  }
  const bad = rule.examples?.invalid ?? [];
  const good = rule.examples?.valid ?? [];
  if (bad.length) md.push('', 'Flagged:', '', ...bad.slice(0, 3).map((e) => `- ❌ ${e}`));
  if (good.length) md.push('', 'Fine:', '', ...good.slice(0, 3).map((e) => `- ✅ ${e}`));
  text.push(`Turn it off in .candor.json with "rules": { "${rule.id}": "off" }, or for one line with a candor-disable-next-line ${rule.id} comment.`);
  md.push('', `Turn it off in \`.candor.json\` with \`"rules": { "${rule.id}": "off" }\`, or for one line with a \`candor-disable-next-line ${rule.id}\` comment.`);
  return { text: text.join(' '), markdown: md.join('\n').replace(/\n{3,}/g, '\n\n').trim() };
}

export default function formatSarif(report: RunReport, options: FormatterOptions): string {
  const builtinIds = new Set<string>();
  const rules: RuleData[] = [];
  const index = new Map<string, number>();
  const addRule = (r: RuleData, builtin: boolean) => {
    if (index.has(r.id)) return;
    index.set(r.id, rules.length);
    rules.push(r);
    if (builtin) builtinIds.add(r.id);
  };
  const shipped = new Set(builtinRules.map((r) => r.id));
  for (const r of options.rules) addRule(r, shipped.has(r.id));
  // A rule that reported but is not in the list (should not happen): minimal metadata from the finding.
  for (const f of report.files.flatMap((x) => x.findings)) {
    if (!index.has(f.ruleId)) addRule({ id: f.ruleId, category: f.category, principle: 'honesty', message: f.message, rationale: '', patterns: [], suggestions: [] }, false);
  }

  const base = pathToFileURL(options.cwd.endsWith(path.sep) ? options.cwd : options.cwd + path.sep).href;
  const results: unknown[] = [];
  const notifications: unknown[] = [];
  for (const file of report.files) {
    const uri = file.path.split('/').map(encodeURIComponent).join('/');
    const artifactLocation = { uri, uriBaseId: '%SRCROOT%' };
    const keys = findingKeys(file.findings);
    file.findings.forEach((f, i) => results.push(result(f, artifactLocation, index.get(f.ruleId)!, resultFingerprint(keys[i]), options.baseline)));
    for (const n of file.notices) notifications.push(notification(n, artifactLocation));
  }

  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Candor',
            semanticVersion: options.version,
            version: options.version,
            rules: rules.map((r) => {
              const helpUri = ruleDocUri(r, builtinIds.has(r.id));
              return {
                id: r.id,
                name: toPascalCase(r.id),
                shortDescription: { text: r.message },
                fullDescription: { text: r.rationale || r.message },
                help: ruleHelp(r),
                ...(helpUri ? { helpUri } : {}),
                defaultConfiguration: { level: level(r.severity ?? 'warning') },
                properties: { tags: [r.category, ...(r.principle ? [r.principle] : [])], category: r.category, precision: 'medium', 'problem.severity': r.severity === 'error' ? 'error' : r.severity === 'info' ? 'recommendation' : 'warning' },
              };
            }),
          },
        },
        invocations: [
          {
            executionSuccessful: !report.files.some((f) => f.notices.some((n) => n.severity === 'error')),
            toolExecutionNotifications: notifications,
          },
        ],
        originalUriBaseIds: { '%SRCROOT%': { uri: base } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function result(f: Finding, artifactLocation: { uri: string; uriBaseId: string }, ruleIndex: number, fingerprint: string, baseline?: boolean) {
  const alternatives = suggestionList(f.suggestions);
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: level(f.severity),
    kind: 'fail',
    message: { text: `${f.message} “${f.text.replace(/\s+/g, ' ')}”${alternatives ? `. Try: ${alternatives}` : ''}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation,
          region: {
            startLine: f.line,
            startColumn: f.column,
            endLine: f.endLine,
            endColumn: f.endColumn,
            charOffset: f.offset,
            charLength: f.endOffset - f.offset,
            snippet: { text: f.text },
          },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    ...(baseline ? { baselineState: 'new' } : {}),
    fixes: f.suggestions.map((s) => ({
      description: { text: s.removal ? s.text : `Replace with “${s.text}”` },
      artifactChanges: [
        {
          artifactLocation,
          replacements: [{ deletedRegion: { charOffset: s.fix.offset, charLength: s.fix.endOffset - s.fix.offset }, insertedContent: { text: s.fix.text } }],
        },
      ],
    })),
    properties: { category: f.category, fixable: f.fixable },
  };
}

function notification(n: FileNotice, artifactLocation: { uri: string; uriBaseId: string }) {
  return {
    level: n.severity === 'info' ? 'note' : n.severity,
    message: { text: n.message },
    descriptor: { id: n.kind },
    locations: [{ physicalLocation: { artifactLocation, ...(n.line ? { region: { startLine: n.line, startColumn: n.column ?? 1 } } : {}) } }],
  };
}

function toPascalCase(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}
