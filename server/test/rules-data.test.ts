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
    }
  });
});
