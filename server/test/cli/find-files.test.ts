import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { afterAll, describe, expect, it } from 'vitest';
import { filesUnder } from '../../src/cli/find-files.js';

// filesUnder replaced `globSync(['**/*'], { dot: true, ignore: node_modules and .git })` for
// folder targets: the glob is the reference it must agree with — except that the glob went once
// round a link back up into a folder that holds it (every file there found twice, under a second
// path), where the walk does not follow the link at all.
const reference = (root: string) =>
  globSync(['**/*'], { cwd: root, absolute: true, dot: true, ignore: ['**/node_modules/**', '**/.git/**'], onlyFiles: true }).map((f) => path.resolve(f)).sort();
const walked = (root: string) => filesUnder(root).sort();

const dir = mkdtempSync(path.join(tmpdir(), 'candor-walk-'));
afterAll(() => {
  chmodSync(path.join(dir, 'tree/locked'), 0o755);
  rmSync(dir, { recursive: true, force: true });
});

function file(rel: string, text = 'Thank you for your patience.'): void {
  const f = path.join(dir, rel);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, text);
}

file('tree/a.txt');
file('tree/.hidden.md');
file('tree/.config/reply.yml');
file('tree/deep/er/still/deeper/macro.html');
file('tree/node_modules/pkg/readme.md');
file('tree/deep/node_modules/x.txt');
file('tree/.git/HEAD');
file('tree/sub/.git/config');
file('tree/node_modules.txt');
file('outside/shared/reply.txt');
file('tree/locked/secret.txt');
symlinkSync(path.join(dir, 'tree/a.txt'), path.join(dir, 'tree/link-to-file.txt'));
symlinkSync(path.join(dir, 'outside/shared'), path.join(dir, 'tree/link-to-folder'));
symlinkSync(path.join(dir, 'tree'), path.join(dir, 'tree/deep/loop-to-root'));
symlinkSync('..', path.join(dir, 'tree/deep/er/loop-to-parent'));
symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'tree/broken-link'));
symlinkSync(path.join(dir, 'outside'), path.join(dir, 'tree/node_modules-link'));
symlinkSync(path.join(dir, 'outside/shared'), path.join(dir, 'tree/node_modules/linked'));
chmodSync(path.join(dir, 'tree/locked'), 0o000);

describe('filesUnder (the folder walk)', () => {
  it('finds what the glob finds: dot files, nested folders, links to files and folders', () => {
    const found = walked(path.join(dir, 'tree'));
    const viaCycles = reference(path.join(dir, 'tree')).filter((f) => f.includes(`${path.sep}loop-to-`));
    expect(viaCycles.length).toBeGreaterThan(0);
    expect(found).toEqual(reference(path.join(dir, 'tree')).filter((f) => !viaCycles.includes(f)));
    const rel = found.map((f) => path.relative(path.join(dir, 'tree'), f));
    expect(rel).toContain('.hidden.md');
    expect(rel).toContain(path.join('.config', 'reply.yml'));
    expect(rel).toContain(path.join('deep', 'er', 'still', 'deeper', 'macro.html'));
    expect(rel).toContain('link-to-file.txt');
    expect(rel).toContain(path.join('link-to-folder', 'reply.txt'));
    expect(rel).toContain(path.join('node_modules-link', 'shared', 'reply.txt'));
    expect(rel).toContain('node_modules.txt');
  });

  it('never enters node_modules or .git, at any depth', () => {
    const rel = walked(path.join(dir, 'tree')).map((f) => path.relative(path.join(dir, 'tree'), f));
    expect(rel.filter((f) => f.split(path.sep).some((part) => part === 'node_modules' || part === '.git'))).toEqual([]);
  });

  it('does not follow a link back into a folder that holds it, and skips broken links', () => {
    const rel = walked(path.join(dir, 'tree')).map((f) => path.relative(path.join(dir, 'tree'), f));
    expect(rel.some((f) => f.includes('loop-to-root') || f.includes('loop-to-parent'))).toBe(false);
    expect(rel).not.toContain('broken-link');
  });

  it('does not go round two sibling folders that link to each other', () => {
    file('siblings/a/x.txt');
    file('siblings/b/y.txt');
    symlinkSync(path.join(dir, 'siblings/b'), path.join(dir, 'siblings/a/toB'));
    symlinkSync(path.join(dir, 'siblings/a'), path.join(dir, 'siblings/b/toA'));
    const rel = walked(path.join(dir, 'siblings')).map((f) => path.relative(path.join(dir, 'siblings'), f));
    expect(rel).toEqual([path.join('a', 'toB', 'y.txt'), path.join('a', 'x.txt'), path.join('b', 'toA', 'x.txt'), path.join('b', 'y.txt')]);
  });

  it('skips a folder it cannot read (unless running as root, which reads it)', () => {
    const rel = walked(path.join(dir, 'tree')).map((f) => path.relative(path.join(dir, 'tree'), f));
    const root = process.getuid?.() === 0;
    expect(rel.includes(path.join('locked', 'secret.txt'))).toBe(root);
  });

  it('walks from a link to a folder as from the folder, keeping the paths it was given', () => {
    const viaLink = walked(path.join(dir, 'tree/link-to-folder'));
    expect(viaLink).toEqual([path.join(dir, 'tree/link-to-folder/reply.txt')]);
    expect(viaLink).toEqual(reference(path.join(dir, 'tree/link-to-folder')));
  });

  it('returns nothing for a folder that does not exist', () => {
    expect(filesUnder(path.join(dir, 'nowhere'))).toEqual([]);
  });
});
