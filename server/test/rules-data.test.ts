import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

/**
 * The rule data (rules/<category>/<name>.yml) and everything generated from it: the
 * compiled JSON the engine loads and the docs. Both generators run in --check mode, which
 * fails when their output is stale or a rule file is invalid (schema, id = path, examples…).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const GENERATED = path.join(ROOT, 'server/src/rules/builtin-rules.generated.json');
const SCHEMA = path.join(ROOT, 'rules/rule.schema.json');

interface GeneratedRule {
  id: string;
  category: 'cliche' | 'defensive' | 'hierarchy';
  patterns: Array<string | { pattern: string; suggestions: string[] }>;
  suggestions: string[];
  examples?: { invalid: string[]; valid: string[] };
}

function run(script: string) {
  return spawnSync(process.execPath, [path.join(ROOT, 'scripts', script), '--check'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

describe('rule data', () => {
  const data = JSON.parse(readFileSync(GENERATED, 'utf8')) as { version: string; rules: GeneratedRule[] };

  it('compile-rules --check: every rule file is valid and the generated JSON is up to date', () => {
    const result = run('compile-rules.mjs');
    expect(result.stderr + result.stdout).not.toMatch(/^error /m);
    expect(result.status).toBe(0);
  });

  it('gen-docs --check: rules/README.md and every rule page are up to date, with no orphans', () => {
    const result = run('gen-docs.mjs');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('has enough rules in every category', () => {
    const count = (c: string) => data.rules.filter((r) => r.category === c).length;
    expect(count('cliche')).toBeGreaterThanOrEqual(32);
    expect(count('defensive')).toBeGreaterThanOrEqual(32);
    expect(count('hierarchy')).toBeGreaterThanOrEqual(22);
  });

  it('every generated rule validates against rules/rule.schema.json', () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    const failures = data.rules.flatMap((rule: { id: string }) => {
      const id = rule.id;
      return validate(rule) ? [] : [`${id}: ${ajv.errorsText(validate.errors)}`];
    });
    expect(failures).toEqual([]);
  });

  it('the schema takes a pattern with 2-4 rewrites of its own or none ([]), never just one', () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    const rule = (suggestions: string[]) => ({ id: 'cliche/t', category: 'cliche', principle: 'honesty', message: 'A message.', rationale: 'One sentence here. And another one there.', patterns: [{ pattern: 'we strive', suggestions }], suggestions: ['aim', 'try'] });
    expect(validate(rule([]))).toBe(true);
    expect(validate(rule(['aim', 'try']))).toBe(true);
    expect(validate(rule(['aim']))).toBe(false);
    expect(validate(rule(['a', 'b', 'c', 'd', 'e']))).toBe(false);
  });

  it('ids are unique, sorted, and match their category; the version is a 12-hex hash', () => {
    const ids = data.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const rule of data.rules) expect(rule.id.split('/')[0]).toBe(rule.category);
    expect(data.version).toMatch(/^[0-9a-f]{12}$/);
  });

  it('every rule has 2-4 suggestions, at least 3 invalid and 2 valid examples', () => {
    for (const rule of data.rules) {
      expect(rule.suggestions.length, rule.id).toBeGreaterThanOrEqual(2);
      expect(rule.suggestions.length, rule.id).toBeLessThanOrEqual(4);
      expect(rule.examples?.invalid.length ?? 0, rule.id).toBeGreaterThanOrEqual(3);
      expect(rule.examples?.valid.length ?? 0, rule.id).toBeGreaterThanOrEqual(2);
      for (const p of rule.patterns) {
        if (typeof p === 'string') continue;
        // 2-4 rewrites of its own, or none: its matches are reported without a quick fix.
        if (p.suggestions.length === 0) continue;
        expect(p.suggestions.length, `${rule.id}: ${p.pattern}`).toBeGreaterThanOrEqual(2);
        expect(p.suggestions.length, `${rule.id}: ${p.pattern}`).toBeLessThanOrEqual(4);
      }
    }
  });

  it('the examples are checked by the engine itself, not a copy of it: a quoted phrase is not reported', async () => {
    const { checkRuleExamples } = (await import(path.join(ROOT, 'scripts/compile-rules.mjs'))) as { checkRuleExamples: (rules: object[]) => string[] };
    const quoted = 'She wrote “we go the extra mile” in the ad.';
    const rule = { id: 'cliche/t', patterns: ['go the extra mile'], suggestions: ['help', 'fix it'], exceptions: [], examples: { invalid: ['We go the extra mile.', quoted], valid: ['We walk a mile.'] } };
    expect(checkRuleExamples([rule])).toEqual([`cliche/t: invalid example is not reported by this rule: “${quoted}”`]);
  });

  it('the rewrite check catches the mechanical damage of a rewrite of the wrong shape', async () => {
    const { rewriteProblems, applySuggestion, EngineMatcher } = (await import(path.join(ROOT, 'scripts/compile-rules.mjs'))) as {
      rewriteProblems: (text: string, finding: object, suggestion: string, result: string) => string[];
      applySuggestion: (text: string, finding: object, suggestion: string) => string;
      EngineMatcher: new (rules: object[]) => { findings(text: string): Array<{ ruleId: string; suggestions: string[] }> };
    };
    const check = (patterns: GeneratedRule['patterns'], suggestions: string[], text: string) => {
      const matcher = new EngineMatcher([{ id: 'cliche/t', patterns, suggestions, exceptions: [] }]);
      const finding = matcher.findings(text)[0];
      return finding.suggestions.flatMap((s) => rewriteProblems(text, finding, s, applySuggestion(text, finding, s)));
    };
    expect(check(['strive~ to'], ['we aim'], 'We strive to reply.')).toContain('a word or phrase is doubled');
    expect(check(['(we|i) strive'], ['aims to'], 'We strive to reply.')).toContain('a word or phrase is doubled');
    expect(check(['committed to excellence'], ['we want to get this right'], 'Our team is committed to excellence.')).toContain('a clause follows "is"');
    expect(check(['i hope this finds you well'], ['here is the update'], 'Hi {{name}}, I hope this finds you well.')[0]).toMatch(/capitalized in mid-sentence/);
    expect(check(['with all due respect'], ['to be honest,'], 'With all due respect, no.')).toContain('stray punctuation');
    expect(check(['i hope this finds you well'], ['', 'x'], 'I hope this finds you well.')).toContain('nothing is left');
    expect(check(['honour to assist you'], ['pleasure to help', 'x'], 'It is an honour to assist you.')).toContain('"an" before a consonant');
    // A pattern with rewrites of its own: its matches get them, and a good rewrite passes.
    const own = [{ pattern: 'strives to', suggestions: ['aims to', 'tries to'] }, '(we|i) strive to'];
    expect(check(own, ['we aim to', 'we try to'], 'Our team strives to reply.')).toEqual([]);
    expect(check(own, ['we aim to', 'we try to'], 'We strive to reply.')).toEqual([]);
  });
});
