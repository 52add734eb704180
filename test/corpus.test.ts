import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../server/src/engine/lint';
import { decodeTemplate } from '../server/src/cli/read-file';
import { CORPUS, ROOT } from './helpers';

/**
 * Every real template of ../shared/corpus/real is linted: nothing may crash, every finding
 * must point at its own text, and the count per rule is recorded in corpus-counts.json so
 * any change in noise shows up in review. Regenerate with UPDATE_CORPUS=1 after reading
 * the diff of what changed.
 */
const COUNTS_FILE = path.join(ROOT, 'test/corpus-counts.json');

describe('real-world corpus', () => {
  const present = existsSync(CORPUS);
  it('is present (../shared/corpus/real)', () => {
    if (!present && process.env.CI !== 'true') return;
    expect(present).toBe(true);
  });
  if (!present) return;

  const files = readdirSync(CORPUS).filter((f) => f !== 'MANIFEST.tsv' && f !== 'README.md').sort();

  it('has the 320 templates', () => {
    expect(files.length).toBe(320);
  });

  it('lints every file without crashing, with exact positions, and the per-rule counts are as recorded', () => {
    const counts: Record<string, number> = {};
    const perFile: Record<string, string[]> = {};
    for (const name of files) {
      const read = decodeTemplate(readFileSync(path.join(CORPUS, name)));
      if (!read.ok) continue;
      const result = lint(read.text, { path: name });
      for (const f of result.findings) {
        expect(read.text.slice(f.offset, f.endOffset), `${name}:${f.line}:${f.column}`).toBe(f.text);
        counts[f.ruleId] = (counts[f.ruleId] ?? 0) + 1;
        (perFile[name] ??= []).push(`${f.line}:${f.column} ${f.ruleId} “${f.text.replace(/\s+/g, ' ')}”`);
      }
    }
    const sorted = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const record = { total, filesWithFindings: Object.keys(perFile).length, byRule: sorted, findings: perFile };
    if (!existsSync(COUNTS_FILE) && process.env.CI === 'true') throw new Error('test/corpus-counts.json is missing: run UPDATE_CORPUS=1 locally and commit it');
    if (process.env.UPDATE_CORPUS === '1' || !existsSync(COUNTS_FILE)) {
      writeFileSync(COUNTS_FILE, JSON.stringify(record, null, 2) + '\n');
    }
    const expected = JSON.parse(readFileSync(COUNTS_FILE, 'utf8'));
    expect(record).toEqual(expected);
  });
});
