import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { toRuleData } from '../config/parse.js';
import { ConfigNotFoundError, ConfigResolver, folderOf, nameOf } from '../config/resolve.js';
import { CATEGORIES, type Category, type RuleData } from '../engine/types.js';
import { builtinRules } from '../rules/builtin.js';
import { Baseline, BaselineError } from './baseline.js';
import { LintCache } from './cache.js';
import { findFiles } from './find-files.js';
import { isFixable } from './fix.js';
import { formatters } from './formatters/index.js';
import { configKey, contentKey, processFile, type FileOutcome, type FileTask, type ProcessOptions } from './process-file.js';
import { isFatalNotice, summarize, type BaselineSummary, type FileReport } from './report.js';
import { inShard, parseShard, type Shard } from './shard.js';
import { WorkerPool } from './workers.js';

/**
 * `candor` — the headless face of the engine, for CI.
 * Exit codes: 0 no errors; 1 error-level findings or more warnings than --max-warnings;
 * 2 usage, config or I/O error (the message names the file and the problem).
 */

declare const CANDOR_VERSION: string;
export const VERSION = typeof CANDOR_VERSION === 'string' ? CANDOR_VERSION : '0.0.0-dev';

export interface CliIO {
  argv: string[];
  cwd: string;
  stdout: (s: string | Uint8Array) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<Buffer>;
  isTTY: boolean;
  env: Record<string, string | undefined>;
}

export class UsageError extends Error {}

/**
 * Worker threads pay off only for very large runs, and only with more than two cores. A
 * single-threaded run already keeps a second core busy: V8 compiles the hot code of the
 * parsers on background threads (measured: 0.56 s wall, 0.82 s CPU on the 10× corpus;
 * 0.83 s wall without concurrent compilation; bin/candor.js limits those threads for large
 * runs on small machines). A worker competes for that core and has to
 * warm up the same code again: on 2 cores the 10× corpus (2,660 files, 3.6 MB) took 0.56 s
 * on one thread and 0.67 s with a worker started before the folder walk, the 40× corpus
 * 1.3 s and 1.5 s. A worker that only screens files (reads them and runs the prefilter) while
 * the main thread lints the ones with a phrase did no better: 0.65 vs 0.57 s on the 10× corpus.
 * CANDOR_AUTO_THREADS_MIN_FILES overrides the file threshold (tests use it
 * to exercise the automatic mode).
 */
// Read when a run starts (tests set it per run).
const threadsMinFiles = (): number => Number(process.env.CANDOR_AUTO_THREADS_MIN_FILES) || 20_000;
const THREADS_MIN_BYTES = 50_000_000;
const MAX_THREADS = 8;

const HELP = `Usage: candor lint [options] [file|dir|glob|-]...

Lint support macros, canned replies and email templates for clichéd, defensive and
hierarchy-laden wording.

Output:
  -f, --format NAME        ${Object.keys(formatters).join(', ')} (default: stylish)
  -o, --output-file PATH   Write the report to a file instead of stdout
      --max-warnings N     Exit 1 when there are more than N warnings
      --quiet              Report errors only
      --color, --no-color  Force colors on or off

Input:
  -c, --config PATH        Use this config file instead of looking for .candor.json
      --stdin-filename P   With "-": the path stdin stands for (picks the format and config)
      --no-gitignore       Do not skip files listed in .gitignore

Fixing:
      --fix                Apply the rewrites rules mark as safe, in place (atomic writes).
                           With "-": print the fixed text to stdout
      --fix-dry-run        Print the fixes as a unified diff; change nothing
      --fix-type LIST      Only fix these categories: cliche,defensive,hierarchy

Legacy libraries:
      --baseline-create F  Record today's findings in F (then they are not reported)
      --baseline F         Report and fail only on findings not recorded in F
      --baseline-update    With --baseline: drop entries that no longer match from F

Scale:
      --cache              Skip files unchanged since the last run (same content, config, version)
      --cache-location P   Cache file or folder (default: .candorcache; implies --cache)
      --threads N|auto|off Threads that lint (default: auto — all cores for > 20000 files or > 50 MB)
      --shard I/N          Lint only the I-th of N deterministic slices of the file list

  -h, --help               Show this help
  -v, --version            Show the version

Other commands:
  candor rules             List every built-in rule

When stdout carries a diff (--fix-dry-run) or fixed text (--fix with "-"), the report goes
to --output-file if given, otherwise to stderr.

Exit codes: 0 no errors, 1 errors found or too many warnings, 2 usage/config/I/O error.
`;

export async function runCli(io: CliIO): Promise<number> {
  try {
    return await run(io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigNotFoundError || err instanceof BaselineError) {
      io.stderr(`candor: ${err.message}\n`);
      return 2;
    }
    io.stderr(`candor: internal error: ${(err as Error).stack ?? err}\n`);
    return 2;
  }
}

interface Options {
  formatName: string;
  maxWarnings: number;
  fix?: 'write' | 'dry-run';
  fixTypes?: Category[];
  threads: number | 'auto';
  shard?: Shard;
}

function parseOptions(args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        'output-file': { type: 'string', short: 'o' },
        config: { type: 'string', short: 'c' },
        'stdin-filename': { type: 'string' },
        'max-warnings': { type: 'string' },
        quiet: { type: 'boolean' },
        'no-gitignore': { type: 'boolean' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        fix: { type: 'boolean' },
        'fix-dry-run': { type: 'boolean' },
        'fix-type': { type: 'string', multiple: true },
        baseline: { type: 'string' },
        'baseline-create': { type: 'string' },
        'baseline-update': { type: 'boolean' },
        cache: { type: 'boolean' },
        'cache-location': { type: 'string' },
        threads: { type: 'string' },
        shard: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nRun "candor --help" for usage.`);
  }
  const v = parsed.values;
  const options: Options = { formatName: v.format ?? 'stylish', maxWarnings: -1, threads: 'auto' };
  if (!formatters[options.formatName]) throw new UsageError(`unknown format "${options.formatName}". Choose one of: ${Object.keys(formatters).join(', ')}.`);
  if (v['max-warnings'] !== undefined) {
    options.maxWarnings = Number(v['max-warnings']);
    if (!/^\d+$/.test(v['max-warnings'])) throw new UsageError(`--max-warnings takes a whole number ≥ 0, not "${v['max-warnings']}".`);
  }
  if (v.fix && v['fix-dry-run']) throw new UsageError('use either --fix or --fix-dry-run, not both.');
  if (v.fix) options.fix = 'write';
  if (v['fix-dry-run']) options.fix = 'dry-run';
  if (v['fix-type']) {
    if (!options.fix) throw new UsageError('--fix-type goes with --fix or --fix-dry-run.');
    const types = v['fix-type'].flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
    const bad = types.filter((t) => !(CATEGORIES as readonly string[]).includes(t));
    if (bad.length || !types.length) throw new UsageError(`--fix-type takes categories (${CATEGORIES.join(', ')}), not "${bad.join(',') || v['fix-type'].join(',')}".`);
    options.fixTypes = [...new Set(types)] as Category[];
  }
  if (v.baseline && v['baseline-create']) throw new UsageError('use either --baseline or --baseline-create, not both.');
  if (v['baseline-update'] && !v.baseline) throw new UsageError('--baseline-update goes with --baseline FILE.');
  if (v.threads !== undefined) {
    const t = v.threads.trim().toLowerCase();
    if (t === 'off' || t === '0' || t === '1') options.threads = 1;
    else if (t === 'auto') options.threads = 'auto';
    else if (/^\d+$/.test(t) && Number(t) >= 1) options.threads = Number(t);
    else throw new UsageError(`--threads takes a number ≥ 1, "auto" or "off", not "${v.threads}".`);
  }
  if (v.shard !== undefined) {
    options.shard = parseShard(v.shard);
    if (!options.shard) throw new UsageError(`--shard takes I/N with 1 ≤ I ≤ N (e.g. --shard 2/4), not "${v.shard}".`);
  }
  if (v['stdin-filename'] && !parsed.positionals.includes('-')) throw new UsageError('--stdin-filename goes with "-" (read stdin).');
  if (options.shard && parsed.positionals.includes('-')) throw new UsageError('--shard splits files; it cannot be used with "-" (stdin).');
  return { values: v, positionals: parsed.positionals, options };
}

async function run(io: CliIO): Promise<number> {
  let args = io.argv;
  if (args[0] === 'rules') return listRules(io);
  if (args[0] === 'lint') args = args.slice(1);
  else if (args.length && !args[0].startsWith('-') && args[0] !== '-' && ['check', 'fix'].includes(args[0])) {
    throw new UsageError(`unknown command "${args[0]}". Did you mean "candor lint"?`);
  }
  const { values: opts, positionals: targets, options } = parseOptions(args);
  if (opts.help) {
    io.stdout(HELP);
    return 0;
  }
  if (opts.version) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  if (targets.length === 0) throw new UsageError('no files given. Usage: candor lint [file|dir|glob|-]... (see --help)');

  const started = performance.now();
  const pool = startWorkersEarly(options.threads);
  try {
    return await lintRun(io, opts, targets, options, started, pool);
  } finally {
    void pool?.terminate();
  }
}

async function lintRun(io: CliIO, opts: ReturnType<typeof parseOptions>['values'], targets: string[], options: Options, started: number, early: WorkerPool | undefined): Promise<number> {
  const configFile = opts.config ? path.resolve(io.cwd, opts.config) : undefined;
  const resolver = new ConfigResolver({ configFile });
  const baseline = opts.baseline ? Baseline.load(path.resolve(io.cwd, opts.baseline)) : undefined;

  const found = findFiles(targets.filter((t) => t !== '-'), io.cwd, resolver, !opts['no-gitignore']);
  if (found.missing.length) throw new UsageError(found.missing.map((m) => `no files match "${m}"`).join('\n'));
  // Candor's own files (baseline, cache, report) are never linted unless named explicitly.
  const own = new Set(
    [opts.baseline, opts['baseline-create'], opts['output-file'], opts['cache-location'] !== undefined || opts.cache ? LintCache.locate(io.cwd, opts['cache-location']) : undefined]
      .filter((p): p is string => !!p)
      .map((p) => path.resolve(io.cwd, p)),
  );
  const reportPath = reportPaths(io.cwd);
  let files = found.files
    .filter((f) => f.explicit || !own.has(f.file))
    .map(({ file }) => ({ file, rel: reportPath(file) }));
  const totalFiles = files.length;
  if (options.shard) files = files.filter((f) => inShard(f.rel, options.shard!));

  // --cache: files whose content and configuration are unchanged take their stored result.
  const useCache = opts.cache || opts['cache-location'] !== undefined;
  const processOptions: ProcessOptions = { fix: options.fix, fixTypes: options.fixTypes, version: VERSION, cacheKeys: useCache };
  const outcomes: FileOutcome[] = new Array(files.length);

  const cache = useCache ? new LintCache(LintCache.locate(io.cwd, opts['cache-location']), VERSION) : undefined;
  cache?.load();
  let cached = 0;
  const pending: FileTask[] = [];
  for (let i = 0; i < files.length; i++) {
    const { file, rel } = files[i];
    if (cache) {
      const hit = cacheLookup(cache, resolver, file, rel, options);
      if (hit) {
        outcomes[i] = { index: i, report: hit };
        cached++;
        continue;
      }
    }
    pending.push({ index: i, file, rel });
  }

  // Threads: `auto` lints on the main thread and, for a big run, on a worker per other core
  // too; `--threads N` runs N workers (the main thread only coordinates).
  let threads = chooseThreads(options.threads, pending);
  const auto = options.threads === 'auto';
  const workersWanted = threads > 1 ? (auto ? threads - 1 : threads) : 0;
  let pool = early;
  if (pool && pool.size !== workersWanted) {
    void pool.terminate();
    pool = undefined;
  }
  if (threads > 1) {
    const local = pending.map((t, j) => ({ ...t, index: j }));
    try {
      pool ??= WorkerPool.start(workersWanted);
      const run = await pool.run(local, configFile, processOptions, auto ? (task) => processFile(task, resolver, processOptions) : undefined);
      run.outcomes.forEach((o, j) => (outcomes[pending[j].index] = { ...o, index: pending[j].index }));
    } catch (err) {
      io.stderr(`candor: worker threads failed (${(err as Error).message}); linting on the main thread\n`);
      for (const task of pending) outcomes[task.index] = processFile(task, resolver, processOptions);
      threads = 1;
    }
  } else {
    threads = 1;
    for (const task of pending) outcomes[task.index] = processFile(task, resolver, processOptions);
  }
  if (cache) {
    for (const task of pending) {
      const o = outcomes[task.index];
      // Notices about this run's fixes are not results of the file: not cached.
      if (o.key) cache.set(task.file, { key: o.key, findings: o.report.findings, notices: o.report.notices.filter((n) => n.kind !== 'fix') });
    }
    cache.hits = cached;
    cache.misses = pending.length;
    try {
      cache.save();
    } catch (err) {
      io.stderr(`candor: cannot write the cache ${cache.file}: ${(err as Error).message}\n`);
    }
  }

  if (targets.includes('-')) {
    const name = opts['stdin-filename'];
    const abs = name ? path.resolve(io.cwd, name) : path.join(io.cwd, '<stdin>');
    const rel = name ? toPosix(path.relative(io.cwd, abs)) : '<stdin>';
    const bytes = await io.readStdin();
    outcomes.push(processFile({ index: outcomes.length, file: abs, rel, bytes, stdinPath: name }, resolver, processOptions));
  }
  const reports: FileReport[] = outcomes.map((o) => o.report);

  // An invalid config is exit 2 with file, line and what is wrong (the files above were
  // linted with the defaults, so the report still shows what they would find).
  let configFailed = false;
  for (const cfg of resolver.loadedConfigs()) {
    for (const issue of cfg.parsed.issues) {
      const where = `${toPosix(path.relative(io.cwd, cfg.path)) || cfg.path}:${issue.line}:${issue.column}`;
      io.stderr(`candor: ${where}: ${issue.severity}: ${issue.message}\n`);
      if (issue.severity === 'error') configFailed = true;
    }
  }

  // Baseline: create, or hide the known findings and count the stale entries.
  let baselineSummary: BaselineSummary | undefined;
  if (opts['baseline-create']) {
    const file = path.resolve(io.cwd, opts['baseline-create']);
    const created = Baseline.empty(file);
    const n = created.record(reports, io.cwd);
    try {
      created.save();
    } catch (err) {
      throw new BaselineError(`cannot write the baseline ${opts['baseline-create']}: ${(err as Error).message}`);
    }
    const { summary } = created.apply(reports, io.cwd);
    baselineSummary = { file: toPosix(path.relative(io.cwd, file)), ...summary, created: true };
    io.stderr(`candor: recorded ${n} finding${n === 1 ? '' : 's'} in ${opts['baseline-create']}\n`);
  } else if (baseline) {
    const { summary, staleIds } = baseline.apply(reports, io.cwd);
    baselineSummary = { file: toPosix(path.relative(io.cwd, baseline.file)), ...summary };
    if (summary.stale > 0) {
      if (opts['baseline-update']) {
        baseline.prune(staleIds);
        try {
          baseline.save();
        } catch (err) {
          throw new BaselineError(`cannot write the baseline ${opts.baseline}: ${(err as Error).message}`);
        }
        baselineSummary.updated = true;
        io.stderr(`candor: removed ${summary.stale} stale entr${summary.stale === 1 ? 'y' : 'ies'} from ${opts.baseline}\n`);
      } else {
        io.stderr(`candor: ${summary.stale} baseline entr${summary.stale === 1 ? 'y no longer matches' : 'ies no longer match'} (fixed or gone); run with --baseline-update to remove ${summary.stale === 1 ? 'it' : 'them'} from ${opts.baseline}\n`);
      }
    }
  }

  if (opts.quiet) {
    for (const r of reports) r.findings = r.findings.filter((f) => f.severity === 'error');
  }
  const summary = summarize(reports, performance.now() - started, {
    cached,
    threads,
    fix: options.fix !== undefined,
    shard: options.shard ? { index: options.shard.index, count: options.shard.count, totalFiles } : undefined,
    baseline: baselineSummary,
  });

  // What goes to stdout: the report, or a diff / the fixed stdin text (the report then goes to stderr).
  const diffs = outcomes.map((o) => o.diff).filter((d): d is string => !!d);
  const stdinOutput = outcomes.find((o) => o.output !== undefined)?.output;
  const stdoutTaken = options.fix === 'dry-run' || stdinOutput !== undefined;
  if (options.fix === 'dry-run') io.stdout(diffs.join(''));
  if (stdinOutput !== undefined) io.stdout(stdinOutput);

  const formatter = formatters[options.formatName];
  const toFile = opts['output-file'];
  const output = formatter(
    { files: reports, summary },
    {
      // A getter: only the stylish format reads it, and io.isTTY may load modules (bin.ts).
      get color() {
        return opts['no-color'] ? false : opts.color ? true : !toFile && !stdoutTaken && io.isTTY && !io.env.NO_COLOR;
      },
      cwd: io.cwd,
      version: VERSION,
      rules: allRules(resolver),
      baseline: !!baseline,
    },
  );
  if (toFile) {
    try {
      mkdirSync(path.dirname(path.resolve(io.cwd, toFile)), { recursive: true });
      writeFileSync(path.resolve(io.cwd, toFile), output);
    } catch (err) {
      io.stderr(`candor: cannot write ${toFile}: ${(err as Error).message}\n`);
      return 2;
    }
  } else if (stdoutTaken) {
    io.stderr(output);
  } else {
    io.stdout(output);
  }

  if (configFailed) return 2;
  if (reports.some((r) => r.notices.some(isFatalNotice))) return 2;
  if (summary.errors > 0) return 1;
  if (options.maxWarnings >= 0 && summary.warnings > options.maxWarnings) {
    io.stderr(`candor: ${summary.warnings} warnings found; --max-warnings is ${options.maxWarnings}.\n`);
    return 1;
  }
  return 0;
}

/** The stored report of a file, when its content and configuration are unchanged (and --fix has nothing to do). */
function cacheLookup(cache: LintCache, resolver: ConfigResolver, file: string, rel: string, options: Options): FileReport | undefined {
  const entry = cache.get(file);
  if (!entry) return undefined;
  let bytes: Buffer;
  try {
    const settings = resolver.settingsFor(file);
    if (statSync(file).size > settings.maxFileSize) return undefined;
    bytes = readFileSync(file);
    if (contentKey(bytes, configKey(settings, VERSION)) !== entry.key) return undefined;
  } catch {
    return undefined;
  }
  if (options.fix) {
    const types = options.fixTypes ? new Set(options.fixTypes) : undefined;
    if (entry.findings.some((f) => isFixable(f, { types }))) return undefined;
  }
  return { path: rel, findings: entry.findings, notices: entry.notices, ...(options.fix ? { fixed: 0 } : {}) };
}

/**
 * `--threads N` starts its workers before the files are known, so they load (~40 ms) while
 * the main thread reads configs and walks the folders. `auto` decides once the files are
 * known (starting workers that a small run then stops would take the core V8 compiles on).
 */
function startWorkersEarly(setting: number | 'auto'): WorkerPool | undefined {
  return typeof setting === 'number' && setting > 1 ? WorkerPool.start(setting) : undefined;
}

/** How many threads should lint these files (1: the main thread alone). */
function chooseThreads(setting: number | 'auto', tasks: FileTask[]): number {
  if (tasks.length < 2) return 1;
  if (setting !== 'auto') return Math.min(setting, tasks.length);
  const cores = availableParallelism();
  if (cores < 2) return 1;
  let big = tasks.length > threadsMinFiles();
  if (!big) {
    // The size of the run, estimated from up to 64 files spread over it (a stat of every file
    // cost ~10 ms per 3,000 files, for a yes/no answer against a threshold ~15x the usual run).
    const step = Math.max(1, Math.floor(tasks.length / 64));
    let bytes = 0;
    let sampled = 0;
    for (let i = 0; i < tasks.length; i += step) {
      sampled++;
      try {
        bytes += statSync(tasks[i].file).size;
      } catch {
        // reported when the file is read
      }
    }
    big = (bytes / sampled) * tasks.length > THREADS_MIN_BYTES;
  }
  return big ? Math.min(cores, MAX_THREADS) : 1;
}

/** Built-in rules and every team rule of the configs in use (for SARIF's rule metadata). */
function allRules(resolver: ConfigResolver): RuleData[] {
  const rules = [...builtinRules];
  const seen = new Set(rules.map((r) => r.id));
  for (const cfg of resolver.loadedConfigs()) {
    for (const p of cfg.parsed.config.phrases ?? []) {
      if (seen.has(p.id)) continue;
      seen.add(p.id);
      rules.push(toRuleData(p));
    }
  }
  return rules;
}

function listRules(io: CliIO): number {
  const rows = [...builtinRules].sort((a, b) => a.id.localeCompare(b.id));
  const w = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) io.stdout(`${r.id.padEnd(w)}  ${(r.severity ?? 'warning').padEnd(7)}  ${r.message}\n`);
  io.stdout(`\n${rows.length} rules. Docs: rules/README.md\n`);
  return 0;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * A file's path as reported: relative to the working directory, with forward slashes. The
 * folder's part is computed once per folder — a walk yields thousands of files from a few
 * folders, and path.relative per file cost ~10 ms on 3,200 files.
 */
function reportPaths(cwd: string): (file: string) => string {
  const folders = new Map<string, string>();
  return (file) => {
    const dir = folderOf(file);
    let rel = folders.get(dir);
    if (rel === undefined) {
      rel = toPosix(path.relative(cwd, dir));
      folders.set(dir, rel);
    }
    const name = nameOf(file);
    return rel ? `${rel}/${name}` : name;
  };
}
