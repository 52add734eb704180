import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultRuleSet, lint } from '../../src/engine/lint.js';
import { mayMatch, roughProse } from '../../src/engine/prefilter.js';
import { extractProse, detectFormat } from '../../src/formats/index.js';
import { tokenize } from '../../src/engine/tokenize.js';
import { resolveHits } from '../../src/engine/matcher.js';
import { builtinRules } from '../../src/rules/builtin.js';
import type { FormatId } from '../../src/engine/types.js';

/**
 * The prefilter may only skip files in which the full pipeline finds no phrase. Checked by
 * running both on real and generated input: whenever the adapters' prose has a phrase hit,
 * the prefilter must have let the file through.
 */
const ROOT = path.resolve(__dirname, '../../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus/real');

function pipelineHasHit(text: string, format: FormatId): boolean {
  const set = defaultRuleSet();
  return extractProse(text, format).regions.some((r) => resolveHits(set.matcher.scan(tokenize(r.text.text))).length > 0);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('expected.json') && e.name !== 'labels.json')
    .map((e) => path.join(e.parentPath ?? (e as any).path, e.name));
}

describe('prefilter', () => {
  const set = defaultRuleSet();

  it('lets every rule example through and decodes what adapters decode', () => {
    for (const rule of builtinRules) {
      for (const text of rule.examples?.invalid ?? []) expect(mayMatch(set.matcher, text, 'text'), `${rule.id}: ${text}`).toBe(true);
    }
    expect(mayMatch(set.matcher, '<p>We&rsquo;re unable to</p>', 'html')).toBe(true);
    expect(mayMatch(set.matcher, '{"a":"x\\nPer our\\npolicy"}', 'json')).toBe(true);
    expect(mayMatch(set.matcher, 'a: \'It\'\'s not my job\'', 'yaml')).toBe(true);
    expect(mayMatch(set.matcher, '<p>Per our {% if x %}<b>policy</b>{% endif %}</p>', 'html')).toBe(true);
    expect(mayMatch(set.matcher, '{{trans "Dear valued customer"}}', 'html')).toBe(true);
    expect(mayMatch(set.matcher, '<img src="a.png" alt="The customer is king">', 'html')).toBe(true);
    expect(roughProse('a <b class="x">b</b> {{ name }} c', 'html')).not.toMatch(/[<>{}]/);
  });

  it('skips a file with no phrase', () => {
    expect(mayMatch(set.matcher, '<p>Your parcel left the warehouse on Tuesday.</p>', 'html')).toBe(false);
  });

  it('never skips a file in which the pipeline finds a phrase (corpus, fixtures, eval set)', () => {
    const files = [...filesUnder(CORPUS), ...filesUnder(path.join(ROOT, 'test-fixtures')), ...filesUnder(path.join(ROOT, 'examples'))];
    expect(files.length).toBeGreaterThan(50);
    let skipped = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const format = detectFormat(file, text);
      const pass = mayMatch(set.matcher, text, format);
      if (!pass) skipped++;
      if (!pass) expect(pipelineHasHit(text, format), file).toBe(false);
    }
    console.log(`prefilter: skipped ${skipped} of ${files.length} files`);
  });

  it('never skips generated input in which the pipeline finds a phrase', () => {
    const pieces = ['Per our', 'policy', 'we are', 'unable to', 'dear valued customer', '{% if x %}', '{{ name }}', '<b>', '</b>', '&rsquo;', 'we', 're', '\\n', '<!-- c -->', '`code`', "''", ' ', '\n', 'it', "'s not my job", '{{trans "', '"}}', '<img alt="', '">'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 20 }), fc.constantFrom<FormatId>('text', 'html', 'markdown', 'json', 'yaml'), (parts, format) => {
        const text = parts.join(' ');
        if (!mayMatch(set.matcher, text, format)) expect(pipelineHasHit(text, format)).toBe(false);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: 7 },
    );
  });

  it('gives the same findings as linting without it', () => {
    const text = '<p>Per our policy.</p>';
    expect(lint(text, { format: 'html' }).findings.length).toBe(1);
  });
});
