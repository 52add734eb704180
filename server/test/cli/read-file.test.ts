import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTemplate } from '../../src/cli/read-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'candor-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileOf(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** Bytes that differ from position to position, so a misplaced chunk shows. */
function pattern(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = 0x20 + ((i * 7 + (i >> 9)) % 90);
  return b;
}

describe('readTemplate', () => {
  // Around the 64 KB first read and the buffer doublings after it.
  for (const size of [0, 1, 65_535, 65_536, 65_537, 131_072, 262_145, 1_000_003]) {
    it(`reads a ${size}-byte file whole`, () => {
      const bytes = pattern(size);
      const r = readTemplate(fileOf(`f${size}.txt`, bytes), 2_000_000);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(Buffer.compare(Buffer.from(r.bytes), bytes)).toBe(0);
      expect(r.text).toBe(bytes.toString('latin1'));
    });
  }

  it('results of consecutive reads do not share memory', () => {
    const a = readTemplate(fileOf('a.txt', Buffer.from('first file')), 1000);
    const b = readTemplate(fileOf('b.txt', Buffer.from('second')), 1000);
    expect(a.ok && Buffer.from(a.bytes).toString()).toBe('first file');
    expect(b.ok && Buffer.from(b.bytes).toString()).toBe('second');
  });

  it('a file at the limit is read; one byte over is skipped with its size', () => {
    expect(readTemplate(fileOf('at.txt', pattern(1000)), 1000).ok).toBe(true);
    const small = readTemplate(fileOf('over.txt', pattern(1001)), 1000);
    expect(small).toMatchObject({ ok: false, reason: 'too-large', message: 'skipped: 1.0 KB is over the 1.0 KB limit (maxFileSize in .candor.json)' });
    const big = readTemplate(fileOf('big.txt', pattern(300_000)), 100_000);
    expect(big).toMatchObject({ ok: false, reason: 'too-large', message: 'skipped: 300.0 KB is over the 100.0 KB limit (maxFileSize in .candor.json)' });
  });

  it('a folder and a missing file are unreadable, with the reason', () => {
    mkdirSync(path.join(dir, 'folder.txt'));
    expect(readTemplate(path.join(dir, 'folder.txt'), 1000)).toMatchObject({ ok: false, reason: 'unreadable', message: 'is a directory' });
    expect(readTemplate(path.join(dir, 'missing.txt'), 1000)).toMatchObject({ ok: false, reason: 'unreadable', message: 'no such file or directory' });
  });
});
