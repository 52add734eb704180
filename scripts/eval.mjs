#!/usr/bin/env node
// Scores the real, built CLI against a blind labeled set (default: test-fixtures/eval).
//
//   node scripts/eval.mjs          human-readable report (per-category P/R/F1, every FP and FN)
//   node scripts/eval.mjs --json   the same scores as JSON
//   node scripts/eval.mjs test-fixtures/eval-holdout [--json]
//                                  another labeled set: any folder holding a labels.json
//                                  (relative paths resolve against the current directory)
//
// A finding matches a label when the categories are equal and the ranges overlap. The label's
// range is the occurrence-th indexOf of its text in the file (UTF-16 units, the same units the
// CLI's JSON offsets use). Each label and each finding is matched at most once (maximum
// bipartite matching, so the order of findings never costs a match). Always exits 0: it reports.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_EVAL_DIR = path.join(ROOT, 'test-fixtures/eval');
const CLI = path.join(ROOT, 'bin/candor.js');
export const CATEGORIES = ['cliche', 'defensive', 'hierarchy'];

/** Line (1-based) and column (1-based) of a UTF-16 offset. */
function lineCol(src, offset) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < src.length; i++) {
    if (src.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function nthIndexOf(src, text, n) {
  let at = -1;
  for (let k = 0; k < n; k++) {
    at = src.indexOf(text, at + 1);
    if (at < 0) return -1;
  }
  return at;
}

/** Offsets of a finding: the JSON contract's offsets, else recomputed from line/column. */
function findingRange(src, f) {
  if (Number.isInteger(f.offset) && Number.isInteger(f.endOffset)) return [f.offset, f.endOffset];
  const lines = src.split('\n');
  const toOffset = (line, col) => {
    let o = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) o += lines[i].length + 1;
    return o + col - 1;
  };
  return [toOffset(f.line, f.column), toOffset(f.endLine ?? f.line, f.endColumn ?? f.column)];
}

const overlaps = (a, b) => a[0] < b[1] && b[0] < a[1] && a[1] > a[0] && b[1] > b[0];
const overlapsLoose = (a, b) => a[0] < b[1] && b[0] < a[1];

/** Kuhn's augmenting-path maximum matching. edges[i] = list of right indices. */
function maxMatching(nLeft, nRight, edges) {
  const matchR = new Array(nRight).fill(-1);
  const tryKuhn = (u, seen) => {
    for (const v of edges[u]) {
      if (seen[v]) continue;
      seen[v] = true;
      if (matchR[v] < 0 || tryKuhn(matchR[v], seen)) {
        matchR[v] = u;
        return true;
      }
    }
    return false;
  };
  for (let u = 0; u < nLeft; u++) tryKuhn(u, new Array(nRight).fill(false));
  const matchL = new Array(nLeft).fill(-1);
  matchR.forEach((u, v) => {
    if (u >= 0) matchL[u] = v;
  });
  return matchL;
}

function runCli(EVAL_DIR, files) {
  if (!existsSync(path.join(ROOT, 'server/dist/cli.cjs'))) {
    return { error: 'CLI not built (server/dist/cli.cjs missing): run `npm run build` first' };
  }
  const res = spawnSync(process.execPath, [CLI, 'lint', '--format', 'json', ...files], {
    cwd: EVAL_DIR,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (res.error) return { error: `could not run the CLI: ${res.error.message}` };
  try {
    return { report: JSON.parse(res.stdout), status: res.status, stderr: res.stderr };
  } catch {
    return {
      error: `CLI exited ${res.status} without a JSON report`,
      stderr: res.stderr,
      stdout: res.stdout.slice(0, 2000),
    };
  }
}

export function evaluate(evalDir = DEFAULT_EVAL_DIR) {
  const EVAL_DIR = path.resolve(evalDir);
  const labels = JSON.parse(readFileSync(path.join(EVAL_DIR, 'labels.json'), 'utf8'));
  const files = Object.keys(labels).sort();
  const problems = [];
  const cli = runCli(EVAL_DIR, files);
  if (cli.error) problems.push(cli.error + (cli.stderr ? `\n${cli.stderr}` : '') + (cli.stdout ? `\nstdout: ${cli.stdout}` : ''));

  // Findings and notices per file, keyed by the path relative to the eval folder.
  const byFile = new Map();
  const notices = [];
  for (const entry of cli.report?.files ?? []) {
    const rel = path.relative(EVAL_DIR, path.resolve(EVAL_DIR, entry.path)).split(path.sep).join('/');
    byFile.set(rel, entry.findings ?? []);
    for (const n of entry.notices ?? []) notices.push({ file: rel, notice: n });
  }

  const counts = Object.fromEntries(CATEGORIES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }]));
  const falsePositives = [];
  const falseNegatives = [];
  const cleanFindings = [];
  let cleanFiles = 0;
  let labelCount = 0;

  for (const file of files) {
    const src = readFileSync(path.join(EVAL_DIR, file), 'utf8');
    if (cli.report && !byFile.has(file)) problems.push(`${file}: not in the CLI report`);
    const findings = (byFile.get(file) ?? []).map((f) => ({ ...f, range: findingRange(src, f) }));
    const gold = [];
    for (const l of labels[file]) {
      if (!CATEGORIES.includes(l.category)) problems.push(`${file}: label with unknown category ${l.category}`);
      const at = nthIndexOf(src, l.text, l.occurrence ?? 1);
      if (at < 0) {
        problems.push(`${file}: label text not found: ${JSON.stringify(l.text)} #${l.occurrence}`);
        continue;
      }
      gold.push({ ...l, range: [at, at + l.text.length] });
    }
    labelCount += gold.length;
    if (labels[file].length === 0) {
      cleanFiles++;
      for (const f of findings) cleanFindings.push({ file, ...describe(src, f) });
    }

    const edges = gold.map((g) =>
      findings.flatMap((f, j) => (f.category === g.category && overlaps(g.range, f.range) ? [j] : [])),
    );
    const matchL = maxMatching(gold.length, findings.length, edges);
    const matchedF = new Set(matchL.filter((j) => j >= 0));

    gold.forEach((g, i) => {
      if (matchL[i] >= 0) {
        counts[g.category].tp++;
        return;
      }
      counts[g.category].fn++;
      // Say why: a finding of another category there, or one beside it that did not overlap.
      const near = findings.filter((f) => overlapsLoose(g.range, f.range));
      const { line, column } = lineCol(src, g.range[0]);
      falseNegatives.push({
        file,
        line,
        column,
        category: g.category,
        text: g.text,
        note: near.length
          ? `overlapping finding(s) of another category or already matched: ${near.map((f) => `${f.ruleId}[${f.category}]`).join(', ')}`
          : undefined,
      });
    });
    findings.forEach((f, j) => {
      if (matchedF.has(j)) return;
      const cat = CATEGORIES.includes(f.category) ? f.category : null;
      if (cat) counts[cat].fp++;
      const d = describe(src, f);
      const overlapping = gold.filter((g) => overlapsLoose(g.range, f.range));
      falsePositives.push({
        file,
        ...d,
        clean: labels[file].length === 0,
        note: overlapping.length
          ? `overlaps label(s) ${overlapping.map((g) => `${JSON.stringify(g.text)}[${g.category}]`).join(', ')} (wrong category or duplicate finding)`
          : undefined,
      });
    });
  }

  const scores = {};
  for (const c of CATEGORIES) {
    const { tp, fp, fn } = counts[c];
    const precision = tp + fp ? tp / (tp + fp) : tp + fn ? 0 : 1;
    const recall = tp + fn ? tp / (tp + fn) : 1;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    scores[c] = { tp, fp, fn, precision: round(precision), recall: round(recall), f1: round(f1) };
  }
  const tot = CATEGORIES.reduce((a, c) => ({ tp: a.tp + counts[c].tp, fp: a.fp + counts[c].fp, fn: a.fn + counts[c].fn }), { tp: 0, fp: 0, fn: 0 });
  const mp = tot.tp + tot.fp ? tot.tp / (tot.tp + tot.fp) : 1;
  const mr = tot.tp + tot.fn ? tot.tp / (tot.tp + tot.fn) : 1;
  return {
    dir: path.relative(ROOT, EVAL_DIR).split(path.sep).join('/') || '.',
    files: files.length,
    labels: labelCount,
    cleanFiles,
    scores,
    micro: { ...tot, precision: round(mp), recall: round(mr), f1: round(mp + mr ? (2 * mp * mr) / (mp + mr) : 0) },
    findingsOnCleanFiles: cleanFindings.length,
    falsePositives,
    falseNegatives,
    notices,
    problems,
  };
}

function describe(src, f) {
  const { line, column } = lineCol(src, f.range[0]);
  const actual = src.slice(f.range[0], f.range[1]);
  const out = { line, column, text: actual, rule: f.ruleId, category: f.category };
  // Position check: the CLI's own `text` should be what sits at its offsets (modulo escapes).
  if (f.text !== undefined && f.text !== actual) out.cliText = f.text;
  return out;
}

const round = (x) => Math.round(x * 10000) / 10000;
const pct = (x) => `${(x * 100).toFixed(1)}%`.padStart(6);

function printReport(r) {
  const out = [];
  out.push(`Candor blind eval (${r.dir}): ${r.files} files (${r.cleanFiles} clean/trap), ${r.labels} labels`);
  out.push('');
  if (r.problems.length) {
    out.push('PROBLEMS (scores below are not meaningful until these are fixed):');
    for (const p of r.problems) out.push(`  ${p}`);
    out.push('');
  }
  out.push('category    TP   FP   FN  precision  recall      F1');
  for (const c of CATEGORIES) {
    const s = r.scores[c];
    out.push(`${c.padEnd(10)} ${String(s.tp).padStart(3)}  ${String(s.fp).padStart(3)}  ${String(s.fn).padStart(3)}     ${pct(s.precision)}  ${pct(s.recall)}  ${pct(s.f1)}`);
  }
  const m = r.micro;
  out.push(`${'all'.padEnd(10)} ${String(m.tp).padStart(3)}  ${String(m.fp).padStart(3)}  ${String(m.fn).padStart(3)}     ${pct(m.precision)}  ${pct(m.recall)}  ${pct(m.f1)}`);
  out.push('');
  out.push(`findings on clean/trap files: ${r.findingsOnCleanFiles}`);
  out.push('');
  out.push(`False positives (${r.falsePositives.length}):`);
  for (const f of r.falsePositives) {
    out.push(`  ${f.file}:${f.line}:${f.column}  ${JSON.stringify(f.text)}  ${f.rule} [${f.category}]${f.clean ? '  (clean/trap file)' : ''}`);
    if (f.cliText !== undefined) out.push(`      CLI text ${JSON.stringify(f.cliText)} differs from the characters at its offsets`);
    if (f.note) out.push(`      ${f.note}`);
  }
  out.push('');
  out.push(`False negatives (${r.falseNegatives.length}):`);
  for (const f of r.falseNegatives) {
    out.push(`  ${f.file}:${f.line}:${f.column}  ${JSON.stringify(f.text)}  [${f.category}]`);
    if (f.note) out.push(`      ${f.note}`);
  }
  if (r.notices.length) {
    out.push('');
    out.push(`CLI notices (${r.notices.length}):`);
    for (const n of r.notices) out.push(`  ${n.file}: ${typeof n.notice === 'string' ? n.notice : JSON.stringify(n.notice)}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dirs = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  let result;
  try {
    if (dirs.length > 1) throw new Error(`expected at most one eval folder, got ${dirs.length}: ${dirs.join(' ')}`);
    const dir = dirs.length ? path.resolve(dirs[0]) : DEFAULT_EVAL_DIR;
    if (!existsSync(path.join(dir, 'labels.json'))) throw new Error(`${dir}: no labels.json there`);
    result = evaluate(dir);
  } catch (err) {
    result = { problems: [`scorer crashed: ${err?.stack ?? err}`] };
    if (!process.argv.includes('--json')) {
      process.stdout.write(result.problems[0] + '\n');
      process.exit(0);
    }
  }
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else printReport(result);
  process.exit(0);
}
