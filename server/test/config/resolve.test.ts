import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigResolver, folderOf, hasDefaultExtension, nameOf } from '../../src/config/resolve.js';

/**
 * Settings are computed once per folder (and shared between its files when no config has
 * per-file globs): the shortcuts must give every file the settings of its own folder and path.
 */
const root = mkdtempSync(path.join(tmpdir(), 'candor-resolve-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe('config resolver', () => {
  write('.candor.json', JSON.stringify({ root: true, rules: { defensive: 'off' } }));
  write('team/.candor.json', JSON.stringify({ ignore: ['drafts/**'], overrides: [{ files: ['*.html'], rules: { cliche: 'error' } }] }));
  const plain = write('a.txt', 'x');
  const teamText = write('team/reply.txt', 'x');
  const teamHtml = write('team/reply.html', 'x');
  const draft = write('team/drafts/old.txt', 'x');

  it('gives the same settings whatever the spelling of the path', () => {
    const resolver = new ConfigResolver();
    const a = resolver.settingsFor(plain);
    expect(resolver.settingsFor(`${root}/./a.txt`)).toBe(a);
    expect(resolver.settingsFor(`${root}/team/../a.txt`)).toBe(a);
    expect(resolver.settingsFor(`${root}//a.txt`)).toBe(a);
    expect(resolver.settingsFor(path.relative(process.cwd(), plain))).toBe(a);
  });

  it('applies each folder its own chain, ignore globs and overrides, file by file', () => {
    const resolver = new ConfigResolver();
    const a = resolver.settingsFor(plain);
    const txt = resolver.settingsFor(teamText);
    const html = resolver.settingsFor(teamHtml);
    expect(a.ruleSet.rules.some((r) => r.category === 'defensive')).toBe(false);
    expect(txt.ruleSet.rules.some((r) => r.category === 'defensive')).toBe(false);
    expect(txt.ruleSet.rules.find((r) => r.category === 'cliche')?.severity).not.toBe('error');
    expect(html.ruleSet.rules.find((r) => r.category === 'cliche')?.severity).toBe('error');
    expect(txt.ignored).toBe(false);
    expect(resolver.settingsFor(draft).ignored).toBe(true);
    // Asked again (the CLI asks twice per file), in another order: the same answers.
    expect(resolver.settingsFor(draft).ignored).toBe(true);
    expect(resolver.settingsFor(teamText)).toBe(txt);
  });

  it('sees a changed config after clear()', () => {
    const resolver = new ConfigResolver();
    expect(resolver.settingsFor(teamText).ignored).toBe(false);
    write('team/.candor.json', JSON.stringify({ ignore: ['*.txt'] }));
    expect(resolver.settingsFor(teamText).ignored).toBe(false); // cached until told
    resolver.clear();
    expect(resolver.settingsFor(teamText).ignored).toBe(true);
  });
});

describe('hasDefaultExtension', () => {
  it.each([
    ['/repo/macros/refund.md', true],
    ['/repo/macros/REFUND.HTML', true],
    ['/repo/macros/reply.Yml', true],
    ['/repo/.md', true],
    ['/repo/macros/notes', false],
    ['/repo/macros/archive.md.gz', false],
    ['/repo/macros/file.', false],
    ['/repo/v1.md/readme', false],
    ['/repo/script.php', false],
  ])('%s → %s', (file, expected) => {
    expect(hasDefaultExtension(file)).toBe(expected);
  });
});

describe('folderOf / nameOf', () => {
  it('equal path.dirname / path.basename on resolved paths', () => {
    const paths = ['/', '/a', '/a/b.md', '/a/b/c', '/a.b/c.d.e', '/x/ y /z z.txt', path.resolve('relative/file.yml'), path.resolve('.')];
    for (const p of paths) {
      expect(folderOf(p), p).toBe(path.dirname(p));
      expect(nameOf(p), p).toBe(path.basename(p));
    }
  });
});
