import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { LineIndex } from '../../src/engine/positions.js';
import { parseDirectives, isDisabled } from '../../src/engine/directives.js';
import { commentStyle, disableForFile, disableForLine, enclosingHtmlTag, type Insertion } from '../../src/lsp/comments.js';
import { allowPhraseEdit, phraseOf, ruleOffEdit } from '../../src/lsp/config-edits.js';

/** Directive insertion in each template language's own comment syntax, checked against the engine's directive parser. */

const RULE = 'defensive/per-our-policy';
const apply = (text: string, ins: Insertion[]) => [...ins].sort((a, b) => b.offset - a.offset).reduce((t, i) => t.slice(0, i.offset) + i.text + t.slice(i.offset), text);

/** Insert the line directive for the phrase and check the engine now disables a finding there. */
function disablesLine(text: string, phrase: string, style: ReturnType<typeof commentStyle>): string {
  const at = text.indexOf(phrase);
  const out = apply(text, disableForLine(style, text, new LineIndex(text), at, RULE));
  const shifted = out.indexOf(phrase);
  expect(isDisabled(parseDirectives(out, new LineIndex(out)), shifted, RULE, 'defensive')).toBe(true);
  expect(isDisabled(parseDirectives(out, new LineIndex(out)), shifted, 'cliche/other', 'cliche')).toBe(false);
  return out;
}

describe('comment syntax per template language', () => {
  it('picks the style from the extension, the language id, then the content', () => {
    expect(commentStyle('/a/x.liquid', 'plaintext', 'text', '')).toBe('liquid');
    expect(commentStyle('/a/x.hbs', 'handlebars', 'html', '')).toBe('handlebars');
    expect(commentStyle('/a/x.njk', 'plaintext', 'html', '')).toBe('jinja');
    expect(commentStyle('/a/x.twig', 'twig', 'html', '')).toBe('jinja');
    expect(commentStyle('/a/x.erb', 'erb', 'html', '')).toBe('erb');
    expect(commentStyle('/a/x.html', 'html', 'html', '<p>{% trans %}Hi{% endtrans %}</p>')).toBe('jinja');
    expect(commentStyle('/a/x.html', 'html', 'html', '<p>{% if a %}Hi{% endif %}</p>')).toBe('liquid');
    expect(commentStyle('/a/x.html', 'html', 'html', '<p>{{#if a}}Hi{{/if}}</p>')).toBe('handlebars');
    expect(commentStyle('/a/x.html', 'html', 'html', '<p>{{ticket.requester.name}}</p>')).toBe('html');
    expect(commentStyle('/a/x.md', 'markdown', 'markdown', '# Hi')).toBe('html');
    expect(commentStyle('/a/x.txt', 'plaintext', 'text', 'Hi')).toBe('text');
    expect(commentStyle('/a/x.yml', 'yaml', 'yaml', 'a: b')).toBe('yaml');
    expect(commentStyle('/a/x.json', 'json', 'json', '{}')).toBe('none');
  });

  it('Handlebars, Jinja and ERB line directives are template comments the engine honours', () => {
    expect(disablesLine('Hi {{name}}, per our policy no.\n', 'per our policy', 'handlebars')).toBe(`Hi {{name}}, per our policy no. {{! candor-disable-line ${RULE} }}\n`);
    expect(disablesLine('Hi {{ name }}, per our policy no.\n', 'per our policy', 'jinja')).toBe(`Hi {{ name }}, per our policy no. {# candor-disable-line ${RULE} #}\n`);
    expect(disablesLine('Hi <%= name %>, per our policy no.\n', 'per our policy', 'erb')).toBe(`Hi <%= name %>, per our policy no. <%# candor-disable-line ${RULE} %>\n`);
    expect(disablesLine('Hi, per our policy no.\n', 'per our policy', 'liquid')).toBe(`Hi, per our policy no. {% comment %} candor-disable-line ${RULE} {% endcomment %}\n`);
    expect(disablesLine('  Hi, per our policy no.\n', 'per our policy', 'text')).toBe(`  candor-disable-next-line ${RULE}\n  Hi, per our policy no.\n`);
  });

  it('file directives go after a doctype or front matter, and disable the whole file', () => {
    for (const [style, text, expected] of [
      ['handlebars', 'Hi.\n', `{{! candor-disable-file ${RULE} }}\nHi.\n`],
      ['jinja', 'Hi.\n', `{# candor-disable-file ${RULE} #}\nHi.\n`],
      ['erb', 'Hi.\n', `<%# candor-disable-file ${RULE} %>\nHi.\n`],
      ['yaml', '- a: b\n', `# candor-disable-file ${RULE}\n- a: b\n`],
      ['text', '\uFEFFHi.\r\n', `\uFEFFcandor-disable-file ${RULE}\r\nHi.\r\n`],
      ['html', '<!doctype html>\n<p>Hi</p>\n', `<!doctype html>\n<!-- candor-disable-file ${RULE} -->\n<p>Hi</p>\n`],
    ] as const) {
      const out = apply(text, disableForFile(style, text, RULE));
      expect(out).toBe(expected);
      expect(isDisabled(parseDirectives(out, new LineIndex(out)), out.length - 2, RULE, 'defensive')).toBe(true);
    }
  });

  it('YAML: folded scalars inside a sequence keep their value', () => {
    const text = 'items:\n  - name: a\n    content: >\n      Hi, per our policy\n      no.\n\n  - name: b\n';
    const out = disablesLine(text, 'per our policy', 'yaml');
    expect(parseYaml(out)).toEqual(parseYaml(text));
  });

  it('finds the HTML tag an offset is in, skipping quoted > and comments', () => {
    const text = '<!-- <b --><img alt="a > b"\n src="x"> text';
    expect(enclosingHtmlTag(text, text.indexOf('src'))).toEqual({ start: 11, end: text.indexOf(' text') });
    expect(enclosingHtmlTag(text, text.indexOf('text'))).toBeUndefined();
    expect(enclosingHtmlTag(text, 6)).toBeUndefined();
  });
});

describe('.candor.json edits', () => {
  it('phrases are decoded from JSON escapes and HTML entities, lower-cased, pattern syntax dropped', () => {
    expect(phraseOf('it\\u2019s not my job', 'json')).toBe("it's not my job");
    expect(phraseOf('we&rsquo;re at <b>your</b> service', 'html')).toBe("we're at your service");
    expect(phraseOf('Per  our\npolicy (sic)', 'text')).toBe('per our policy sic');
  });

  it('adds to "allow" keeping comments and indentation, once', () => {
    const text = '{\n    // team\n    "allow": ["as per the contract"]\n}\n';
    const change = allowPhraseEdit(text, 'per our policy')!;
    expect(change.edits).toBeDefined();
    expect(allowPhraseEdit(text, 'as per the contract')).toBeUndefined();
    expect(ruleOffEdit('{ "rules": { "x/y": "off" } }', 'x/y')).toBeUndefined();
    expect(allowPhraseEdit('{ "allow": ', 'x')).toBeUndefined();
    expect(allowPhraseEdit(undefined, 'x')).toEqual({ content: '{\n  "allow": [\n    "x"\n  ]\n}\n' });
  });
});
