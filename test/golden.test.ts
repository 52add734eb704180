import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCandor } from './helpers';

/**
 * Vale-style golden tests: the real CLI runs on each fixture folder of test-fixtures/golden/
 * and its JSON output must equal the folder's expected.json exactly (timing aside).
 * After an intended change, regenerate with UPDATE_GOLDEN=1 and review the diff.
 */
const GOLDEN = path.join(ROOT, 'test-fixtures/golden');

describe('golden fixtures (whole program)', () => {
  const dirs = readdirSync(GOLDEN).filter((d) => !d.includes('.')).sort();
  it('has a fixture per format family', () => {
    expect(dirs).toEqual(expect.arrayContaining(['text', 'markdown', 'html', 'liquid', 'handlebars', 'erb', 'jinja', 'magento', 'zendesk-json', 'yaml']));
  });
  it.each(dirs)('%s', async (dir) => {
    const cwd = path.join(GOLDEN, dir);
    const inputs = readdirSync(cwd).filter((f) => f !== 'expected.json').sort();
    const r = await runCandor(['lint', '--format', 'json', ...inputs], { cwd });
    expect(r.stderr).toBe('');
    const actual = JSON.parse(r.stdout);
    actual.summary.durationMs = 0;
    const expectedFile = path.join(cwd, 'expected.json');
    if (!existsSync(expectedFile) && process.env.CI === 'true') throw new Error(`${expectedFile} is missing: run UPDATE_GOLDEN=1 locally and commit it`);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(expectedFile)) {
      writeFileSync(expectedFile, JSON.stringify(actual, null, 2) + '\n');
    }
    expect(actual).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
    // Independently of the recorded output: positions point at the original characters.
    for (const file of actual.files) {
      const text = readFileSync(path.join(cwd, file.path), 'utf8');
      for (const f of file.findings) expect(text.slice(f.offset, f.endOffset)).toBe(f.text);
    }
  });
});
