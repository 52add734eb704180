import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_CHAR } from '../../src/engine/types.js';
import { extractProse } from '../../src/formats/index.js';
import { expectMapped, findAll, visible } from './helpers.js';

describe('text adapter', () => {
  it('maps a phrase after an emoji (surrogate pair) to exact offsets', () => {
    const src = 'Hi 😀 there, per our policy we cannot.';
    const r = extractProse(src, 'text');
    expectMapped(src, r, 'per our policy', 'per our policy', 13);
  });

  it('keeps CRLF positions and maps a phrase wrapped across lines', () => {
    const src = 'Hello,\r\n\r\nUnfortunately, we are\r\nunable to help.\r\n';
    const r = extractProse(src, 'text');
    const hit = expectMapped(src, r, 'we are unable to', 'we are\r\nunable to', 25);
    expect(hit.e).toBe(42);
  });

  it('counts a BOM as one UTF-16 unit', () => {
    const src = '\uFEFFPer our policy, no.';
    const r = extractProse(src, 'text');
    expectMapped(src, r, 'per our policy', 'Per our policy', 1);
    expect(r.regions[0].text.text.length).toBe(src.length);
  });

  it('a placeholder inside a sentence is one word', () => {
    const src = 'Hi {{ customer.first_name }}, per our policy we cannot refund.';
    const r = extractProse(src, 'text');
    const text = r.regions[0].text.text;
    expect(text.indexOf(PLACEHOLDER_CHAR)).toBe(3);
    expect(text.split(PLACEHOLDER_CHAR)).toHaveLength(2);
    expect(text.slice(3 + 1, src.indexOf(','))).toMatch(/^ +$/);
    expectMapped(src, r, 'per our policy', 'per our policy', src.indexOf('per'));
  });

  it('masks e-mail quote lines, URLs and e-mail addresses', () => {
    const src = [
      'Thanks for writing.',
      '> You failed to ship my order, per our policy.',
      '  > nested quote we apologize for any inconvenience',
      'See https://example.com/policy?a=1&b=2. Or mail help@example.com, or www.example.org.',
    ].join('\n');
    const r = extractProse(src, 'text');
    expect(findAll(r, 'per our policy')).toHaveLength(0);
    expect(findAll(r, 'we apologize')).toHaveLength(0);
    expect(visible(r)).toBe('Thanks for writing.\nSee . Or mail , or .');
  });

  it('masks template syntax before anything else', () => {
    const src = '{% if vip %}Dear {{ name }},{% endif %} please be advised {# note #}';
    expect(visible(extractProse(src, 'text'))).toBe('Dear §, please be advised');
  });

  it('keeps translatable literals and escapes fixes inside them by offset', () => {
    const src = "{{ __('We are unable to help') }}";
    const r = extractProse(src, 'text');
    expectMapped(src, r, 'we are unable to', 'We are unable to', 7);
    const escape = r.regions[0].escape as (s: string, offset?: number) => string;
    expect(escape("we can't", 7)).toBe("we can\\'t");
    expect(escape("we can't")).toBe("we can't");
  });

  it('masks HTML comments left in a text template, bounded when unterminated', () => {
    expect(visible(extractProse('Hi <!--- boilerplate: per our policy ---> there <!-- x', 'text'))).toBe('Hi there x');
    const many = '<!-- a '.repeat(100_000);
    const t0 = performance.now();
    extractProse(many, 'text');
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('returns no region for text without letters', () => {
    expect(extractProse('{{a}} {{b}}\n\n  ', 'text').regions).toHaveLength(0);
    expect(extractProse('', 'text')).toEqual({ regions: [], problems: [] });
  });

  it('handles CR-only line endings and NULs', () => {
    const src = 'line one\r> quoted per our policy\rper our\rpolicy\u0000 ok';
    const r = extractProse(src, 'text');
    expectMapped(src, r, 'per our policy', 'per our\rpolicy');
  });
});
