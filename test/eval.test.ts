import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// The quality bar: blind labeled sets scored by scripts/eval.mjs against the real built CLI.
//
// - test-fixtures/eval: the development set. Each category needs F1 >= 0.95.
// - test-fixtures/eval-holdout: the held-out set, written and labeled by someone who never saw
//   the rules. Thresholds sit just below the measured scores (see HOLDOUT_MIN_F1), so any new
//   miss or false alarm beyond one shows up here.
//
// In both sets, files labeled [] (clean templates and traps) must get no findings at all.

const ROOT = path.resolve(__dirname, '..');
const CATEGORIES = ['cliche', 'defensive', 'hierarchy'] as const;
type Category = (typeof CATEGORIES)[number];

interface Listed {
  file: string;
  line: number;
  column: number;
  text: string;
  rule?: string;
  category: string;
}
interface EvalResult {
  files: number;
  labels: number;
  cleanFiles: number;
  scores: Record<Category, { tp: number; fp: number; fn: number; precision: number; recall: number; f1: number }>;
  findingsOnCleanFiles: number;
  falsePositives: (Listed & { clean: boolean })[];
  falseNegatives: Listed[];
  problems: string[];
}

function runEval(dir?: string): EvalResult {
  const res = spawnSync(process.execPath, [path.join(ROOT, 'scripts/eval.mjs'), ...(dir ? [dir] : []), '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(res.stdout) as EvalResult;
}

const show = (items: Listed[]) => items.map((f) => `${f.file}:${f.line}:${f.column} ${JSON.stringify(f.text)} ${f.rule ?? ''} [${f.category}]`).join('\n');

function detail(result: EvalResult, category: Category): string {
  const s = result.scores[category];
  return [
    `P=${s.precision} R=${s.recall} F1=${s.f1}`,
    'false positives:',
    show(result.falsePositives.filter((f) => f.category === category)),
    'false negatives:',
    show(result.falseNegatives.filter((f) => f.category === category)),
  ].join('\n');
}

function evalSuite(name: string, dir: string | undefined, minF1: Record<Category, number>, minSize?: { files: number; cleanFiles: number; labels: number }) {
  describe(name, () => {
    let result: EvalResult;
    beforeAll(() => {
      result = runEval(dir);
    });

    it('scores without problems (CLI built, every label found, every file reported)', () => {
      expect(result.problems).toEqual([]);
    });

    if (minSize) {
      it(`still has at least ${minSize.files} files (${minSize.cleanFiles} clean/trap) and ${minSize.labels} labels`, () => {
        expect(result.files).toBeGreaterThanOrEqual(minSize.files);
        expect(result.cleanFiles).toBeGreaterThanOrEqual(minSize.cleanFiles);
        expect(result.labels).toBeGreaterThanOrEqual(minSize.labels);
      });
    }

    for (const category of CATEGORIES) {
      it(`${category}: F1 >= ${minF1[category]}`, () => {
        expect(result.scores[category].f1, detail(result, category)).toBeGreaterThanOrEqual(minF1[category]);
      });
    }

    it('no findings on clean and trap files', () => {
      const onClean = result.falsePositives.filter((f) => f.clean);
      expect(onClean.length, show(onClean)).toBe(0);
      expect(result.findingsOnCleanFiles).toBe(0);
    });
  });
}

evalSuite('blind eval set (test-fixtures/eval)', undefined, { cliche: 0.95, defensive: 0.95, hierarchy: 0.95 });

// Measured on the holdout set: P = R = F1 = 1.0 in all three categories (21 cliche,
// 21 defensive, 12 hierarchy labels; 4 of those were added in review, see the "note" fields
// in its labels.json). Threshold = measured - 0.03: one extra miss or false alarm in cliche or
// defensive still passes, two fail; in hierarchy a single one fails.
const HOLDOUT_MIN_F1: Record<Category, number> = { cliche: 0.97, defensive: 0.97, hierarchy: 0.97 };
evalSuite('held-out blind eval set (test-fixtures/eval-holdout)', 'test-fixtures/eval-holdout', HOLDOUT_MIN_F1, {
  files: 30,
  cleanFiles: 18,
  labels: 54,
});
