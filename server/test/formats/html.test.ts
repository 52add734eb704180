import { describe, expect, it } from 'vitest';
import { BARRIER_CHAR, PLACEHOLDER_CHAR } from '../../src/engine/types.js';
import { extractProse } from '../../src/formats/index.js';
import { expectMapped, expectMapsInside, findAll, visible } from './helpers.js';

describe('html adapter', () => {
  it('decodes an entity inside a phrase and maps to the raw entity', () => {
    const src = '<p>Unfortunately, we&rsquo;re unable to help.</p>';
    const r = extractProse(src, 'html');
    expect(r.regions[0].text.text).toContain('we’re unable');
    expectMapped(src, r, 'we’re unable to', 'we&rsquo;re unable to', 18);
  });

  it('decodes numeric, named and legacy entities', () => {
    const src = '<p>Q&amp;A: we&#39;re &#x2019; caf&eacute; &copy 2024&nbsp;ok</p>';
    const r = extractProse(src, 'html');
    expect(r.regions[0].text.text).toContain("Q&A: we're ’ café © 2024\u00a0ok");
    expectMapped(src, r, 'café', 'caf&eacute;');
  });

  it('maps a phrase wrapped across lines and inline tags', () => {
    const src = '<div>\n  <p>We apologize for any\n     <b>inconvenience</b> caused.</p>\n</div>';
    const r = extractProse(src, 'html');
    expectMapped(src, r, 'we apologize for any inconvenience', 'We apologize for any\n     <b>inconvenience');
  });

  it('block elements put a barrier between sentences; inline elements do not', () => {
    const src = '<p>per our</p><p>policy</p><span>at your</span> <em>service</em><br>and more<li>a</li><td>b</td>';
    const text = extractProse(src, 'html').regions[0].text.text;
    const barrierBetween = (a: string, b: string) => text.slice(text.indexOf(a), text.indexOf(b)).includes(BARRIER_CHAR);
    expect(barrierBetween('per our', 'policy')).toBe(true);
    expect(barrierBetween('at your', 'service')).toBe(false);
    expect(barrierBetween('service', 'and more')).toBe(true);
    expect(text.length).toBe(src.length); // barriers replace the first char of a tag: 1:1
  });

  it('masks script, style, head metadata, code, pre, blockquote and comments', () => {
    const src = [
      '<html><head><title>Your order</title><style>p { color: red } /* per our policy */</style>',
      '<script>if (a < b) { alert("we apologize for any inconvenience") }</script></head><body>',
      '<p>Hello <code>per our policy</code></p><pre>as previously stated</pre>',
      '<blockquote>You failed to respond</blockquote><!-- please be advised -->',
      '<p>Thanks</p></body></html>',
    ].join('\n');
    const r = extractProse(src, 'html');
    for (const p of ['per our policy', 'we apologize', 'as previously stated', 'you failed to', 'please be advised']) {
      expect(findAll(r, p), p).toHaveLength(0);
    }
    expect(visible(r)).toBe('¶Your order¶Hello¶Thanks¶');
  });

  it('alt, title, placeholder and aria-label are prose regions of their own', () => {
    const src = '<img src="x.png" alt="Our humble servant"><a href="/x" title=\'At your service\'>go</a><input placeholder="Per our policy" aria-label="Dear valued customer" value="per our policy">';
    const r = extractProse(src, 'html');
    expectMapped(src, r, 'humble servant', 'humble servant', src.indexOf('humble'));
    expectMapped(src, r, 'at your service', 'At your service');
    expectMapped(src, r, 'dear valued customer', 'Dear valued customer');
    expect(findAll(r, 'per our policy')).toHaveLength(1);
    const alt = findAll(r, 'humble servant')[0].region;
    expect(alt.escape?.('"A & B"')).toBe('&quot;A &amp; B&quot;');
    const title = findAll(r, 'at your service')[0].region;
    expect(title.escape?.(`it's "ok"`)).toBe('it&#39;s "ok"');
  });

  it('escapes replacement prose for HTML text', () => {
    const r = extractProse('<p>per our policy</p>', 'html');
    expect(r.regions[0].escape?.('Q&A <now>')).toBe('Q&amp;A &lt;now&gt;');
  });

  it('masks template syntax first, including inside attributes and tags', () => {
    const src = '<p class="{% if vip %}vip{% endif %}">Hi {{ name }},</p><a href="{{ url }}" title="{{ t }} help">{{ link_text }}</a>{% if a > b %}<p>x</p>{% endif %}';
    const r = extractProse(src, 'html');
    expect(visible(r)).toBe('¶Hi §,¶§¶x¶ | § help');
  });

  it('masks text that is only a URL or an e-mail address', () => {
    const src = '<p><a href="https://x.com">https://x.com/reset?token=1&amp;a=2</a> or <a href="mailto:help@x.com">help@x.com</a></p>';
    expect(visible(extractProse(src, 'html'))).toBe('¶or¶');
  });

  it('handles fragments and CRLF', () => {
    const src = 'Hi <b>{{name}}</b>,\r\n<br>\r\nwe apologize for any\r\ninconvenience.';
    const r = extractProse(src, 'html');
    expectMapped(src, r, 'we apologize for any inconvenience', 'we apologize for any\r\ninconvenience');
    expect(r.regions[0].text.text.indexOf(PLACEHOLDER_CHAR)).toBe(6);
  });

  it('keeps the Magento subject comment as prose', () => {
    const src = '<!--@subject {{trans "Your %store_name order"}} @-->\n<!--@vars {"var a":"b"} @-->\n<p>Hi</p>';
    const r = extractProse(src, 'html');
    expect(visible(r)).toBe('¶Hi¶ | ¶Your § order¶');
  });

  it('keeps Magento trans text, including its inline HTML', () => {
    const src = `<p>{{trans 'Click <a href="%reset_url">here</a> to reset it.' reset_url="$this.getUrl()"}}</p>`;
    expect(visible(extractProse(src, 'html'))).toBe('¶Click here to reset it.¶');
  });

  it('reports malformed HTML once, never throws, and lints what it can', () => {
    const src = '<div><p>We apologize for any inconvenience.</p><a href="https://x.com/?q=';
    const r = extractProse(src, 'html');
    expect(findAll(r, 'we apologize')).toHaveLength(1);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ kind: 'parse-error', offset: src.indexOf('<a'), endOffset: src.length });
    expectMapsInside(src, r);
  });

  it('reports an unclosed <pre> that hides the rest of the file', () => {
    const src = '<p>Hi</p><pre>code\n<p>per our policy</p>';
    const r = extractProse(src, 'html');
    expect(findAll(r, 'per our policy')).toHaveLength(0);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'parse-error', offset: 9, message: expect.stringContaining('<pre>') })]);
  });

  it('survives mis-nested and broken mark-up', () => {
    for (const src of ['<table>text<tr>per our policy</table>', '<b><i>a</b></i>', '</p></div>x<', '<!-- x', '<!DOCTYPE', '<a b="c', '<<<>>>', '<script>', '<p>a\u0000b</p>', '&', '&#xFFFFFFFF; &#0; &bogus;']) {
      const r = extractProse(src, 'html');
      expectMapsInside(src, r);
    }
    const r = extractProse('<table>text<tr>per our policy</table>', 'html');
    expectMapped('<table>text<tr>per our policy</table>', r, 'per our policy', 'per our policy', 15);
  });
  it('reports a tag, end tag or doctype cut off by the end of input, and nothing else', () => {
    const cases: Array<[string, string | null]> = [
      ['<p>per our policy</p></div', '</div'],
      ['<p>per our policy</p></div ', '</div '],
      ['<p>per our policy</p><scr', '<scr'],
      ['<p>per our policy</p><br /', '<br /'],
      ['<p>per our policy</p><img alt="x', '<img alt="x'],
      ['<p>per our policy</p></><div', '<div'],
      ['<p>per our policy</p><!doctype html', '<!doctype html'],
      ['<p>per our policy</p><!-- open', '<!-- open'],
      ['<p>per our policy</p><![CDATA[ x <p>we value you</p>', '<![CDATA[ x <p>we value you</p>'],
      ['<p>per our policy</p><</', null],
      ['<p>per our policy</p> < ', null],
      ['<p>per our policy</p><!', null],
      ['<p>per our policy</p><!doctyp', null],
    ];
    for (const [src, cut] of cases) {
      const r = extractProse(src, 'html');
      expect(findAll(r, 'per our policy'), src).toHaveLength(1);
      if (cut === null) expect(r.problems, src).toEqual([]);
      else expect(r.problems, src).toEqual([expect.objectContaining({ kind: 'parse-error', offset: src.length - cut.length, endOffset: src.length })]);
      expectMapsInside(src, r);
    }
    // What is left at the end is text when it is no tag.
    expect(visible(extractProse('<p>a</p> < b', 'html'))).toContain('< b');
  });

  it('ends comments, bogus comments and CDATA where the tokenizer does, and masks them whole', () => {
    for (const src of [
      '<!--[if !mso]><!--><p>per our policy</p><!--<![endif]-->',
      '<!--><p>per our policy</p>',
      '<!---><p>per our policy</p>',
      '<!-- a --!><p>per our policy</p>',
      '<![if !mso]><p>per our policy</p><![endif]>',
      '<?xml version="1.0"?><p>per our policy</p>',
      '</ x><p>per our policy</p>',
      '<![CDATA[ we value you ]]><p>per our policy</p>',
    ]) {
      const r = extractProse(src, 'html');
      expect(findAll(r, 'per our policy'), src).toHaveLength(1);
      expect(findAll(r, 'we value'), src).toHaveLength(0);
      expect(visible(r), src).not.toMatch(/[<>!?-]/);
      expect(r.problems, src).toEqual([]);
      expectMapsInside(src, r);
    }
  });

  it('reads raw-text elements to their end tag, and a self-closed one as empty', () => {
    const src = '<script>if (a<b) x = "</scr" + "ipt>";</script><textarea>per our policy <b></textarea><p>we value your business</p>';
    const r = extractProse(src, 'html');
    expect(findAll(r, 'per our policy')).toHaveLength(0);
    expect(findAll(r, 'we value your business')).toHaveLength(1);
    expect(r.problems).toEqual([]);
    expect(findAll(extractProse('<script/><p>per our policy</p>', 'html'), 'per our policy')).toHaveLength(1);
  });

  it('takes the first of two same-named attributes, and tag and attribute names in any case', () => {
    const r = extractProse('<IMG ALT="per our policy" alt="we value you"><P Title="we value you">x</P>', 'html');
    expect(findAll(r, 'per our policy')).toHaveLength(1);
    expect(findAll(r, 'we value you')).toHaveLength(1);
  });
  it('stays linear on a tag with tens of thousands of attributes', () => {
    const src = `<p ${Array.from({ length: 40_000 }, (_, i) => `a${i}`).join(' ')} title="per our policy" a1="x">text</p>`;
    const t0 = performance.now();
    const r = extractProse(src, 'html');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(findAll(r, 'per our policy')).toHaveLength(1);
  });
});
