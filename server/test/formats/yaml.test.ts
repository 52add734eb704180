import { describe, expect, it } from 'vitest';
import { isScalar, parseAllDocuments, visit } from 'yaml';
import { extractProse } from '../../src/formats/index.js';
import { decodeYamlScalar } from '../../src/formats/yaml.js';
import { expectMapped, expectMapsInside, findAll, visible } from './helpers.js';

/** Every string scalar decodes to exactly the value the yaml package computes. */
function expectDecodesLikeYaml(src: string): number {
  let n = 0;
  for (const doc of parseAllDocuments(src, { keepSourceTokens: true })) {
    visit(doc, {
      Scalar(_key, node) {
        if (!isScalar(node) || typeof node.value !== 'string' || !node.srcToken) return;
        const m = decodeYamlScalar(src, node);
        if (!m) return;
        expect(m.text, JSON.stringify(src.slice(node.range![0], node.range![1]))).toBe(node.value);
        n++;
      },
    });
  }
  return n;
}

describe('yaml adapter', () => {
  it('maps a phrase folded across lines in a > block', () => {
    const src = 'reply: >\n  Hello there. Unfortunately, we are\n  unable to help.\n\n  Thanks\n';
    const r = extractProse(src, 'yaml');
    expect(r.regions[0].text.text).toBe('Hello there. Unfortunately, we are unable to help.\nThanks\n');
    expectMapped(src, r, 'we are unable to', 'we are\n  unable to', src.indexOf('we are'));
  });

  it('maps a phrase wrapped in a plain multi-line scalar', () => {
    const src = 'en:\n  body: Hello, per our\n    policy we cannot   \n\n    refund %{ticket.number}.\n';
    const r = extractProse(src, 'yaml');
    expect(r.regions[0].text.text).toBe('Hello, per our policy we cannot\nrefund \uE000               .');
    expectMapped(src, r, 'per our policy', 'per our\n    policy', 19);
  });

  it('handles single-quoted, double-quoted and literal scalars', () => {
    const src = [
      "a: 'We''re unable to help, per our policy'",
      'b: "Tab\\there, we\\u2019re\\x20unable to\\',
      '   \\ help \\"now\\""',
      'c: |',
      '  As previously',
      '  stated, no.',
      "d: 'folded ''single''",
      "   quoted'",
    ].join('\n');
    const r = extractProse(src, 'yaml');
    expect(r.regions.map((x) => x.text.text)).toEqual([
      "We're unable to help, per our policy",
      'Tab\there, we’re unable to help "now"',
      'As previously\nstated, no.\n',
      "folded 'single' quoted",
    ]);
    expectMapped(src, r, "we're unable", "We''re unable");
    expectMapped(src, r, 'we’re unable to help', 'we\\u2019re\\x20unable to\\\n   \\ help');
    expectMapped(src, r, 'as previously stated', 'As previously\n  stated');
    expect(r.regions[0].escape?.("it's")).toBe("it''s");
    expect(r.regions[1].escape?.('say "hi"\n')).toBe('say \\"hi\\"\\n');
    expect(r.regions[2].escape?.("it's")).toBe("it's");
  });

  it('decodes exactly like the yaml package', () => {
    const src = [
      'a: plain\n  two\n\n\n  three   \n  four',
      'b: "dq \\\n   x\\t  \n  \n  y \\U0001F600 \\_ \\N"',
      "c: 'sq\n\n  x '' y\n  '",
      'd: |+\n  keep\n\n   more\n\n',
      'e: >-\n  fold\n  a\n    more-indented\n  b\n\n\n  c\n',
      'f: >2\n    explicit\n   indent\n',
      'g: |\n\n    leading empty\n  \n',
      'h: "crlf\r\n  folded\r\n\r\n  twice"',
      'i: >\r\n  crlf block\r\n  folded\r\n',
      'j: "\\xZZ \\uD800 bad escapes"',
    ].join('\n');
    expect(expectDecodesLikeYaml(src)).toBeGreaterThan(9);
  });

  it('skips keys, anchors, aliases, tags, comments and non-prose values', () => {
    const src = [
      '# per our policy',
      'per our policy: x',
      'id: per our policy',
      'url: https://x.com/per our policy',
      'anchor: &a per our policy applies',
      'alias: *a',
      'bin: !!binary per our policy',
      'n: 3',
      'flag: true',
      'slug: per-our-policy',
      'body: Please be advised # trailing comment',
    ].join('\n');
    const r = extractProse(src, 'yaml');
    expect(visible(r)).toBe('per our policy applies | Please be advised');
  });

  it('HTML values go through the HTML adapter; all values through the template layer', () => {
    const src = 'lead_html: Unfortunately, <strong>%{domain}</strong> is closing &amp; we&rsquo;re sorry.\nresponse: |\n  Hi %{ticket.name.first},\n  <br>\n  <br>\n  per our policy';
    const r = extractProse(src, 'yaml');
    expect(visible(r)).toBe('Unfortunately, § is closing & we’re sorry. | Hi §,¶per our policy');
    expectMapped(src, r, 'we’re sorry', 'we&rsquo;re sorry');
  });

  it('Markdown values go through the Markdown adapter', () => {
    const src = 'flag: "Your post was flagged as **spam**: see [our community guidelines](%{base_path}/guidelines)."';
    expect(visible(extractProse(src, 'yaml'))).toBe('Your post was flagged as spam : see our community guidelines .¶');
  });

  it('reads every document of a multi-document file', () => {
    const src = '---\na: per our policy one\n---\nb: per our policy two\n...\n';
    expect(findAll(extractProse(src, 'yaml'), 'per our policy')).toHaveLength(2);
  });

  it('does not expand an alias bomb', () => {
    const lines = ['a: &a ["lol lol", "lol lol"]'];
    for (let i = 1; i < 30; i++) lines.push(`${String.fromCharCode(97 + (i % 26))}${i}: &${'x' + i} [*${i === 1 ? 'a' : 'x' + (i - 1)}, *${i === 1 ? 'a' : 'x' + (i - 1)}]`);
    const src = lines.join('\n');
    const t0 = performance.now();
    const r = extractProse(src, 'yaml');
    expect(performance.now() - t0).toBeLessThan(500);
    expect(r.regions).toHaveLength(2);
  });

  it('reports malformed YAML once, never throws, and lints what it could read', () => {
    const src = 'a: we apologize for any inconvenience\nb: "unterminated\nc: [1, 2\n  d: per our policy\n';
    const r = extractProse(src, 'yaml');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].kind).toBe('parse-error');
    expect(r.problems[0].message).toMatch(/Malformed YAML/);
    expect(findAll(r, 'we apologize')).toHaveLength(1);
    expectMapsInside(src, r);
  });

  it('handles a BOM, CRLF and tabs', () => {
    const src = '\uFEFFa: Per our\r\n  policy\r\nb:\t"x y"\r\n';
    const r = extractProse(src, 'yaml');
    expectMapped(src, r, 'per our policy', 'Per our\r\n  policy', 4);
  });

  it('survives deep nesting', () => {
    const deep = '['.repeat(20_000) + '"per our policy"' + ']'.repeat(20_000);
    expectMapsInside(deep, extractProse(deep, 'yaml'));
  });
});
