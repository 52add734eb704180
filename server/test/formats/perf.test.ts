/**
 * Cost grows linearly: realistic 1 MB files of every format, and adversarial inputs built
 * to hit every "search for the end of this" path. Bounds are generous (the machine is
 * shared and CI is noisy); a super-linear path would blow through them by orders of
 * magnitude. Timings are printed for the record.
 */
import { describe, expect, it } from 'vitest';
import type { FormatId } from '../../src/engine/types.js';
import { extractProse } from '../../src/formats/index.js';

const MB = 1_000_000;

function repeatTo(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length));
}

const PARA = 'Hi {{ customer.first_name }}, thanks for reaching out about order #{{ order.id }}. Unfortunately, per our policy we&rsquo;re unable to refund it &mdash; see https://example.com/help?x=1&amp;y=2 or write to help@example.com.';

const realistic: Record<FormatId, () => string> = {
  html: () =>
    '<!DOCTYPE html><html><head><title>Order</title><style>p{color:red}</style></head><body>\n' +
    repeatTo(`<table><tr><td class="x"><p style="margin:0">${PARA}</p><img src="a.png" alt="Our team"><br>{% if vip %}<a href="{{ url }}">Click here</a>{% endif %}</td></tr></table>\n`, MB) +
    '</body></html>',
  json: () => {
    const macros = [];
    for (let i = 0; macros.length * 520 < MB; i++) {
      macros.push({ id: i, title: `Refund::Polite ${i}`, actions: [{ field: 'status', value: 'pending' }, { field: 'comment_value_html', value: `<p>${PARA}</p>\n<p>Thanks,\\n{{current_user.name}}</p>` }] });
    }
    return JSON.stringify({ macros }, null, 2);
  },
  yaml: () => {
    const lines = ['en:'];
    let size = 0;
    for (let i = 0; size < MB; i++, size = lines.length * 80) {
      lines.push(`  key_${i}: "${PARA.replace(/"/g, '\\"')}"`, `  folded_${i}: >`, `    Dear %{name}, we apologize for any`, `    inconvenience caused.`, `  body_${i}_html: '<p>Hi #{user}, it''s <b>done</b>.</p>'`);
    }
    return lines.join('\n') + '\n';
  },
  text: () => repeatTo(`${PARA}\n> quoted per our policy\n\n{% comment %}x{% endcomment %}[Name] %NAME% *|FNAME|*\n`, MB),
  // 256 KB keeps the suite quick and still shows linearity.
  markdown: () => repeatTo(`## Heading {{ x }}\n\n${PARA} *emphasis* and \`code\` [link]({{ url }}).\n\n- item one\n- item two\n\n> quote\n\n\`\`\`\ncode\n\`\`\`\n\n`, MB / 4),
};

describe('performance', () => {
  for (const [format, make] of Object.entries(realistic) as Array<[FormatId, () => string]>) {
    it(`a realistic 1 MB ${format} file extracts in linear time`, () => {
      const src = make();
      extractProse(src.slice(0, 50_000), format); // warm up the JIT
      const t0 = performance.now();
      const r = extractProse(src, format);
      const ms = performance.now() - t0;
      console.log(`[formats perf] ${format} ${(src.length / MB).toFixed(2)} MB: ${ms.toFixed(0)} ms, ${r.regions.length} regions`);
      expect(r.regions.length).toBeGreaterThan(0);
      expect(ms).toBeLessThan(2500);
    });
  }

  const adversarial: Array<[FormatId, string]> = [
    ['text', repeatTo('{{', MB / 2)],
    ['text', repeatTo('<!-- ', MB / 2)],
    ['text', repeatTo('> a\n', MB / 2)],
    ['text', repeatTo('a@', MB / 2)],
    ['text', repeatTo('http://', MB / 2)],
    ['text', repeatTo('a', MB / 2)],
    ['text', repeatTo('&amp', MB / 2)],
    // A URL in each of many segments of one line without spaces: each URL ends at its segment.
    ['text', repeatTo('https://a{{x}}', MB / 2)],
    ['html', repeatTo('https://a<b>', MB / 2)],
    ['html', repeatTo('<p title="', MB / 2)],
    ['html', repeatTo('<pre>', MB / 2)],
    ['html', repeatTo('</pre>', MB / 2)],
    ['html', repeatTo('<!--', MB / 2)],
    ['html', repeatTo('&#x', MB / 2)],
    ['html', repeatTo('<a href="x">http://x.com/', MB / 2)],
    ['html', repeatTo('<b>', MB / 2)],
    ['markdown', repeatTo('[a](', MB / 4)],
    ['markdown', repeatTo('![', MB / 4)],
    ['markdown', repeatTo('*a_', MB / 4)],
    ['markdown', repeatTo('<div>\n', MB / 4)],
    ['json', repeatTo('"a b", ', MB / 2)],
    ['json', '"' + repeatTo('\\u00e9 ', MB / 2) + '"'],
    ['json', '"' + repeatTo('\\', MB / 2) + '"'],
    ['json', repeatTo('{"a": [', MB / 4)],
    ['yaml', repeatTo('- a b\n', MB / 4)],
    ['yaml', 'a: ' + repeatTo("'' ", MB / 2)],
    ['yaml', 'a: "' + repeatTo('\\x', MB / 2) + '"'],
    ['yaml', 'a: >\n' + repeatTo('  x y\n\n', MB / 2)],
    ['yaml', repeatTo('a: [', MB / 32)],
  ];

  it.each(adversarial.map(([f, s], i) => [i, f, s] as const))('adversarial input %i (%s) stays linear', (_i, format, src) => {
    const t0 = performance.now();
    const r = extractProse(src, format);
    const ms = performance.now() - t0;
    expect(Array.isArray(r.regions)).toBe(true);
    expect(ms).toBeLessThan(4000);
  });
});
