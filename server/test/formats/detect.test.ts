import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/formats/index.js';

describe('detectFormat', () => {
  it.each([
    ['reply.txt', 'text'],
    ['reply.TEXT', 'text'],
    ['docs/reply.md', 'markdown'],
    ['reply.markdown', 'markdown'],
    ['C:\\macros\\reply.HTML', 'html'],
    ['reply.htm', 'html'],
    ['macros.json', 'json'],
    ['en.yml', 'yaml'],
    ['en.yaml', 'yaml'],
    ['welcome.html.erb', 'html'],
    ['welcome.text.erb', 'text'],
    ['welcome.txt.liquid', 'text'],
    ['reply.md.j2', 'markdown'],
    ['email-base.html.twig', 'html'],
    ['welcome.html.inky', 'html'],
  ] as const)('%s → %s by extension', (path, expected) => {
    expect(detectFormat(path, '<p>whatever</p>')).toBe(expected);
  });

  it.each(['liquid', 'hbs', 'handlebars', 'mustache', 'erb', 'ejs', 'j2', 'jinja', 'jinja2', 'njk', 'twig', 'tpl', 'php', 'blade.php'])(
    'template extension .%s is sniffed',
    (ext) => {
      expect(detectFormat(`t.${ext}`, '<p>Hi {{ name }},</p>\n<p>Thanks</p>')).toBe('html');
      expect(detectFormat(`t.${ext}`, '<table><tr><td>x</td></tr></table>')).toBe('html');
      expect(detectFormat(`t.${ext}`, 'Hi {{ name }},\n\nThanks <PLACEHOLDER> and <b>one</b> tag')).toBe('text');
      expect(detectFormat(`t.${ext}`, '## Title\n\nSee [the docs](https://x.com) and `code`.')).toBe('markdown');
    },
  );

  it('sniffs unknown extensions and missing paths', () => {
    expect(detectFormat(undefined, '  {"macros": []}')).toBe('json');
    expect(detectFormat('export.dat', '\uFEFF[1, 2]')).toBe('json');
    expect(detectFormat('x.sql', "INSERT INTO t VALUES('<p>Hi</p><br><div>x</div>')")).toBe('html');
    expect(detectFormat(undefined, '{ this is not json }')).toBe('text');
    expect(detectFormat(undefined, '<!DOCTYPE html><html><body>Hi</body></html>')).toBe('html');
    expect(detectFormat(undefined, 'Plain words only.')).toBe('text');
    expect(detectFormat('', '')).toBe('text');
    expect(detectFormat('notes.haml', '%p= t(".hi")')).toBe('text');
    expect(detectFormat('Makefile', 'all:\n\techo')).toBe('text');
  });
});
