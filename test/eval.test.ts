import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// The quality bar: the blind labeled set in test-fixtures/eval, scored by scripts/eval.mjs
// against the real built CLI. Each category needs F1 >= 0.95, and files labeled [] (clean
// templates and traps) must get no findings at all.

const ROOT = path.resolve(__dirname, '..');
const CATEGORIES = ['cliche', 'defensive', 'hierarchy'] as const;

interface Listed {
  file: string;
  line: number;
  column: number;
  text: string;
  rule?: string;
  category: string;
}
interface EvalResult {
  scores: Record<(typeof CATEGORIES)[number], { tp: number; fp: number; fn: number; precision: number; recall: number; f1: number }>;
  findingsOnCleanFiles: number;
  falsePositives: (Listed & { clean: boolean })[];
  falseNegatives: Listed[];
  problems: string[];
}

let result: EvalResult;

beforeAll(() => {
  const res = spawnSync(process.execPath, [path.join(ROOT, 'scripts/eval.mjs'), '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  result = JSON.parse(res.stdout) as EvalResult;
});

const show = (items: Listed[]) => items.map((f) => `${f.file}:${f.line}:${f.column} ${JSON.stringify(f.text)} ${f.rule ?? ''} [${f.category}]`).join('\n');

describe('blind eval set (test-fixtures/eval)', () => {
  it('scores without problems (CLI built, every label found, every file reported)', () => {
    expect(result.problems).toEqual([]);
  });

  for (const category of CATEGORIES) {
    it(`${category}: F1 >= 0.95`, () => {
      const s = result.scores[category];
      const detail = [
        `P=${s.precision} R=${s.recall} F1=${s.f1}`,
        'false positives:',
        show(result.falsePositives.filter((f) => f.category === category)),
        'false negatives:',
        show(result.falseNegatives.filter((f) => f.category === category)),
      ].join('\n');
      expect(s.f1, detail).toBeGreaterThanOrEqual(0.95);
    });
  }

  it('no findings on clean and trap files', () => {
    const onClean = result.falsePositives.filter((f) => f.clean);
    expect(onClean.length, show(onClean)).toBe(0);
    expect(result.findingsOnCleanFiles).toBe(0);
  });
});
