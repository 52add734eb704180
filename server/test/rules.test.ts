import { describe, expect, it } from 'vitest';
import { lint } from '../src/engine/lint.js';
import { builtinRules } from '../src/rules/builtin.js';

/**
 * RuleTester-style: every rule's own examples, driven from the rule data. An invalid example
 * must be reported by its rule; a valid one must not be. Hand-written hard cases follow.
 */
describe.each(builtinRules.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
  it.each(rule.examples?.invalid ?? [])('invalid: %s', (text) => {
    const ids = lint(text, { format: 'text' }).findings.map((f) => f.ruleId);
    expect(ids).toContain(rule.id);
  });
  it.each(rule.examples?.valid ?? [])('valid: %s', (text) => {
    const ids = lint(text, { format: 'text' }).findings.map((f) => f.ruleId);
    expect(ids).not.toContain(rule.id);
  });
  it('suggestions keep case and never drop placeholders', () => {
    const example = rule.examples?.invalid[0];
    if (!example) return;
    const finding = lint(example, { format: 'text' }).findings.find((f) => f.ruleId === rule.id)!;
    for (const s of finding.suggestions) {
      if (/^\p{Lu}/u.test(finding.text) && s.fix.text) expect(s.fix.text[0]).toBe(s.fix.text[0].toUpperCase());
    }
  });
});
