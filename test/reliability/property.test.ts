import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../server/src/engine/lint';
import type { FormatId } from '../../server/src/engine/types';

/**
 * Property tests over generated templates: prose with rule phrases, template tags of every
 * syntax (nested and unbalanced), HTML, entities, emoji, CRLF/CR/LF mixes, BOMs, NULs.
 * CI runs a bounded number of cases with a fixed seed (fast-check prints the seed and the
 * shrunk counterexample on failure); `npm run fuzz` runs 10⁵ cases with a random seed.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS ? Date.now() : 20261123;
fc.configureGlobal({ seed: SEED, numRuns: RUNS });
// Long runs (npm run fuzz) get a time limit that grows with the number of cases. The YAML
// rewrite property re-lints and re-parses the document for every suggestion of every case
// (~100 ms a case at 6,000 cases), so the allowance is generous; slow *lints* are caught by
// the per-input maximum printed at the end, not by this limit.
const TIMEOUT = Math.max(60_000, RUNS * 250);

const TAGS = [
  '{{ customer.first_name }}', '{{name}}', '{% if order.paid %}', '{% endif %}', '{% comment %}x{% endcomment %}', '{{#if vip}}', '{{/if}}', '{{> footer}}',
  '{{! note }}', '{{!-- long note --}}', '{{{raw}}}', '<%= @user.name %>', '<% end %>', '{# jinja #}', '{{var order.id}}', '%NAME%', '%{name}', '#{name}',
  '{$name}', '[Name]', '*|FNAME|*', '%%Name%%', '{%customer.firstName%}',
];
const BROKEN = ['{{', '{%', '<%', '}}', '%}', '<!--', '-->', '<p', '"', "'", '&', '&rsquo', '\\', '\\u12'];
const PROSE = [
  'Per our policy', 'we are unable to', 'Unfortunately,', 'your call is important to us', 'we apologize for any inconvenience', 'dear valued customer',
  'at your service', 'it is not my job', 'please be advised', 'the customer is king', 'thanks', 'order', 'refund', 'we’re', "it's", 'Hello', 'king-size bed',
];
const LONG = ['x'.repeat(20_000), 'Per our policy '.repeat(500), '{{ name }} '.repeat(500)];
const SPICE = ['😀', '👍🏽', '\r\n', '\r', '\n', '\n\n', '\uFEFF', '\u0000', ' ', '  ', '\t', '&rsquo;', '&amp;', '&nbsp;', '<p>', '</p>', '<b>', '</b>', '<br>', '.', ',', ':', '“', '”'];

const piece = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...PROSE) },
  { weight: 3, arbitrary: fc.constantFrom(...TAGS) },
  { weight: 3, arbitrary: fc.constantFrom(...SPICE) },
  { weight: 1, arbitrary: fc.constantFrom(...BROKEN) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom(...LONG) },
);
const body = fc.array(piece, { maxLength: 40 }).map((xs) => xs.join(' '));

const containers: Record<FormatId, (s: string) => string> = {
  text: (s) => s,
  markdown: (s) => `# Title\n\n${s}\n\n- ${s}\n`,
  html: (s) => `<html><body><p>${s}</p><img alt="${s.replace(/"/g, '')}"></body></html>`,
  json: (s) => JSON.stringify({ macros: [{ title: 't', actions: [{ field: 'comment_value', value: s }] }], note: s }),
  yaml: (s) => `a: ${JSON.stringify(s)}\nb: |\n  ${s.replace(/[\r\n]+/g, ' ')}\n`,
};

const stats = { cases: 0, maxMs: 0, maxInputChars: 0, peakRssMb: 0 };
function timedLint(text: string, format: FormatId) {
  const t0 = performance.now();
  const r = lint(text, { format });
  const ms = performance.now() - t0;
  stats.cases++;
  if (ms > stats.maxMs) stats.maxMs = ms;
  if (text.length > stats.maxInputChars) stats.maxInputChars = text.length;
  if (stats.cases % 500 === 0) stats.peakRssMb = Math.max(stats.peakRssMb, process.memoryUsage().rss / 1e6);
  return r;
}
afterAll(() => {
  stats.peakRssMb = Math.max(stats.peakRssMb, process.memoryUsage().rss / 1e6);
  console.log(`[fuzz] seed ${SEED}: ${stats.cases} lint calls, max ${stats.maxMs.toFixed(1)} ms per input (longest input ${stats.maxInputChars} chars), peak RSS ${stats.peakRssMb.toFixed(0)} MB`);
});

function tagsIn(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of TAGS) {
    let n = 0;
    for (let i = text.indexOf(t); i >= 0; i = text.indexOf(t, i + 1)) n++;
    counts.set(t, n);
  }
  return counts;
}

describe.each(Object.keys(containers) as FormatId[])('properties: %s', (format) => {
  it('never throws; every finding lies inside the file, equals its text, and touches no tag', () => {
    fc.assert(
      fc.property(body, (s) => {
        const text = containers[format](s);
        const r = timedLint(text, format);
        for (const f of r.findings) {
          expect(f.offset).toBeGreaterThanOrEqual(0);
          expect(f.endOffset).toBeGreaterThan(f.offset);
          expect(f.endOffset).toBeLessThanOrEqual(text.length);
          expect(text.slice(f.offset, f.endOffset)).toBe(f.text);
          for (const t of TAGS) expect(f.text.includes(t), `${f.text} contains ${t}`).toBe(false);
        }
      }),
    );
  }, TIMEOUT);

  it('applying any suggestion keeps every tag, and JSON/YAML still parse with the same keys', () => {
    fc.assert(
      fc.property(body, (s) => {
        const text = containers[format](s);
        const before = tagsIn(text);
        for (const f of timedLint(text, format).findings) {
          for (const sug of f.suggestions) {
            const fixed = text.slice(0, sug.fix.offset) + sug.fix.text + text.slice(sug.fix.endOffset);
            expect(tagsIn(fixed)).toEqual(before);
            if (format === 'json') expect(Object.keys(JSON.parse(fixed))).toEqual(Object.keys(JSON.parse(text)));
            if (format === 'yaml') expect(Object.keys(parseYaml(fixed) ?? {})).toEqual(Object.keys(parseYaml(text) ?? {}));
          }
        }
      }),
    );
  }, TIMEOUT);
});
