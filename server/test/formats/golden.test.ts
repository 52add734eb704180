/**
 * Golden files: each fixture in test-fixtures/formats/ next to `<fixture>.prose.txt`, the
 * prose the adapters extract from it (§ = placeholder, ¶ = block boundary, one line per
 * region, spaces collapsed). A reviewer can read what Candor lints in a file at a glance.
 * Regenerate after an intended change with CANDOR_UPDATE_GOLDEN=1 and review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectFormat, extractProse } from '../../src/formats/index.js';
import { expectMapsInside, visible } from './helpers.js';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test-fixtures/formats');
const fixtures = existsSync(DIR) ? readdirSync(DIR).filter((f) => !f.endsWith('.prose.txt')).sort() : [];

function render(file: string, text: string): string {
  const format = detectFormat(file, text);
  const result = extractProse(text, format);
  expectMapsInside(text, result);
  const lines = [`format: ${format}`];
  for (const p of result.problems) lines.push(`problem @${p.offset}-${p.endOffset}: ${p.message}`);
  for (const r of result.regions) lines.push(`- ${visible({ text: r.text }).replace(/\n/g, '⏎')}`);
  return lines.join('\n') + '\n';
}

describe('golden fixtures', () => {
  it.each(fixtures)('%s', (file) => {
    const text = readFileSync(path.join(DIR, file), 'utf8');
    const got = render(file, text);
    const goldenPath = path.join(DIR, `${file}.prose.txt`);
    if (process.env.CANDOR_UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) writeFileSync(goldenPath, got);
    expect(got).toBe(readFileSync(goldenPath, 'utf8'));
  });
});
