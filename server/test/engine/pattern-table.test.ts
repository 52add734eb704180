import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EntryKind, PhraseMatcher, resolveHits } from '../../src/engine/matcher.js';
import { tokenize } from '../../src/engine/tokenize.js';
import { compileRuleSet } from '../../src/engine/ruleset.js';
import { parsePattern } from '../../src/engine/pattern.js';
import { encodePatternTable, PatternTableReader } from '../../src/engine/pattern-table.js';
import { builtinPatterns, builtinRules, RULES_VERSION } from '../../src/rules/builtin.js';
import { lint } from '../../src/engine/lint.js';

const builtinSources = (): string[] => {
  const out = new Set<string>();
  for (const rule of builtinRules) {
    for (const p of rule.patterns) out.add(typeof p === 'string' ? p : p.pattern);
    for (const e of rule.exceptions ?? []) out.add(e);
  }
  return [...out];
};

describe('pattern table (built-in patterns parsed at build time)', () => {
  it('holds every built-in pattern and exception, decoded exactly as the parser parses it', () => {
    const sources = builtinSources();
    expect(sources.length).toBeGreaterThan(500);
    for (const source of sources) expect(builtinPatterns.get(source), source).toEqual(parsePattern(source));
  });

  it('round-trips groups, optional words and groups, inflections and wildcards', () => {
    const sources = ['(as)? per (our|the company) policy~', 'we value? * business', '(please (be|stay) advised|kindly note) that', 'a (b (c|d)? e)? f~'];
    const reader = new PatternTableReader(JSON.parse(JSON.stringify(encodePatternTable(sources.map((s) => [s, parsePattern(s)])))));
    for (const source of sources) expect(reader.get(source), source).toEqual(parsePattern(source));
    expect(reader.get('not in the table')).toBeUndefined();
    expect(reader.get('constructor')).toBeUndefined();
  });

  it('a rule set from the table finds what one parsed at run time finds', () => {
    const text = 'Per our policy, we value your business. As per company policy, please be advised that refunds take a week. Dear customer, kindly note the rules.';
    const fromTable = compileRuleSet(builtinRules, { severities: { cliche: 'error' } }, RULES_VERSION, builtinPatterns);
    const parsedHere = compileRuleSet(builtinRules, { severities: { cliche: 'error' } }, `${RULES_VERSION}-parsed`);
    const a = lint(text, { format: 'text', ruleSet: fromTable }).findings;
    const b = lint(text, { format: 'text', ruleSet: parsedHere }).findings;
    expect(a.length).toBeGreaterThan(3);
    expect(a).toEqual(b);
  });

  it('the matcher reads encoded patterns as it reads parsed ones (every rule example, the corpus, groups and wildcards)', () => {
    const sources = [...builtinSources(), '(as)? per (our|the company) policy~', 'we value? * business', '(please (be|stay) advised|kindly note) that', 'a (b (c|d)? e)? f~'];
    const table = encodePatternTable(sources.map((s) => [s, parsePattern(s)]));
    const encoded = new PhraseMatcher();
    const parsed = new PhraseMatcher();
    sources.forEach((source, rule) => {
      encoded.addEncoded(table.patterns[source], table.forms, { kind: EntryKind.Match, rule });
      parsed.addPattern(parsePattern(source), { kind: EntryKind.Match, rule });
    });
    const corpus = path.resolve(__dirname, '../../../../shared/corpus/real');
    const texts = [
      ...builtinRules.flatMap((r) => [...(r.examples?.invalid ?? []), ...(r.examples?.valid ?? [])]),
      'As per the company policies we value your business. Please stay advised that: a b d e f, a f, a c e f.',
      ...(existsSync(corpus) ? readdirSync(corpus, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(path.join(e.parentPath, e.name), 'utf8')) : []),
    ];
    expect(texts.length).toBeGreaterThan(600);
    let hits = 0;
    for (const text of texts) {
      const tokens = tokenize(text);
      const a = resolveHits(encoded.scan(tokens));
      expect(a, text.slice(0, 80)).toEqual(resolveHits(parsed.scan(tokens)));
      expect(encoded.hasMatch(text)).toBe(parsed.hasMatch(text));
      hits += a.length;
    }
    expect(hits).toBeGreaterThan(500);
  });
});
