import { describe, expect, it } from 'vitest';
import { EntryKind, PhraseMatcher, resolveHits } from '../../src/engine/matcher.js';
import { expandPattern } from '../../src/engine/pattern.js';
import { tokenize } from '../../src/engine/tokenize.js';
import { BARRIER_CHAR, PLACEHOLDER_CHAR } from '../../src/engine/types.js';

function build(rules: Array<{ patterns: string[]; exceptions?: string[] }>, allow: string[] = []) {
  const m = new PhraseMatcher();
  rules.forEach((r, i) => {
    for (const p of r.patterns) for (const s of expandPattern(p)) m.add(s, { kind: EntryKind.Match, rule: i });
    for (const p of r.exceptions ?? []) for (const s of expandPattern(p)) m.add(s, { kind: EntryKind.Exception, rule: i });
  });
  for (const p of allow) for (const s of expandPattern(p)) m.add(s, { kind: EntryKind.Allow, rule: -1 });
  return (text: string) => {
    const t = tokenize(text);
    return resolveHits(m.scan(t)).map((x) => ({ rule: x.rule, text: text.slice(t.start[x.first], t.end[x.last]) }));
  };
}

describe('phrase matcher', () => {
  const run = build([
    { patterns: ['(as)? per our policy~'] },
    { patterns: ['we are unable to'] },
    { patterns: ['unfortunately we are unable to'] },
    { patterns: ['servant~'], exceptions: ['(civil|public) servant~'] },
    { patterns: ['sorry for the * inconvenience'] },
  ]);

  it('matches across case, contractions, curly apostrophes and line wraps', () => {
    expect(run('AS PER OUR POLICIES, no.')).toEqual([{ rule: 0, text: 'AS PER OUR POLICIES' }]);
    expect(run('We’re unable to help.')).toEqual([{ rule: 1, text: 'We’re unable to' }]);
    expect(run('we are\n  unable to')).toEqual([{ rule: 1, text: 'we are\n  unable to' }]);
  });
  it('prefers the longest phrase and drops phrases inside it', () => {
    expect(run('Unfortunately, we are unable to refund.')).toEqual([{ rule: 2, text: 'Unfortunately, we are unable to' }]);
  });
  it('stops at sentence punctuation, blank lines, barriers and placeholders', () => {
    expect(run('per our. policy')).toEqual([]);
    expect(run('per our\n\npolicy')).toEqual([]);
    expect(run(`per our${BARRIER_CHAR}policy`)).toEqual([]);
    expect(run(`per ${PLACEHOLDER_CHAR} policy`)).toEqual([]);
    expect(run(`sorry for the ${PLACEHOLDER_CHAR} inconvenience`)).toEqual([]);
  });
  it('applies exceptions of the same rule', () => {
    expect(run('a civil servant')).toEqual([]);
    expect(run('your humble servant')).toEqual([{ rule: 3, text: 'servant' }]);
  });
  it('matches wildcards', () => {
    expect(run('Sorry for the temporary inconvenience')).toEqual([{ rule: 4, text: 'Sorry for the temporary inconvenience' }]);
  });
  it('drops findings overlapping an allowed phrase', () => {
    const allowRun = build([{ patterns: ['per our policy'] }], ['per our policy']);
    expect(allowRun('per our policy')).toEqual([]);
  });
  it('is linear: a long text with many partial matches stays fast', () => {
    const text = 'per our per our per our '.repeat(20000);
    const t0 = performance.now();
    expect(run(text)).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
