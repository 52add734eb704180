import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCandor } from '../helpers';
import { lintJson, read, teamConfig, workspace, write, type JsonReport } from './util';

const PHRASES = [
  'Per our policy, refunds take 30 days.',
  'We apologize for any inconvenience.',
  'Dear valued customer, thanks for writing.',
  'Your call is important to us.',
  'There is nothing I can do about the delay.',
  'Our refund window is 60 days.',
];

/** n small templates in several formats, some with findings. */
function library(n: number, extra: Record<string, string> = {}): string {
  const files: Record<string, string> = { ...extra };
  const formats = ['txt', 'md', 'html', 'liquid', 'yml'];
  for (let i = 0; i < n; i++) {
    const ext = formats[i % formats.length];
    const line = PHRASES[i % PHRASES.length];
    const body =
      ext === 'html' ? `<p>Hi {{ name }},</p>\n<p>${line}</p>\n` : ext === 'yml' ? `reply:\n  body: "${line}"\n` : ext === 'md' ? `# Reply ${i}\n\n${line}\n` : `Hi {{ name }},\n\n${line}\n`;
    files[`lib/${String(Math.floor(i / 50)).padStart(2, '0')}/t${String(i).padStart(4, '0')}.${ext}`] = body;
  }
  return workspace(files);
}

/** The report without what legitimately differs between runs. */
function stable(report: JsonReport) {
  const { durationMs, cached, threads, ...summary } = report.summary;
  return { files: report.files, summary };
}

describe('--cache', () => {
  it('a second run over an unchanged library lints nothing and reports the same', async () => {
    const dir = library(60);
    const first = await lintJson(['lib', '--cache'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.report.summary.cached).toBe(0);
    expect(existsSync(path.join(dir, '.candorcache'))).toBe(true);
    const second = await lintJson(['lib', '--cache'], { cwd: dir });
    expect(second.report.summary.cached).toBe(60);
    expect(stable(second.report)).toEqual(stable(first.report));

    // One file changed: only that one is linted again.
    write(dir, { 'lib/00/t0000.txt': 'Per our policy, no.\nPer our policy, never.\n' });
    const third = await lintJson(['lib', '--cache'], { cwd: dir });
    expect(third.report.summary.cached).toBe(59);
    expect(third.report.files[0].findings.length).toBe(2);

    // A config change (rule severity) invalidates every entry.
    write(dir, { '.candor.json': JSON.stringify({ rules: { cliche: 'error' } }) });
    const fourth = await lintJson(['lib', '--cache'], { cwd: dir });
    expect(fourth.report.summary.cached).toBe(0);
    expect(fourth.report.summary.errors).toBeGreaterThan(0);
    expect((await lintJson(['lib', '--cache'], { cwd: dir })).report.summary.cached).toBe(60);

    // Without --cache the cache is neither read nor written.
    const before = readFileSync(path.join(dir, '.candorcache'));
    expect((await lintJson(['lib'], { cwd: dir })).report.summary.cached).toBe(0);
    expect(readFileSync(path.join(dir, '.candorcache')).equals(before)).toBe(true);
  });

  it('--cache-location takes a file or a folder; a corrupt cache is ignored', async () => {
    const dir = library(10, { 'cache/.keep': '' });
    await lintJson(['lib', '--cache-location', 'cache/'], { cwd: dir });
    expect(existsSync(path.join(dir, 'cache/.candorcache'))).toBe(true);
    expect((await lintJson(['lib', '--cache', '--cache-location', 'cache'], { cwd: dir })).report.summary.cached).toBe(10);
    await lintJson(['lib', '--cache-location', 'my.cache'], { cwd: dir });
    expect(existsSync(path.join(dir, 'my.cache'))).toBe(true);
    writeFileSync(path.join(dir, 'my.cache'), '{ corrupt');
    const r = await lintJson(['lib', '--cache-location', 'my.cache'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.report.summary.cached).toBe(0);
    expect(JSON.parse(read(dir, 'my.cache')).candorCache).toBe(1);
  });

  it('--fix with --cache re-lints only files with something to fix', async () => {
    const dir = workspace({ '.candor.json': teamConfig(), 'a.txt': 'Kindly note the hours.\n', 'b.txt': 'The customer is king.\n' });
    const first = await lintJson(['.', '--cache'], { cwd: dir });
    expect(first.report.summary.fixable).toBe(1);
    const fixed = await lintJson(['.', '--cache', '--fix'], { cwd: dir });
    expect(fixed.report.summary).toMatchObject({ cached: 1, fixed: 1 });
    expect(read(dir, 'a.txt')).toBe('Note the hours.\n');
    const after = await lintJson(['.', '--cache'], { cwd: dir });
    expect(after.report.summary.cached).toBe(2);
    expect(after.report.summary.findings).toBe(1);
  });
});

describe('worker threads', () => {
  it('--threads N gives exactly the single-threaded result, in the same order', async () => {
    const dir = library(120);
    const single = await lintJson(['lib', '--threads', 'off'], { cwd: dir });
    const multi = await lintJson(['lib', '--threads', '3'], { cwd: dir });
    expect(single.report.summary.threads).toBe(1);
    expect(multi.report.summary.threads).toBe(3);
    expect(multi.stderr).toBe('');
    expect(stable(multi.report)).toEqual(stable(single.report));
    expect(multi.report.files.map((f) => f.path)).toEqual([...multi.report.files.map((f) => f.path)].sort());
  });

  it('uses threads automatically for large runs only, and fixes files from workers', async () => {
    const dir = library(230, { '.candor.json': teamConfig(), 'small/a.txt': 'Kindly note the hours.\n' });
    const env = { CANDOR_AUTO_THREADS_MIN_FILES: '200' };
    const small = await lintJson(['small'], { cwd: dir, env });
    expect(small.report.summary.threads).toBe(1);
    expect((await lintJson(['lib'], { cwd: dir })).report.summary.threads).toBe(1); // the real threshold is far higher
    const big = await lintJson(['lib'], { cwd: dir, env });
    expect(big.report.summary.threads).toBe(availableParallelism() >= 2 ? Math.min(availableParallelism(), 8) : 1);
    for (let i = 0; i < 230; i += 5) write(dir, { [`lib/${String(Math.floor(i / 50)).padStart(2, '0')}/t${String(i).padStart(4, '0')}.txt`]: `Kindly note file ${i}.\n` });
    const fixable = (await lintJson(['lib'], { cwd: dir })).report.summary.fixable;
    expect(fixable).toBeGreaterThanOrEqual(46);
    const fix = await lintJson(['lib', '--fix', '--threads', '2'], { cwd: dir });
    expect(fix.report.summary).toMatchObject({ threads: 2, fixed: fixable, filesFixed: fixable });
    expect(fix.stderr).toBe('');
    expect((await lintJson(['lib'], { cwd: dir })).report.summary.fixable).toBe(0);
    expect(read(dir, 'lib/00/t0005.txt')).toBe('Note file 5.\n');
  });

  it('rejects bad --threads values', async () => {
    const r = await runCandor(['lint', 'examples', '--threads', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threads takes a number/);
  });
});

describe('--shard', () => {
  it('splits the file list deterministically: all shards together are the whole list, without overlap', async () => {
    const dir = library(97);
    const whole = (await lintJson(['lib'], { cwd: dir })).report.files.map((f) => f.path);
    for (const n of [1, 2, 3, 7]) {
      const parts: string[][] = [];
      for (let i = 1; i <= n; i++) {
        const r = await lintJson(['lib', '--shard', `${i}/${n}`], { cwd: dir });
        expect(r.code).toBe(0);
        expect(r.report.summary.shard).toEqual({ index: i, count: n, totalFiles: 97 });
        parts.push(r.report.files.map((f) => f.path));
      }
      const union = parts.flat();
      expect(new Set(union).size, `n=${n}`).toBe(union.length);
      expect([...union].sort(), `n=${n}`).toEqual([...whole].sort());
      if (n > 1) for (const p of parts) expect(p.length, `n=${n}`).toBeGreaterThan(0);
    }
    // Same shard, same files, every time.
    const a = (await lintJson(['lib', '--shard', '2/3'], { cwd: dir })).report.files.map((f) => f.path);
    const b = (await lintJson(['lib', '--shard', '2/3'], { cwd: dir })).report.files.map((f) => f.path);
    expect(a).toEqual(b);
    // A file keeps its shard when others are added.
    write(dir, { 'lib/99/new.txt': 'Hello.\n' });
    const c = (await lintJson(['lib', '--shard', '2/3'], { cwd: dir })).report.files.map((f) => f.path).filter((p) => p !== 'lib/99/new.txt');
    expect(c).toEqual(a);
  });

  it('rejects bad shard specs', async () => {
    for (const bad of ['0/3', '4/3', '1/0', 'x', '1-3']) {
      const r = await runCandor(['lint', 'examples', '--shard', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toMatch(/--shard takes I\/N/);
    }
    const stdin = await runCandor(['lint', '-', '--shard', '1/2'], { input: 'x' });
    expect(stdin.code).toBe(2);
  });
});
