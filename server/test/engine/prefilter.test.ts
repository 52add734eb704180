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
    // Markdown reads a link's text into its sentence; `[`, `]` and `(` must not end the phrase.
    expect(mayMatch(set.matcher, 'Per our [policy](https://example.com/p), refunds take a week.', 'markdown')).toBe(true);
    expect(mayMatch(set.matcher, '[Per our](https://example.com/p "Refunds") policy applies.', 'markdown')).toBe(true);
    expect(mayMatch(set.matcher, 'Per our ![policy](p.png) and [Per our][ref] policy.\n\n[ref]: https://x', 'markdown')).toBe(true);
    expect(mayMatch(set.matcher, 'a: "Per our [policy](https://example.com/p) applies"', 'yaml')).toBe(true);
    expect(mayMatch(set.matcher, '{"body":"Per our [policy](https://example.com/p) applies"}', 'json')).toBe(true);
    // What is lifted out of a link is still scanned.
    expect(mayMatch(set.matcher, 'See ](per-our-policy) here.', 'markdown')).toBe(true);
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
    const pieces = ['Per our', 'policy', 'we are', 'unable to', 'dear valued customer', '{% if x %}', '{{ name }}', '<b>', '</b>', '&rsquo;', 'we', 're', '\\n', '<!-- c -->', '`code`', "''", ' ', '\n', 'it', "'s not my job", '{{trans "', '"}}', '<img alt="', '">', '[', ']', '![', '](https://x.io/a)', '](b "Per our policy")', '][r]', '\n\n[r]: https://x.io\n', '(', ')', '!', 'per-our-policy'];
    fc.assert(
      // Pieces side by side (`Per our[policy](…)`) and apart.
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 20 }), fc.constantFrom<FormatId>('text', 'html', 'markdown', 'json', 'yaml'), fc.constantFrom('', ' '), (parts, format, glue) => {
        const text = parts.join(glue);
        if (!mayMatch(set.matcher, text, format)) expect(pipelineHasHit(text, format)).toBe(false);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: 7 },
    );
  });

  it('never skips a phrase whose words are split by markup', () => {
    // Markup between the words of a phrase is where an adapter and the rough clean-up can
    // disagree; random pieces anywhere rarely land there.
    const phrases = ['Per our policy', 'dear valued customer', 'we are unable to', "it's not my job"];
    const markup = ['', ' ', '[', ']', '![', '](https://x.io/a)', '](b "t")', '][r]', '<b>', '</b>', '{{ name }}', '{% if x %}', '<!-- c -->', '`c`', '&nbsp;', '\\n', '*', '_', '(', ')', '\n', '\n\n', '"', "''", '<br>', '<p>', '  \n', '\\\n', '\n> ', '\n- ', '\n# ', '|', '~~', '<https://x.io>', '{{! note }}', '{{> footer}}', '\t', '&#32;', '\\u0020', '\\"', '<a href="x">', '</a>', '<span title="t">', '%{count}', '<!-->', '<!--', '-->', '--!>', '```\n', '\n```', '<textarea>', '<title>', '<a title="Go > on">', 'https://x.io/a?b=1&amp;c', 'www.x.io', '<https://x.io>', 'https:\\/\\/x.io'];
    fc.assert(
      fc.property(
        fc.constantFrom(...phrases),
        fc.array(fc.array(fc.constantFrom(...markup), { maxLength: 3 }), { minLength: 4, maxLength: 4 }),
        fc.constantFrom('', 'Hello. ', '- '),
        fc.constantFrom('', '\n\n[r]: https://x.io\n'),
        fc.constantFrom<FormatId>('text', 'html', 'markdown', 'json', 'yaml'),
        (phrase, gaps, lead, tail, format) => {
          const words = phrase.split(' ');
          const body = lead + words.map((w, i) => (i ? gaps[i - 1].join('') || ' ' : '') + w).join('') + gaps[3].join('') + tail;
          const text = format === 'json' ? JSON.stringify({ body }) : format === 'yaml' ? `body: ${JSON.stringify(body)}\n` : body;
          if (!mayMatch(set.matcher, text, format)) expect(pipelineHasHit(text, format), text).toBe(false);
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000), seed: 11 },
    );
  });

  it('never skips a phrase with markup inside its words', () => {
    // Markup anywhere, also inside a word, where an adapter may mask it and join the letters
    // around it, or read it as text; YAML values in each quoting style. Phrases in capitals,
    // with a curly apostrophe, a British spelling and a Turkish dotted capital I (lower-casing
    // changes its length).
    const phrases = ['Per our policy', 'dear valued customer', 'we are unable to', "it's not my job", 'PER OUR POLICY', 'It\u2019s not my job', 'we apologise for any confusion', 'We are unable to \u0130stanbul'];
    const markup = ['', ' ', '[', ']', '](x)', '<b>', '</b>', '{{ name }}', '{% if x %}', '<!-- c -->', '`c`', '&nbsp;', '&nbsp', '\\n', '\\', '*', '**', '_', '~~', '(', ')', '\n', '"', "''", "'", '<br>', '<wbr>', '&shy;', '&#8203;', '\u00ad', '\u200b', '\u2019', '%{x}', '{x}', '$x', ':x', '\\*', '\\_', '&amp;', '\t', '<span title="a">', '<!-->', '```', '|', '#', '\r\n', '\\\n', '<%= x %>', '{# c #}', '{{! c }}', '{{{x}}}', '</ b>', '<?x?>', '<![x]>', '</>', '{%- x -%}', '{{- x }}', '<%- x %>', '<%# c %>', '[% x %]', '${x}', '#{x}', '{{ "a b" | t }}', '{% trans "a" %}', '<OTRS_CUSTOMER_X>', '{{!-- c }} --}}', '{% comment %}c{% endcomment %}', '{% raw %}', '<https://x.io>', '[^1]', '***', '\n---\n', '\n===\n', '  \n', '<div>\n', '\n\n<div>', '|---|', '<![CDATA[x]]>', '<!x>', '&lt;b&gt;', '\\<', '<b', 'b>'];
    fc.assert(
      fc.property(
        fc.constantFrom(...phrases),
        fc.array(fc.tuple(fc.nat(30), fc.constantFrom(...markup)), { maxLength: 3 }),
        fc.constantFrom<FormatId>('text', 'html', 'markdown', 'json', 'yaml'),
        fc.constantFrom('plain', 'double', 'single'),
        (phrase, inserts, format, quoting) => {
          let body = phrase;
          for (const [at, m] of inserts) {
            const i = at % (body.length + 1);
            body = body.slice(0, i) + m + body.slice(i);
          }
          const yaml = quoting === 'double' ? `body: ${JSON.stringify(body)}\n` : quoting === 'single' ? `body: '${body.replace(/'/g, "''")}'\n` : `body: ${body}\n`;
          const text = format === 'json' ? JSON.stringify({ body }) : format === 'yaml' ? yaml : body;
          if (!mayMatch(set.matcher, text, format)) expect(pipelineHasHit(text, format), text).toBe(false);
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000), seed: 23 },
    );
  });

  it('never skips a phrase written with escapes (YAML scalars of every style, JSON strings)', () => {
    // A backslash is an escape in a double-quoted YAML scalar or a JSON string and a letter
    // in a plain, single-quoted or block YAML scalar: letters written as escapes, escaped
    // line breaks inside words, and one-character escapes anywhere.
    const phrases = ['Per our policy', 'we are unable to', 'dear valued customer'];
    const hex = (c: string, digits: number) => c.charCodeAt(0).toString(16).padStart(digits, '0');
    const yamlLetter = (c: string) => [c, c, `\\x${hex(c, 2)}`, `\\u${hex(c, 4)}`, `\\U${hex(c, 8).toUpperCase()}`];
    const jsonLetter = (c: string) => [c, c, `\\u${hex(c, 4)}`, `\\u${hex(c, 4).toUpperCase()}`];
    // Gaps go between words, or inside a word where the choice says so.
    const yamlGaps = ['', '\\n', '\\t', '\\ ', '\\/', '\\\\', '\\"', '\\N', '\\_', '\\L', '\\P', '\\0', '\\e', '\\\n  ', '\\\r\n', '\\q', '\\x2', '\\u00'];
    const jsonGaps = ['', '\\n', '\\t', '\\/', '\\\\', '\\"', '\\u0020', '\\r'];
    fc.assert(
      fc.property(
        fc.constantFrom(...phrases),
        fc.array(fc.nat(99), { minLength: 30, maxLength: 30 }),
        fc.array(fc.nat(99), { minLength: 30, maxLength: 30 }),
        fc.constantFrom('"', "'", 'plain', '|', '>', 'json'),
        (phrase, letterChoice, gapChoice, style) => {
          const json = style === 'json';
          const gaps = json ? jsonGaps : yamlGaps;
          const gapAt = (k: number) => gaps[gapChoice[k % 30] % gaps.length];
          let k = 0;
          const body = [...phrase]
            .map((c) => {
              k++;
              if (c === ' ') return gapAt(k) || ' ';
              const forms = json ? jsonLetter(c) : yamlLetter(c);
              const inside = letterChoice[(k + 7) % 30] < 15 ? gapAt(k + 11) : '';
              return inside + forms[letterChoice[k % 30] % forms.length];
            })
            .join('');
          const text = json
            ? `{"body": "${body}"}`
            : style === '"' || style === "'"
              ? `body: ${style}${body}${style}\n`
              : style === 'plain'
                ? `body: ${body}\n`
                : `body: ${style}\n  ${body.replace(/\n/g, '\n  ')}\n`;
          const format = json ? 'json' : 'yaml';
          if (!mayMatch(set.matcher, text, format)) expect(pipelineHasHit(text, format), text).toBe(false);
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000), seed: 13 },
    );
  });

  it('never skips a phrase written with character references, with or without the semicolon', () => {
    const phrases = ['Per our policy', 'we are unable to', "it's not my job"];
    const letter = (c: string) => {
      const code = c.charCodeAt(0);
      return [c, c, `&#${code};`, `&#${code}`, `&#x${code.toString(16)};`, `&#X${code.toString(16).toUpperCase()}`];
    };
    const gaps = ['', '&nbsp', '&nbsp;', '&amp', '&copy', '&lt;', '&#32', '&#x20;', '&notin;', '&rsquo;', '&zwnj;', '&shy', '&', '&#', '&#x'];
    fc.assert(
      fc.property(
        fc.constantFrom(...phrases),
        fc.array(fc.nat(99), { minLength: 30, maxLength: 30 }),
        fc.array(fc.nat(99), { minLength: 30, maxLength: 30 }),
        fc.constantFrom<FormatId>('html', 'markdown', 'text', 'json', 'yaml'),
        fc.constantFrom('', '<p>'),
        (phrase, letterChoice, gapChoice, format, lead) => {
          let k = 0;
          const body = [...phrase]
            .map((c) => {
              k++;
              const gap = gaps[gapChoice[k % 30] % gaps.length];
              if (c === ' ') return gap || ' ';
              const forms = c === "'" ? [c, '&rsquo;', '&#39;', '&#39', '&apos;'] : letter(c);
              return (letterChoice[(k + 7) % 30] < 15 ? gap : '') + forms[letterChoice[k % 30] % forms.length];
            })
            .join('');
          const text = format === 'json' ? JSON.stringify({ body: lead + body }) : format === 'yaml' ? `body: ${JSON.stringify(lead + body)}\n` : lead + body;
          if (!mayMatch(set.matcher, text, format)) expect(pipelineHasHit(text, format), text).toBe(false);
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000), seed: 17 },
    );
  });

  it('never skips a phrase or markup put anywhere into a real template', () => {
    // Real files give the generated pieces real surroundings: PHP heredocs, ERB, MSO comments,
    // front matter, i18n YAML.
    const docs = filesUnder(CORPUS)
      .filter((f) => !/(MANIFEST\.tsv|README\.md)$/.test(f))
      .map((file) => {
        const text = readFileSync(file, 'utf8');
        return { file, text, format: detectFormat(file, text) };
      });
    expect(docs.length).toBeGreaterThan(300);
    const pieces = ['Per our policy', 'we are unable to', "it's not my job", 'dear valued customer', '<b>', '</b>', '<!-- c -->', '{{ x }}', '{% if x %}', '&nbsp;', '&nbsp', '\n', '\n\n', '"', "'", '`', '[', ']', '](x)', '<', '>', '&', '\\', '\\n', '*', '#', '- ', '> ', '  ', '</ x>', '<?x?>', '<![CDATA[x]]>', '<OTRS_X>', '%{x}', '<%= x %>', '{#c#}', '|', ':', '---', ' https://x.io/a ', ' www.x.io '];
    fc.assert(
      fc.property(fc.nat(docs.length - 1), fc.array(fc.tuple(fc.nat(100_000), fc.constantFrom(...pieces)), { minLength: 1, maxLength: 6 }), (which, inserts) => {
        const { file, format } = docs[which];
        let text = docs[which].text;
        for (const [at, piece] of inserts) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + piece + text.slice(i);
        }
        if (!mayMatch(set.matcher, text, format)) expect(pipelineHasHit(text, format), JSON.stringify([path.basename(file), inserts])).toBe(false);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000), seed: 5 },
    );
  });

  it('stays linear on hostile input', () => {
    const MB = 1_000_000;
    const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length));
    const hostile: Array<[FormatId, string]> = [
      ['html', fill('<!-- x -->', MB)],
      ['html', '<b' + fill('<!--', MB)],
      ['html', fill('<b <!--', MB)],
      ['html', fill('<![CDATA[', MB)],
      ['markdown', fill('<?', MB)],
      ['markdown', fill('</ ', MB)],
      ['json', fill('&a', MB)],
      ['yaml', 'a: "' + fill('\\x', MB) + '"'],
      ['yaml', 'a: "' + fill('\\\n', MB) + '"'],
      ['yaml', fill('a: b \n', MB)],
    ];
    for (const [format, text] of hostile) {
      const t0 = performance.now();
      mayMatch(set.matcher, text, format);
      expect(performance.now() - t0, `${format}: ${JSON.stringify(text.slice(0, 20))}`).toBeLessThan(4000);
    }
  });

  it('gives the same findings as linting without it', () => {
    const text = '<p>Per our policy.</p>';
    expect(lint(text, { format: 'html' }).findings.length).toBe(1);
    // Files whose only phrase the prefilter once hid (found only when another phrase let the
    // file through): a link inside the phrase, an entity in plain text, a folded blank line…
    const once: Array<[string, FormatId, string]> = [
      ['Hello,\n\nPer our [policy](https://example.com/p), refunds take a week.\n', 'markdown', 'defensive/per-our-policy'],
      ['dear valued customer&rsquo;Per our', 'text', 'hierarchy/dear-customer'],
      ['a: >\n  Per our\n\n  policy applies.\nb: x\n', 'yaml', 'defensive/per-our-policy'],
      ['<p title="Go > on">Per our <a title="a > b">policy</a></p>', 'html', 'defensive/per-our-policy'],
      ['Per our<!-->policy', 'html', 'defensive/per-our-policy'],
      // YAML escapes the prefilter read as JSON's (or not at all), and a plain scalar's
      // backslash, which is a letter.
      ['a: "Per our poli\\x63y, no."\n', 'yaml', 'defensive/per-our-policy'],
      ['a: "Per our poli\\U00000063y, no."\n', 'yaml', 'defensive/per-our-policy'],
      ['a: "Per our poli\\\n   cy, no."\n', 'yaml', 'defensive/per-our-policy'],
      ['a: "Per our\\Npolicy, no."\n', 'yaml', 'defensive/per-our-policy'],
      ['a: Per our policy\\u0041 is clear.\n', 'yaml', 'defensive/per-our-policy'],
      // A template tag in a closing tag's name leaves `</ >`, which HTML masks as a comment.
      ['<p>Sorry, per our</{{ tag }}> policy, no.</p>', 'html', 'defensive/per-our-policy'],
      // A blank line that holds spaces, inside a plain YAML scalar.
      ["a: it's not\n  \n my job\n", 'yaml', 'defensive/not-my-job'],
      ["a: it's not \r\n  \r\n my job\r\n", 'yaml', 'defensive/not-my-job'],
      // Magento's e-mail subject, in a comment the HTML adapter lints; a PHP heredoc's first
      // line; `<%` without a space or flag is text, not ERB.
      ['<!--@subject Per our policy, no refund @-->\n<p>Hello</p>', 'html', 'defensive/per-our-policy'],
      ["<?php\n$m = <<<MESSAGE\nPer our policy, no.\n<p>x</p>\nMESSAGE;\n", 'html', 'defensive/per-our-policy'],
      ['<p>a<%Per our policy %></p>', 'html', 'defensive/per-our-policy'],
      // Web addresses, which every adapter masks (the words around them join).
      ['Welcome to the https://x.io family!', 'text', 'cliche/welcome-to-the-family'],
      ['<p>Welcome to the Acme www.acme.com family!</p>', 'html', 'cliche/welcome-to-the-family'],
      ['{"a": "Per our https:\\/\\/acme.com\\/refunds policy"}', 'json', 'defensive/per-our-policy'],
      ['a: Per our https://acme.com/refunds?a=1&amp;b=2 policy\n', 'yaml', 'defensive/per-our-policy'],
      ['Per our HTTPS://acme.com/refunds%20page policy.', 'markdown', 'defensive/per-our-policy'],
      // A Markdown link destination after a line break.
      ['[Per our](  \nx) policy applies.', 'markdown', 'defensive/per-our-policy'],
      // References without their semicolon, which HTML still decodes.
      ['<p>Per our&nbsppolicy, no.</p>', 'html', 'defensive/per-our-policy'],
      ['Per our &#112olicy, no.', 'markdown', 'defensive/per-our-policy'],
    ];
    for (const [source, format, ruleId] of once) {
      expect(lint(source, { format }).findings.map((f) => f.ruleId), source).toContain(ruleId);
    }
  });
});
