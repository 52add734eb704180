import { describe, expect, it } from 'vitest';
import { extractProse } from '../../src/formats/index.js';
import { decodeJsonString } from '../../src/formats/json.js';
import { expectMapped, expectMapsInside, findAll, visible } from './helpers.js';

describe('json adapter', () => {
  it('maps through \\u2019, \\n and \\" escapes inside a string', () => {
    const src = '{"body": "Hi \\"Sam\\",\\nunfortunately, we\\u2019re\\nunable to help."}';
    const r = extractProse(src, 'json');
    expect(r.regions).toHaveLength(1);
    expect(r.regions[0].text.text).toBe('Hi "Sam",\nunfortunately, we’re\nunable to help.');
    expectMapped(src, r, 'we’re unable to', 'we\\u2019re\\nunable to', src.indexOf('we\\u'));
    expectMapped(src, r, 'Sam', 'Sam');
    expectMapped(src, r, '"Sam",', '\\"Sam\\",');
  });

  it('maps a phrase after an emoji written as a surrogate pair escape', () => {
    const src = '{"a": "\\ud83d\\ude00 per our policy", "b": "😀 per our policy"}';
    const r = extractProse(src, 'json');
    const hits = findAll(r, 'per our policy');
    expect(hits.map((h) => [h.s, h.e])).toEqual([
      [20, 34],
      [46, 60],
    ]);
    expect(r.regions[0].text.text).toBe('😀 per our policy');
  });

  it('decodes every escape, keeping invalid ones as written', () => {
    const src = '"a\\\\b\\/c\\t\\b\\f\\r\\x\\u12"';
    const m = decodeJsonString(src, 0, src.length);
    expect(m.text).toBe('a\\b/c\t\b\f\r\\x\\u12');
    expect(m.rangeToSource(0, m.text.length)).toEqual([1, src.length - 1]);
  });

  it('skips keys, ids, URLs, e-mails, enums, numbers and booleans', () => {
    const src = JSON.stringify({
      id: 'per our policy',
      'per our policy': 'x',
      url: 'https://x.com/per our policy',
      status: 'per our policy',
      created_at: 'per our policy',
      slug: 'per-our-policy',
      email: 'a@b.co',
      enabled: true,
      count: 3,
      body: 'Please be advised',
    });
    const r = extractProse(src, 'json');
    expect(visible(r)).toBe('Please be advised');
  });

  it('lints Zendesk macro titles and comment actions only', () => {
    const src = JSON.stringify(
      {
        macros: [
          {
            id: 360001,
            title: 'Refund::Per our policy',
            raw_title: 'Refund::Per our policy',
            active: true,
            actions: [
              { field: 'status', value: 'pending per our policy' },
              { field: 'priority', value: 'high' },
              { field: 'comment_value', value: 'Hi {{ticket.requester.first_name}},\n\nwe apologize for any inconvenience.' },
              { value: '<p>Please be advised, we&rsquo;re on it.</p>', field: 'comment_value_html' },
              { field: 'subject', value: 'Your call is important to us' },
              { field: 'group_id', value: 'at your service' },
              { field: 'set_tags', value: 'per our policy' },
              { field: 'comment_value', value: ['channel:all', 'As previously stated, no.'] },
            ],
            restriction: null,
          },
        ],
      },
      null,
      2,
    );
    const r = extractProse(src, 'json');
    expect(visible(r)).toBe(
      'Refund::Per our policy | Hi §,\nwe apologize for any inconvenience. | ¶Please be advised, we’re on it.¶ | Your call is important to us | As previously stated, no.',
    );
    expectMapped(src, r, 'we’re on it', 'we&rsquo;re on it');
    expectMapped(src, r, 'we apologize', 'we apologize', src.indexOf('we apologize'));
    // Fixes are escaped for HTML inside JSON.
    const html = findAll(r, 'please be advised')[0].region;
    expect(html.escape?.('say "A & B"')).toBe('say \\"A &amp; B\\"');
  });

  it('each string value is its own region', () => {
    const src = '["per our", "policy is clear"]';
    expect(findAll(extractProse(src, 'json'), 'per our policy')).toHaveLength(0);
  });

  it('reports malformed JSON once, never throws, and lints what it could read', () => {
    const src = '{"a": "we apologize for any inconvenience", "b": [1, 2,, "per our policy"\n "c": "at your service"';
    const r = extractProse(src, 'json');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ kind: 'parse-error' });
    expect(r.problems[0].message).toMatch(/Malformed JSON/);
    expect(findAll(r, 'we apologize')).toHaveLength(1);
    expect(findAll(r, 'per our policy')).toHaveLength(1);
    expectMapsInside(src, r);
  });

  it('accepts comments, trailing commas and a BOM', () => {
    const src = '\uFEFF{\n  // note: per our policy\n  "a": "per our policy applies",\n}';
    const r = extractProse(src, 'json');
    expect(r.problems).toEqual([]);
    expectMapped(src, r, 'per our policy', 'per our policy', src.indexOf('"a"') + 6);
  });

  it('survives deep nesting and unterminated strings', () => {
    const deep = '['.repeat(50_000) + '"per our policy"' + ']'.repeat(50_000);
    const r = extractProse(deep, 'json');
    expectMapsInside(deep, r);
    const open = '{"a": "per our policy\n';
    expectMapsInside(open, extractProse(open, 'json'));
  });
});
