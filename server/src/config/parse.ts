import { Ajv, type ErrorObject } from 'ajv';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import schema from '../../../schema/candor.schema.json' with { type: 'json' };
import { builtinRules } from '../rules/builtin.js';
import { CATEGORIES, type Category, type FormatId, type RuleData, type SeveritySetting } from '../engine/types.js';
import { expandPattern, PatternError } from '../engine/pattern.js';
import { LineIndex } from '../engine/positions.js';

/**
 * .candor.json: JSON with comments, validated by the shipped schema (schema/candor.schema.json).
 * Parsing is pure (text in, config and located errors out) so the CLI and the language
 * server report the same problems at the same places. Configuration is data only: nothing
 * in it is ever executed, and custom patterns are phrase patterns, not regular expressions.
 */

export interface CandorConfig {
  root?: boolean;
  rules?: Record<string, SeveritySetting | 'warn'>;
  phrases?: Array<Partial<RuleData> & Pick<RuleData, 'id' | 'category' | 'patterns' | 'message'>>;
  allow?: string[];
  files?: string[];
  ignore?: string[];
  overrides?: Array<{ files: string[]; format?: FormatId; rules?: Record<string, SeveritySetting | 'warn'> }>;
  maxFileSize?: number;
}

export interface ConfigIssue {
  severity: 'error' | 'warning';
  message: string;
  offset: number;
  endOffset: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ParsedConfig {
  /** The usable config: {} when the file is invalid (Candor then runs on defaults). */
  config: CandorConfig;
  issues: ConfigIssue[];
  /** True when the file has errors (the CLI exits 2). */
  invalid: boolean;
}

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(value: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
  return validator(value) ? [] : (validator.errors ?? []);
}

const knownIds = new Set(builtinRules.map((r) => r.id));

export function parseConfig(text: string): ParsedConfig {
  const lines = new LineIndex(text);
  const issues: ConfigIssue[] = [];
  const issue = (severity: ConfigIssue['severity'], message: string, offset: number, length: number) => {
    const s = lines.position(offset);
    const e = lines.position(offset + length);
    issues.push({ severity, message, offset, endOffset: offset + length, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 });
  };
  const errors: ParseError[] = [];
  const tree = parseTree(text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const e of errors) issue('error', `Invalid JSON: ${describeParseError(printParseErrorCode(e.error))}`, e.offset, Math.max(1, e.length));
  if (errors.length || !tree) {
    if (!tree && !errors.length) issue('error', 'The file is empty: expected a JSON object.', 0, 0);
    return { config: {}, issues, invalid: true };
  }
  const value = nodeValue(tree);
  for (const err of validate(value)) {
    const path = err.instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~')));
    let node = findNodeAtLocation(tree, path) ?? tree;
    let message = `${err.instancePath ? `"${err.instancePath.slice(1).replace(/\//g, '.')}"` : 'The config'} ${err.message ?? 'is invalid'}`;
    if (err.keyword === 'additionalProperties') {
      const extra = (err.params as { additionalProperty: string }).additionalProperty;
      const prop = node.children?.find((c) => c.children?.[0]?.value === extra);
      if (prop?.children?.[0]) node = prop.children[0];
      message = `Unknown property "${extra}"${err.instancePath ? ` in "${err.instancePath.slice(1).replace(/\//g, '.')}"` : ''}.`;
    } else if (err.keyword === 'enum') {
      message += `: ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (err.keyword === 'propertyNames') {
      const name = (err.params as { propertyName?: string }).propertyName;
      const prop = node.children?.find((c) => c.children?.[0]?.value === name);
      if (prop?.children?.[0]) node = prop.children[0];
      message = `"${name}" is not a rule id ("category/name") or a category.`;
    }
    issue('error', message, node.offset, node.length);
  }
  if (issues.length) return { config: {}, issues, invalid: true };
  const config = value as CandorConfig;
  checkSemantics(config, tree, issue);
  return { config, issues, invalid: issues.some((i) => i.severity === 'error') ? true : false };
}

function checkSemantics(config: CandorConfig, tree: Node, issue: (s: ConfigIssue['severity'], m: string, o: number, l: number) => void): void {
  const customIds = new Set((config.phrases ?? []).map((p) => p.id));
  const checkRuleKeys = (rules: Record<string, unknown> | undefined, path: (string | number)[]) => {
    for (const key of Object.keys(rules ?? {})) {
      if ((CATEGORIES as readonly string[]).includes(key) || knownIds.has(key) || customIds.has(key)) continue;
      const node = findNodeAtLocation(tree, [...path, key])?.parent?.children?.[0];
      const near = suggestId(key);
      issue('warning', `Unknown rule "${key}"${near ? ` — did you mean "${near}"?` : ''}. It has no effect.`, node?.offset ?? 0, node?.length ?? 0);
    }
  };
  checkRuleKeys(config.rules, ['rules']);
  config.overrides?.forEach((o, i) => checkRuleKeys(o.rules, ['overrides', i, 'rules']));
  const seen = new Set<string>();
  (config.phrases ?? []).forEach((rule, i) => {
    const idNode = findNodeAtLocation(tree, ['phrases', i, 'id']);
    if (knownIds.has(rule.id) || seen.has(rule.id)) {
      issue('error', `Rule id "${rule.id}" is already taken${knownIds.has(rule.id) ? ' by a built-in rule' : ''}.`, idNode?.offset ?? 0, idNode?.length ?? 0);
    }
    seen.add(rule.id);
    if (!rule.id.startsWith(rule.category + '/') && (CATEGORIES as readonly string[]).includes(rule.id.split('/')[0])) {
      issue('error', `Rule "${rule.id}" is in category "${rule.category}" but its id names another category.`, idNode?.offset ?? 0, idNode?.length ?? 0);
    }
    for (const key of ['patterns', 'exceptions'] as const) {
      (rule[key] ?? []).forEach((item, j) => {
        const node = findNodeAtLocation(tree, ['phrases', i, key, j]);
        const pattern = typeof item === 'string' ? item : item.pattern;
        try {
          expandPattern(pattern);
        } catch (err) {
          if (!(err instanceof PatternError)) throw err;
          issue('error', `Pattern ${JSON.stringify(pattern)} of "${rule.id}": ${err.message}.`, node?.offset ?? 0, node?.length ?? 0);
        }
      });
    }
  });
  (config.allow ?? []).forEach((phrase, j) => {
    try {
      expandPattern(phrase);
    } catch (err) {
      if (!(err instanceof PatternError)) throw err;
      const node = findNodeAtLocation(tree, ['allow', j]);
      issue('error', `Allowed phrase ${JSON.stringify(phrase)}: ${err.message}.`, node?.offset ?? 0, node?.length ?? 0);
    }
  });
}

/** A rule id one edit-distance-ish away, for "did you mean". */
function suggestId(key: string): string | undefined {
  const tail = key.split('/').pop() ?? key;
  return [...knownIds].find((id) => id.endsWith('/' + tail)) ?? [...knownIds].find((id) => id.includes(tail) && tail.length > 3);
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (k && v) out[String(k.value)] = nodeValue(v);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

function describeParseError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'expected a property name in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: 'expected ":"',
    CommaExpected: 'expected ","',
    CloseBraceExpected: 'expected "}"',
    CloseBracketExpected: 'expected "]"',
    EndOfFileExpected: 'unexpected content after the end',
    InvalidCommentToken: 'invalid comment',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid \\u escape',
    InvalidEscapeCharacter: 'invalid escape',
    InvalidCharacter: 'invalid character',
  };
  return words[code] ?? code;
}

/** Normalize "warn" to "warning". */
export function normalizeSeverities(rules: Record<string, SeveritySetting | 'warn'> | undefined): Record<string, SeveritySetting> {
  const out: Record<string, SeveritySetting> = {};
  for (const [k, v] of Object.entries(rules ?? {})) out[k] = v === 'warn' ? 'warning' : v;
  return out;
}

/** A custom rule from config, completed with the defaults built-in rules have. */
export function toRuleData(rule: NonNullable<CandorConfig['phrases']>[number]): RuleData {
  return {
    id: rule.id,
    category: rule.category as Category,
    principle: rule.principle ?? 'honesty',
    severity: rule.severity,
    message: rule.message,
    rationale: rule.rationale ?? '',
    patterns: rule.patterns,
    exceptions: rule.exceptions,
    suggestions: rule.suggestions ?? [],
    fixable: rule.fixable ?? false,
  };
}
