import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { compileRuleSet } from '../../src/engine/ruleset.js';
import { builtinRules } from '../../src/rules/builtin.js';
import type { FormatId } from '../../src/engine/types.js';

function found(text: string, format: FormatId = 'text') {
  return lint(text, { format }).findings.map((f) => ({ id: f.ruleId, text: f.text }));
}

function apply(text: string, fix: { offset: number; endOffset: number; text: string }): string {
  return text.slice(0, fix.offset) + fix.text + text.slice(fix.endOffset);
}

describe('engine: hard cases', () => {
  it('finds phrases in every case form and across line wraps', () => {
    for (const t of ['per our policy', 'Per our policy', 'PER OUR POLICY', 'per our\n   policy', 'as per our policies']) {
      expect(found(t).length, t).toBe(1);
    }
  });

  it('reports exact positions after an emoji, in CRLF files and after a BOM', () => {
    for (const text of ['😀 Per our policy, no.', '\uFEFFHello.\r\nPer our policy, no.\r\n', 'a\r\n\r\n👍🏽 x Per our policy']) {
      const f = lint(text, { format: 'text' }).findings[0];
      expect(text.slice(f.offset, f.endOffset)).toBe('Per our policy');
      const lines = text.split(/\r\n|\r|\n/);
      expect(lines[f.line - 1].slice(f.column - 1, f.endColumn - 1)).toBe('Per our policy');
    }
  });

  it('treats a placeholder as a word in the sentence, never as part of a phrase', () => {
    expect(found('Hi {{name}}, per our policy we cannot.', 'text').map((f) => f.text)).toContain('per our policy');
    expect(found('Dear {{ customer.first_name }},').length).toBe(0);
  });

  it('does not flag quoted customer words', () => {
    expect(found('You wrote: "it is not my job to fix this", and I understand.').length).toBe(0);
    expect(found('You said “per our policy” was confusing.').length).toBe(0);
  });

  it('keeps legitimate uses clean', () => {
    for (const t of [
      'The room has a king-size bed.',
      'Our support department is open 24/7.',
      'The Privacy Policy is linked below.',
      'Our refund window is 60 days.',
    ]) {
      expect(found(t), t).toEqual([]);
    }
  });

  it('adapts suggestions to the original case and deletes cleanly', () => {
    const text = 'PER OUR POLICY, no.';
    const f = lint(text, { format: 'text' }).findings[0];
    const rewrite = f.suggestions.find((s) => !s.text.startsWith('Remove'))!;
    expect(rewrite.text).toBe(rewrite.text.toUpperCase());
    const removal = f.suggestions.find((s) => s.text.startsWith('Remove'));
    if (removal) expect(apply(text, removal.fix)).toMatch(/^No\./);
  });

  it('applies rule severities and custom rules from a rule set', () => {
    const ruleSet = compileRuleSet(builtinRules, {
      severities: { defensive: 'error', 'defensive/per-our-policy': 'off' },
      custom: [{ id: 'team/synergy', category: 'defensive', principle: 'honesty', message: 'm', rationale: '', patterns: ['leverage (our)? (synergy|synergies)'], suggestions: ['work together'] }],
    });
    const r = lint('Leverage our synergies: per our policy.', { format: 'text', ruleSet });
    expect(r.findings.map((f) => [f.ruleId, f.severity])).toEqual([['team/synergy', 'error']]);
    expect(apply('Leverage our synergies: x', r.findings[0].suggestions[0].fix)).toBe('Work together: x');
  });

  it('reports a shape whose pattern has no rewrites ([]) without a quick fix, and never as fixable', () => {
    const ruleSet = compileRuleSet(
      [
        {
          id: 'cliche/t',
          category: 'cliche',
          principle: 'honesty',
          message: 'm',
          rationale: '',
          patterns: [{ pattern: 'we strive', suggestions: [] }, { pattern: 'we strive to', suggestions: ['we aim to', 'we try to'] }],
          suggestions: ['aim', 'try'],
          fixable: true,
        },
      ],
      {},
    );
    const [bare] = lint('We strive, always.', { format: 'text', ruleSet }).findings;
    expect([bare.text, bare.suggestions, bare.fixable]).toEqual(['We strive', [], false]);
    const [to] = lint('We strive to reply.', { format: 'text', ruleSet }).findings;
    expect([to.text, to.suggestions.map((s) => s.text), to.fixable]).toEqual(['We strive to', ['We aim to', 'We try to'], true]);
  });

  it('honours inline directives', () => {
    const text = 'Per our policy.\n# candor-disable-next-line\nPer our policy.\ncandor-disable defensive\nPer our policy.\ncandor-enable\nPer our policy.\n';
    expect(lint(text, { format: 'text' }).findings.map((f) => f.line)).toEqual([1, 7]);
  });
});

describe('directives in every comment syntax', () => {
  it.each([
    ['{% comment %}candor-disable-next-line defensive/per-our-policy{% endcomment %}\nPer our policy.\n', 'text'],
    ['{# candor-disable-next-line defensive #}\nPer our policy.\n', 'text'],
    ['{{! candor-disable-next-line }}\nPer our policy.\n', 'text'],
    ['<%# candor-disable-next-line defensive/per-our-policy %>\nPer our policy.\n', 'text'],
    ['<!-- candor-disable-next-line defensive/per-our-policy -->\n<p>Per our policy.</p>\n', 'html'],
    ['a: 1\n# candor-disable-next-line\nb: Per our policy.\n', 'yaml'],
  ] as const)('%s', (text, format) => {
    expect(lint(text, { format }).findings).toEqual([]);
  });
  it('a directive naming another rule disables nothing else', () => {
    expect(lint('{% comment %}candor-disable-next-line cliche{% endcomment %}\nPer our policy.\n', { format: 'text' }).findings.length).toBe(1);
  });
});

describe('rewrites inside template string literals', () => {
  it('escape the literal quote so the template still parses', () => {
    const ruleSet = compileRuleSet(builtinRules, {
      custom: [{ id: 'team/regret', category: 'cliche', principle: 'honesty', message: 'm', rationale: '', patterns: ['we regret~'], suggestions: ["we're sorry"] }],
    });
    const text = "{{ __('We regret the delay.') }}\n";
    const f = lint(text, { format: 'text', ruleSet }).findings.find((x) => x.ruleId === 'team/regret')!;
    const fixed = text.slice(0, f.suggestions[0].fix.offset) + f.suggestions[0].fix.text + text.slice(f.suggestions[0].fix.endOffset);
    expect(fixed).toBe("{{ __('We\\'re sorry the delay.') }}\n");
  });
});

describe('removing a phrase', () => {
  const remove = (text: string, ruleId: string) => {
    const f = lint(text, { format: 'text' }).findings.find((x) => x.ruleId === ruleId)!;
    const s = f.suggestions.find((x) => x.removal)!;
    return text.slice(0, s.fix.offset) + s.fix.text + text.slice(s.fix.endOffset);
  };
  it('takes both commas of a parenthetical phrase', () => {
    expect(remove('Refunds, please be advised, take a week.', 'defensive/please-be-advised')).toBe('Refunds take a week.');
  });
  it('keeps the comma after a greeting', () => {
    expect(remove('Hi Sam, please be advised, your order shipped.', 'defensive/please-be-advised')).toBe('Hi Sam, your order shipped.');
  });
  it('re-capitalizes the next word at a sentence start', () => {
    expect(remove('Please be advised that the store is closed.', 'defensive/please-be-advised')).toBe('The store is closed.');
  });
});

describe('template tags inside a phrase', () => {
  // Found by `npm run fuzz` (10⁵ cases): a partial, a comment or a control tag between the words
  // of a phrase made one finding that included the tag. What such a tag renders is unknown (a
  // partial inserts text, a control tag picks a branch), so the phrase stops there.
  const TAGGED = ['{{> footer}}', '{{! note }}', '{{!-- note --}}', '{% if vip %}', '{% endif %}', '{# note #}', '<% end %>', '{{/if}}', '{% comment %}x{% endcomment %}'];

  it.each(TAGGED)('no finding contains %s, and the words after it are still linted', (tag) => {
    const text = `Unfortunately, ${tag} we are unable to refund it. Per our ${tag} policy, no.`;
    const findings = lint(text, { format: 'text' }).findings;
    for (const f of findings) expect(f.text).not.toContain(tag);
    expect(findings.map((f) => f.text)).toContain('we are unable to');
    expect(findings.some((f) => f.ruleId === 'defensive/per-our-policy')).toBe(false);
  });

  it('a tag reads as a space for sentence context: rewrites are the same as without it', () => {
    const plain = lint('Thanks for writing, we apologize for any inconvenience.', { format: 'text' }).findings;
    const tagged = lint('Thanks for writing, {% if late %}we apologize for any inconvenience.', { format: 'text' }).findings;
    expect(plain.length).toBeGreaterThan(0);
    expect(tagged.map((f) => [f.ruleId, f.suggestions.map((s) => s.text)])).toEqual(plain.map((f) => [f.ruleId, f.suggestions.map((s) => s.text)]));
  });

  it('an unterminated tag does not join body text to an attribute', () => {
    const html = '<p>Per our policy {{ &rsquo;</p><img alt="Per our policy here">';
    for (const f of lint(html, { format: 'html' }).findings) {
      expect(f.text).not.toContain('{{');
      expect(f.text).not.toContain('<');
    }
  });
});
