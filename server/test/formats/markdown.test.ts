import { describe, expect, it } from 'vitest';
import { BARRIER_CHAR } from '../../src/engine/types.js';
import { extractProse } from '../../src/formats/index.js';
import { expectMapped, expectMapsInside, findAll, visible } from './helpers.js';

describe('markdown adapter', () => {
  it('maps a phrase wrapped across lines and emphasis', () => {
    const src = '# Reply\n\nWe apologize for *any*\ninconvenience caused.\n';
    const r = extractProse(src, 'markdown');
    expectMapped(src, r, 'we apologize for any inconvenience', 'We apologize for *any*\ninconvenience', 9);
  });

  it('reads text runs as mdast does: the line after a hard break starts at its text, links and images split runs', () => {
    // A hard break owns its line ending, so the next line's indentation is masked, not copied.
    expect(extractProse('Thanks  \n\tper our policy', 'markdown').regions[0].text.text).toBe('Thanks  \n per our policy\u2029');
    expect(extractProse('Thanks\\\n\tper our', 'markdown').regions[0].text.text).toBe('Thanks \n per our\u2029');
    // A line ending inside a paragraph is text, so the indentation after it is copied.
    expect(extractProse('See [the\ndocs](u) and ![alt](i)\n\tnext', 'markdown').regions[0].text.text).toBe('See  the\ndocs     and   alt    \n\tnext\u2029');
  });

  it('masks code, inline code, URLs, definitions, front matter and blockquotes', () => {
    const src = [
      '---',
      'subject: per our policy',
      '---',
      '',
      'Read [our guide](https://x.com/per-our-policy "as previously stated") or <https://x.com>.',
      '',
      'Run `please be advised` now.',
      '',
      '```js',
      'const a = "we apologize for any inconvenience";',
      '```',
      '',
      '    indented code: you failed to',
      '',
      '> The customer wrote: it is not my job',
      '',
      '[ref]: https://x.com "at your service"',
      '',
      '![Our humble team](team.png)',
    ].join('\n');
    const r = extractProse(src, 'markdown');
    for (const p of ['per our policy', 'as previously stated', 'please be advised', 'we apologize', 'you failed to', 'not my job', 'at your service']) {
      expect(findAll(r, p), p).toHaveLength(0);
    }
    expect(visible(r)).toBe('¶Read our guide or .¶Run now.¶Our humble team¶');
    expectMapped(src, r, 'humble team', 'humble team', src.indexOf('humble'));
  });

  it('puts a barrier after headings, paragraphs and list items', () => {
    const src = '# Per our\npolicy\n\n- at your\n- service\n';
    const text = extractProse(src, 'markdown').regions[0].text.text;
    expect(text.slice(text.indexOf('our'), text.indexOf('policy'))).toContain(BARRIER_CHAR);
    expect(text.slice(text.indexOf('your'), text.indexOf('service'))).toContain(BARRIER_CHAR);
  });

  it('decodes entities and backslash escapes with exact positions', () => {
    const src = 'We\\\'re sorry &amp; we&rsquo;re unable to help.';
    const r = extractProse(src, 'markdown');
    expectMapped(src, r, 'we’re unable to', 'we&rsquo;re unable to');
    expect(r.regions[0].text.text.startsWith("We're sorry & ")).toBe(true);
  });

  it('handles a BOM and CRLF', () => {
    const src = '\uFEFF# Title\r\n\r\nPer our\r\npolicy.\r\n';
    const r = extractProse(src, 'markdown');
    expectMapped(src, r, 'per our policy', 'Per our\r\npolicy', 12);
  });

  it('masks template tags before reading Markdown and keeps links with placeholders', () => {
    const src = '{% if vip %}Dear {{ name }},{% endif %}\n\n[Reset your password]({{ reset_url }}) per our policy.\n\n{{!-- # not a heading --}}';
    const r = extractProse(src, 'markdown');
    expect(visible(r)).toBe('Dear §,¶Reset your password per our policy.¶');
  });

  it('inline and block HTML go through the HTML adapter', () => {
    const src = 'Hi <b>there</b>, <span title="at your service">x</span>\n\n<div>\n<p>per our policy</p>\n</div>\n\n<pre>\n\nnot prose\n\n</pre>\n\nafter';
    const r = extractProse(src, 'markdown');
    expect(visible(r)).toBe('Hi there , x¶per our policy¶after¶ | at your service');
  });

  it('lints a fence tagged as prose that reads as prose; untagged fences and code stay code', () => {
    const src = '## Saved reply\n```text\nThanks for reporting this issue. However, per our policy we cannot help. See [docs](https://x.com/a).\n```\n\n```\nPer our policy this untagged block is code.\n```\n\n```text\nnpm install --save per-our-policy && run(x)\n```\n';
    const r = extractProse(src, 'markdown');
    const hits = findAll(r, 'per our policy');
    expect(hits.map((h) => src.slice(h.s, h.e))).toEqual(['per our policy']); // only the tagged prose fence
    expect(visible(r)).toContain('See [docs]( ).');
  });

  it('masks emphasis markers but keeps intraword underscores', () => {
    const src = 'We *really* __do__ apologize for any_thing ***now***.';
    expect(visible(extractProse(src, 'markdown'))).toBe('We really do apologize for any_thing now .¶');
  });

  it('splits a large document at safe blank lines and keeps exact offsets in every chunk', () => {
    const para = 'Thanks for writing in, we will look into it today. '.repeat(40);
    const fence = '```\n' + 'const x = "per our policy";\n\n'.repeat(400) + '```\n';
    const parts: string[] = [];
    for (let i = 0; i < 40; i++) parts.push(`## Part ${i}\n\n${para}\n\nUnfortunately, per our\npolicy we can't. [docs](https://x.com/${i})\n\n${i === 10 ? fence + '\n' : ''}`);
    const src = parts.join('');
    expect(src.length).toBeGreaterThan(90_000);
    const r = extractProse(src, 'markdown');
    const hits = findAll(r, 'per our policy');
    expect(hits).toHaveLength(40); // none from inside the fence
    for (const h of hits) expect(src.slice(h.s, h.e)).toBe('per our\npolicy');
    expect(findAll(r, 'https')).toHaveLength(0);
    expectMapsInside(src, r);
  });

  it('stays fast on bracket- and emphasis-heavy input', () => {
    for (const unit of ['*a_', '[a](', '[a]', '[a]: b\n[a]\n', '_a*b ']) {
      const src = unit.repeat(Math.ceil(60_000 / unit.length));
      const t0 = performance.now();
      expectMapsInside(src, extractProse(src, 'markdown'));
      expect(performance.now() - t0, unit).toBeLessThan(3000);
    }
  });

  it('never throws on odd input', () => {
    for (const src of ['', '```', '[a](', '<div', '\u0000', '> '.repeat(500), '- '.repeat(2000), '*'.repeat(5000), '[' + ']('.repeat(500)]) {
      expectMapsInside(src, extractProse(src, 'markdown'));
    }
  });
  it('reads [text] as a link only when its label is defined, as CommonMark does', () => {
    // Brackets that stay text are sentence punctuation (a barrier for matching); a link's are masked.
    expect(visible(extractProse('Per our [policy] here.', 'markdown'))).toBe('Per our [policy] here.¶');
    expect(visible(extractProse('Per our [policy] here.\n\n[policy]: https://x.example\n', 'markdown'))).toBe('Per our policy here.¶');
    expect(visible(extractProse('Per our [policy][p] here. Or [this][nope].\n\n[p]: https://x.example\n', 'markdown'))).toBe('Per our policy here. Or [this][nope].¶');
    expect(visible(extractProse('See ![the chart] and ![a](i.png) [x]( and [y](u).', 'markdown'))).toBe('See ![the chart] and a [x]( and y .¶');
    expect(visible(extractProse('[r]: u\n\nSee [r][ and [r].', 'markdown'))).toBe('¶See [r][ and r .¶');
  });

  it('reads CR LF and CR as line endings with exact offsets', () => {
    const src = '# Reply\r\n\r\nWe apologize for any\r\ninconvenience.\r\n\r\n- per our\rpolicy\r\n\r\n```\r\nper our policy\r\n```\r\n';
    const r = extractProse(src, 'markdown');
    expectMapped(src, r, 'we apologize for any inconvenience', 'We apologize for any\r\ninconvenience');
    expectMapped(src, r, 'per our policy', 'per our\rpolicy');
    expect(findAll(r, 'per our policy')).toHaveLength(1);
    expectMapsInside(src, r);
    // A block ends before its line ending, CR included.
    expect(extractProse('Hi,\r\n\r\nPer our policy.\r\n', 'markdown').regions[0].text.text).toBe('Hi,\u2029\r\n\r\nPer our policy.\u2029\r\n');
    expect(extractProse('- a\r- b\r\r# T\r', 'markdown').regions[0].text.text).toBe('  a\u2029\r  b\u2029\r\r  T\u2029\r');
  });

  it('reads a document that opens with an unclosed front-matter fence as Markdown', () => {
    const r = extractProse('---\n- per our policy\n\n> we value your business\n', 'markdown');
    expect(visible(r)).not.toContain('-');
    expect(findAll(r, 'per our policy')).toHaveLength(1);
    expect(findAll(r, 'we value your business')).toHaveLength(0);
  });

  it('stays linear on a paragraph of unclosed inline HTML openers', () => {
    // lezer's inline HTML regexes scanned to the paragraph's end at every unclosed opener:
    // 156 KB of `a <!D b ` took 0.9 s, 480 KB ~9 s.
    for (const unit of ['a <!-- b ', 'a <![CDATA[ b ', 'a <!D b ', 'a <? b ', 'a <!-- b > ']) {
      const src = 'Per our policy. ' + unit.repeat(Math.floor(480_000 / unit.length));
      const t0 = performance.now();
      const r = extractProse(src, 'markdown');
      expect(performance.now() - t0, unit).toBeLessThan(3000);
      expect(findAll(r, 'per our policy')).toHaveLength(1);
    }
  });

  it('still reads inline comments, declarations, CDATA and processing instructions that are closed', () => {
    const src = 'We value you <!-- per our policy --> and <?php per our policy ?> and <![CDATA[ per our policy ]]> and <!DOCTYPE per our policy> and <!--> per our policy.';
    const r = extractProse(src, 'markdown');
    // Only the last phrase is prose: `<!-->` is a complete (empty) comment.
    expect(findAll(r, 'per our policy')).toHaveLength(1);
    expect(findAll(r, 'we value you')).toHaveLength(1);
  });

  it('stays linear on deeply nested quotes and lists', () => {
    for (const src of ['>'.repeat(50_000) + ' per our policy', Array.from({ length: 300 }, (_, i) => ' '.repeat(i * 2) + '- per our policy').join('\n'), '`a'.repeat(50_000), '1. '.repeat(32_000) + 'per our policy', '- 1. '.repeat(20_000) + 'x']) {
      const t0 = performance.now();
      expectMapsInside(src, extractProse(src, 'markdown'));
      expect(performance.now() - t0).toBeLessThan(3000);
    }
  });
});
