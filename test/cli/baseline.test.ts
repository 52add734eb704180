import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCandor } from '../helpers';
import { lintJson, read, teamConfig, workspace, write } from './util';

const RULES = [
  { id: 'team/kindly-note', category: 'defensive', severity: 'error', patterns: ['kindly note'], message: 'Say it plainly.', suggestions: ['note'] },
  { id: 'team/valued-customer', category: 'hierarchy', severity: 'error', patterns: ['dear valued customer'], message: 'Use their name.', suggestions: ['hi there'] },
];

function config(): string {
  const c = JSON.parse(teamConfig({}, RULES as any));
  for (const r of RULES) c.rules[r.id] = 'error';
  return JSON.stringify(c);
}

describe('--baseline', () => {
  it('records findings, then fails only on new ones; moving lines does not resurrect old ones', async () => {
    const dir = workspace({
      '.candor.json': config(),
      'a.txt': 'Dear valued customer,\nKindly note the hours.\nKindly note the address.\n',
      'sub/b.md': 'Kindly note: we moved.\n',
      'clean.txt': 'Thanks for writing.\n',
    });
    expect((await runCandor(['lint', '.'], { cwd: dir })).code).toBe(1);

    const created = await lintJson(['.', '--baseline-create', 'candor-baseline.json'], { cwd: dir });
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/recorded 4 findings in candor-baseline\.json/);
    expect(created.report.summary.findings).toBe(0);
    const baseline = JSON.parse(read(dir, 'candor-baseline.json'));
    expect(Object.keys(baseline.files)).toEqual(['a.txt', 'sub/b.md']);
    expect(baseline.files['a.txt']).toHaveLength(3);
    expect(baseline.files['a.txt'][0]).toMatchObject({ ruleId: 'team/kindly-note', text: 'kindly note', occurrence: 0 });
    expect(JSON.stringify(baseline)).not.toMatch(/"line"|"column"|"offset"/);

    const known = await lintJson(['.', '--baseline', 'candor-baseline.json'], { cwd: dir });
    expect(known.code).toBe(0);
    expect(known.report.summary.findings).toBe(0);
    expect(known.report.summary.baseline).toMatchObject({ known: 4, new: 0, stale: 0 });

    // Edits elsewhere (new lines above, a re-wrapped phrase, other case) change nothing.
    write(dir, { 'a.txt': 'Hello!\n\nSome new intro text.\n\nDEAR VALUED customer,\nKindly\nnote the hours.\nKindly note the address.\n' });
    const moved = await lintJson(['.', '--baseline', 'candor-baseline.json'], { cwd: dir });
    expect(moved.code).toBe(0);
    expect(moved.report.summary.findings).toBe(0);

    // A new occurrence is reported (and fails the run), the old ones still are not.
    write(dir, { 'a.txt': read(dir, 'a.txt') + 'Kindly note the fee.\n' });
    const fresh = await lintJson(['.', '--baseline', 'candor-baseline.json'], { cwd: dir });
    expect(fresh.code).toBe(1);
    expect(fresh.report.files.flatMap((f) => f.findings.map((x) => `${f.path}:${x.line} ${x.text}`))).toEqual(['a.txt:9 Kindly note']);
    expect(fresh.report.summary.baseline).toMatchObject({ known: 4, new: 1, stale: 0 });

    // The baseline works from another working directory too (paths are relative to it).
    const fromSub = await lintJson(['b.md', '--baseline', '../candor-baseline.json'], { cwd: path.join(dir, 'sub') });
    expect(fromSub.code).toBe(0);
    expect(fromSub.report.summary.baseline).toMatchObject({ known: 1, new: 0, stale: 0 });
  });

  it('reports stale entries and --baseline-update removes them', async () => {
    const dir = workspace({
      '.candor.json': config(),
      'a.txt': 'Kindly note the hours.\nKindly note the address.\n',
      'gone.txt': 'Dear valued customer,\n',
      'other/c.txt': 'Kindly note this.\n',
    });
    await runCandor(['lint', '.', '--baseline-create', 'base.json'], { cwd: dir });
    write(dir, { 'a.txt': 'Note the hours.\nKindly note the address.\n' });
    rmSync(path.join(dir, 'gone.txt'));

    // Linting only a.txt: other/c.txt was not linted, so its entry is not stale.
    const r = await lintJson(['a.txt', '--baseline', 'base.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/2 baseline entries no longer match .*--baseline-update/);
    expect(r.report.summary.baseline.stale).toBe(2);
    expect(r.report.summary.baseline.staleEntries).toEqual([
      { path: 'a.txt', ruleId: 'team/kindly-note', text: 'kindly note' },
      { path: 'gone.txt', ruleId: 'team/valued-customer', text: 'dear valued customer' },
    ]);
    const stylish = await runCandor(['lint', 'a.txt', '--baseline', 'base.json'], { cwd: dir });
    expect(stylish.stdout).toMatch(/baseline: 1 known finding hidden, 0 new, 2 stale/);

    const before = read(dir, 'base.json');
    const updated = await lintJson(['a.txt', '--baseline', 'base.json', '--baseline-update'], { cwd: dir });
    expect(updated.code).toBe(0);
    expect(updated.report.summary.baseline).toMatchObject({ stale: 2, updated: true });
    const after = JSON.parse(read(dir, 'base.json'));
    expect(after.files).toEqual({
      'a.txt': [expect.objectContaining({ ruleId: 'team/kindly-note', occurrence: 0 })],
      'other/c.txt': JSON.parse(before).files['other/c.txt'],
    });
    const again = await lintJson(['.', '--baseline', 'base.json'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.report.summary.baseline).toMatchObject({ known: 2, new: 0, stale: 0 });
    expect(again.stderr).toBe('');
  });

  it('gives clear errors for a missing or broken baseline and conflicting options', async () => {
    const dir = workspace({ 'a.txt': 'x\n', 'bad.json': '{ nope', 'other.json': '{"a":1}' });
    const missing = await runCandor(['lint', 'a.txt', '--baseline', 'none.json'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/none\.json: no such file \(create it with --baseline-create\)/);
    const bad = await runCandor(['lint', 'a.txt', '--baseline', 'bad.json'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not valid JSON/);
    const other = await runCandor(['lint', 'a.txt', '--baseline', 'other.json'], { cwd: dir });
    expect(other.stderr).toMatch(/not a Candor baseline/);
    expect((await runCandor(['lint', 'a.txt', '--baseline-update'], { cwd: dir })).code).toBe(2);
    expect((await runCandor(['lint', 'a.txt', '--baseline', 'x', '--baseline-create', 'y'], { cwd: dir })).code).toBe(2);
    expect(readFileSync(path.join(dir, 'bad.json'), 'utf8')).toBe('{ nope');
  });
});
