/**
 * Property tests: whatever the input — prose, template tags of every syntax (nested,
 * unbalanced), HTML, JSON escapes, YAML, Markdown, emoji, lone surrogates, CRLF/CR/LF,
 * BOMs, NULs — extraction never throws, every map stays inside the file, copy segments
 * really copy, and decoders agree with the reference parsers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isScalar, parseAllDocuments, visit } from 'yaml';
import type { FormatId } from '../../src/engine/types.js';
import { detectFormat, extractProse } from '../../src/formats/index.js';
import { decodeJsonString } from '../../src/formats/json.js';
import { maskTemplates } from '../../src/formats/template.js';
import { decodeYamlScalar } from '../../src/formats/yaml.js';
import { expectCopiesFaithful, expectMapsInside } from './helpers.js';

const WORDS = ['per', 'our', 'policy', 'we', 'apologize', 'for', 'any', 'inconvenience', 'Hi', 'dear', 'valued', 'customer', 'at', 'your', 'service', 'servant', ' ', ' ', ', ', '. '];
const TEMPLATE = [
  '{{ name }}', '{{#if a}}', '{{/if}}', '{{else}}', '{{> p}}', '{{! c }}', '{{!-- c --}}', '{{{t}}}', '{{', '}}', '{{{', '}}}',
  '{%', '%}', '{% if x %}', '{% endif %}', '{% comment %}', '{% endcomment %}', '{% raw %}', '{% endraw %}', '{% trans "per our" %}',
  '{% blocktrans %}', '{% endblocktrans %}', '{{ _("we apologize") }}', "{{ __('a b') }}", "@lang('x y')", '@if(', '@endif', ')', '(',
  '<%', '%>', '<%= x %>', '<%# c %>', '<%%', '<?php', '?>', '<?= $x ?>', '<?xml', '{#', '#}', '%NAME%', '%{a}', '#{a}', '{$a}', '{a}',
  '[Name]', '[Customer Name]', '*|FNAME|*', '*|IF:X|*', '%%N%%', '{%c.d%}', '<PLACEHOLDER>', '<OTRS_X>', '&lt;OTRS_A&gt;',
  '{{trans "a %b"}}', '{!! x !!}', '${a}', '%s', '%1$s', '{{--', '--}}', '{{-', '-}}', "'", '"', '\\',
];
const HTML = [
  '<p>', '</p>', '<br>', '<div class="a">', '<b>', '</b>', '<img alt="a b" src=x>', '<a href="http://x.y" title=\'t u\'>', '</a>', '<!--', '-->',
  '<script>', '</script>', '<style>', '</style>', '<pre>', '</pre>', '<code>', '<blockquote>', '</blockquote>', '&amp;', '&rsquo;', '&#39;',
  '&nbsp;', '&#x1F600;', '&#xD800;', '&#0;', '&bogus;', '&', '<', '>', '<title>', '<table>', '<td>', '<![CDATA[', ']]>', '<!DOCTYPE html>',
  '<!--@subject ', ' @-->', '<textarea>', '<plaintext>', '<svg><![CDATA[x]]></svg>', '</', '<a b="',
];
const JSON_BITS = ['\\n', '\\"', '\\\\', '\\u2019', '\\ud83d\\ude00', '\\ud83d', '\\udc00', '\\u', '\\x', '"', '{', '}', '[', ']', ':', ',', '//', '/*', '*/', 'true', '1e5'];
const YAML_BITS = [': ', '- ', '  ', '    ', '|', '|-', '>+', '>2', "'", "''", '"', '#', ' #', '&a ', '*a', '---', '...', '? ', '!!str ', '!!binary ', '%YAML 1.2', '\\x4', '\\U0001F600', '\\\n'];
const MARKDOWN = ['# ', '```', '~~~', '`', '*', '_', '**', '[', '](', ')', '![', '> ', '    ', '1. ', '- ', '---\n', '[ref]: http://x\n', '<https://x.y>', '\\*'];
const MISC = ['😀', '\r\n', '\r', '\n', '\n\n', '\uFEFF', '\u0000', '\t', 'https://x.com/a?b=1&c=2', 'a@b.co', '\u2029', '\uE000', '\uD800', '\uDFFF', 'é', 'ﬃ', 'İ'];

const fragment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 3, arbitrary: fc.constantFrom(...TEMPLATE) },
  { weight: 2, arbitrary: fc.constantFrom(...HTML) },
  { weight: 1, arbitrary: fc.constantFrom(...JSON_BITS) },
  { weight: 1, arbitrary: fc.constantFrom(...YAML_BITS) },
  { weight: 1, arbitrary: fc.constantFrom(...MARKDOWN) },
  { weight: 2, arbitrary: fc.constantFrom(...MISC) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: 'binary' }) },
);

const soup = fc.tuple(fc.boolean(), fc.array(fragment, { maxLength: 80 })).map(([bom, parts]) => (bom ? '\uFEFF' : '') + parts.join(''));

/** Soup placed inside structures the data adapters will actually descend into. */
const jsonDoc = fc.tuple(soup, soup, soup, fc.nat(40), fc.boolean()).map(([a, b, c, cut, truncate]) => {
  const doc = JSON.stringify({ title: a, macros: [{ actions: [{ field: 'comment_value_html', value: b }, { value: c, field: 'status' }] }], x: [a, { body: c }] }, null, 1);
  // Sometimes break it.
  return truncate ? doc.slice(0, Math.max(0, doc.length - cut)) : doc;
});

const yamlDoc = fc.tuple(soup, soup, soup, fc.constantFrom('|', '>', '|-', '>+', '|2'), fc.constantFrom('\n', '\r\n')).map(([a, b, c, block, nl]) =>
  [
    `plain: ${a.replace(/[\r\n]+/g, ' ')}`,
    `single: '${b.replace(/'/g, "''")}'`,
    `double: ${JSON.stringify(c)}`,
    `block: ${block}`,
    ...a.split(/\r?\n|\r/).map((l) => `  ${l}`),
    `list:`,
    `  - ${JSON.stringify(b)}`,
    `  - &x ${JSON.stringify(a)}`,
    `  - *x`,
    c,
  ].join(nl),
);

const FORMATS: FormatId[] = ['text', 'markdown', 'html', 'json', 'yaml'];
const PATHS = [undefined, 'a.txt', 'a.md', 'a.html', 'a.json', 'a.yml', 'a.liquid', 'a.html.erb', 'a.hbs', 'a.unknown', 'a.md.j2', 'a.blade.php'];

function check(src: string, format: FormatId): void {
  let result;
  try {
    result = extractProse(src, format);
  } catch (err) {
    throw new Error(`extractProse threw on ${JSON.stringify(src)} as ${format}: ${String(err)}`);
  }
  expectMapsInside(src, result);
  expectCopiesFaithful(src, result);
}

describe('property: extraction is total and maps stay inside the file', () => {
  it('random template/HTML/prose soup, every format', () => {
    fc.assert(
      fc.property(soup, fc.constantFrom(...FORMATS), (src, format) => check(src, format)),
      { numRuns: Number(process.env.CANDOR_FC_RUNS ?? 600) },
    );
  });

  it('JSON documents (valid and truncated) with soup strings', () => {
    fc.assert(fc.property(jsonDoc, (src) => check(src, 'json')), { numRuns: 200 });
  });

  it('YAML documents with soup in every scalar style', () => {
    fc.assert(fc.property(yamlDoc, (src) => check(src, 'yaml')), { numRuns: 200 });
  });

  it('detectFormat + extractProse on anything', () => {
    fc.assert(
      fc.property(fc.oneof(soup, jsonDoc, yamlDoc, fc.string({ unit: 'binary', maxLength: 200 })), fc.constantFrom(...PATHS), (src, path) =>
        check(src, detectFormat(path, src)),
      ),
      { numRuns: 300 },
    );
  });

  it('the template layer is length-preserving', () => {
    fc.assert(
      fc.property(soup, (src) => {
        const layer = maskTemplates(src);
        expect(layer.text.text.length).toBe(src.length);
        for (const [s, e] of layer.ranges) expect(s < e && e <= src.length).toBe(true);
        for (const l of layer.literals) expect(l.start <= l.end && l.end <= src.length).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});

describe('property: decoders agree with the reference parsers', () => {
  it('JSON strings decode like JSON.parse and map onto their content', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ maxLength: 10 }), (value, prefix) => {
        const literal = JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => (c.charCodeAt(0) % 2 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c));
        const src = JSON.stringify(prefix) + ':' + literal;
        const offset = src.length - literal.length;
        const m = decodeJsonString(src, offset, literal.length);
        expect(m.text).toBe(JSON.parse(literal));
        if (m.text.length > 0) expect(m.rangeToSource(0, m.text.length)).toEqual([offset + 1, src.length - 1]);
      }),
      { numRuns: 500 },
    );
  });

  it('YAML scalars of every style decode like the yaml package', () => {
    const text = fc.array(fc.constantFrom('a', 'b c', ' ', '  ', '\n', '\n\n', '\t', "'", '"', '\\', 'é', '😀', 'x: y', '#', ' #', '-', '\r\n'), { maxLength: 25 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, fc.constantFrom('plain', 'single', 'double', '|', '>', '|-', '>-', '|+', '>+'), fc.constantFrom(0, 2), (value, style, indent) => {
        const pad = ' '.repeat(indent + 2);
        let src: string;
        if (style === 'plain') src = `k: ${value.replace(/\n/g, `\n${pad}`)}`;
        else if (style === 'single') src = `k: '${value.replace(/'/g, "''").replace(/\n/g, `\n${pad}`)}'`;
        else if (style === 'double') src = `k: ${JSON.stringify(value).replace(/\\n/g, `\\n\n${pad}`)}`;
        else src = `k: ${style}\n${value.split('\n').map((l) => pad + l).join('\n')}\n`;
        if (indent) src = `root:\n${src.split('\n').map((l) => '  ' + l).join('\n')}`;
        const docs = parseAllDocuments(src, { keepSourceTokens: true });
        if (docs.some((d) => d.errors.length > 0)) return; // only well-formed documents have one right answer
        for (const doc of docs) {
          visit(doc, {
            Scalar(_k, node) {
              if (!isScalar(node) || typeof node.value !== 'string') return;
              const m = decodeYamlScalar(src, node);
              if (m) expect(m.text, JSON.stringify(src)).toBe(node.value);
            },
          });
        }
      }),
      { numRuns: 800 },
    );
  });
});
