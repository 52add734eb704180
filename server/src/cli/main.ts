import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigNotFoundError, ConfigResolver } from '../config/resolve.js';
import { lint } from '../engine/lint.js';
import { builtinRules } from '../rules/builtin.js';
import { findFiles } from './find-files.js';
import { formatters } from './formatters/index.js';
import { decodeTemplate, formatBytes, readTemplate } from './read-file.js';
import { summarize, type FileNotice, type FileReport } from './report.js';

/**
 * `candor` — the headless face of the engine, for CI.
 * Exit codes: 0 no errors; 1 error-level findings or more warnings than --max-warnings;
 * 2 usage, config or I/O error (the message names the file and the problem).
 */

declare const CANDOR_VERSION: string;
const VERSION = typeof CANDOR_VERSION === 'string' ? CANDOR_VERSION : '0.0.0-dev';

export interface CliIO {
  argv: string[];
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<Buffer>;
  isTTY: boolean;
  env: Record<string, string | undefined>;
}

export class UsageError extends Error {}

const HELP = `Usage: candor lint [options] [file|dir|glob|-]...

Lint support macros, canned replies and email templates for clichéd, defensive and
hierarchy-laden wording.

Options:
  -f, --format NAME        Output format: ${Object.keys(formatters).join(', ')} (default: stylish)
  -o, --output-file PATH   Write the report to a file instead of stdout
  -c, --config PATH        Use this config file instead of looking for .candor.json
      --stdin-filename P   With "-": the path stdin stands for (picks the format and config)
      --max-warnings N     Exit 1 when there are more than N warnings
      --quiet              Report errors only
      --no-gitignore       Do not skip files listed in .gitignore
      --color, --no-color  Force colors on or off
  -h, --help               Show this help
  -v, --version            Show the version

Other commands:
  candor rules             List every built-in rule

Exit codes: 0 no errors, 1 errors found or too many warnings, 2 usage/config/I/O error.
`;

export async function runCli(io: CliIO): Promise<number> {
  try {
    return await run(io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigNotFoundError) {
      io.stderr(`candor: ${err.message}\n`);
      return 2;
    }
    io.stderr(`candor: internal error: ${(err as Error).stack ?? err}\n`);
    return 2;
  }
}

async function run(io: CliIO): Promise<number> {
  let args = io.argv;
  if (args[0] === 'rules') return listRules(io);
  if (args[0] === 'lint') args = args.slice(1);
  else if (args.length && !args[0].startsWith('-') && args[0] !== '-' && ['check', 'fix'].includes(args[0])) {
    throw new UsageError(`unknown command "${args[0]}". Did you mean "candor lint"?`);
  }
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
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nRun "candor --help" for usage.`);
  }
  const opts = parsed.values;
  if (opts.help) {
    io.stdout(HELP);
    return 0;
  }
  if (opts.version) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const formatName = opts.format ?? 'stylish';
  const formatter = formatters[formatName];
  if (!formatter) throw new UsageError(`unknown format "${formatName}". Choose one of: ${Object.keys(formatters).join(', ')}.`);
  let maxWarnings = -1;
  if (opts['max-warnings'] !== undefined) {
    maxWarnings = Number(opts['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) throw new UsageError(`--max-warnings takes a whole number ≥ 0, not "${opts['max-warnings']}".`);
  }
  const targets = parsed.positionals;
  if (targets.length === 0) throw new UsageError('no files given. Usage: candor lint [file|dir|glob|-]... (see --help)');
  if (opts['stdin-filename'] && !targets.includes('-')) throw new UsageError('--stdin-filename goes with "-" (read stdin).');

  const started = performance.now();
  const resolver = new ConfigResolver({ configFile: opts.config ? path.resolve(io.cwd, opts.config) : undefined });
  const reports: FileReport[] = [];

  const fileTargets = targets.filter((t) => t !== '-');
  const found = findFiles(fileTargets, io.cwd, resolver, !opts['no-gitignore']);
  if (found.missing.length) {
    throw new UsageError(found.missing.map((m) => `no files match "${m}"`).join('\n'));
  }
  for (const { file } of found.files) {
    const settings = resolver.settingsFor(file);
    const rel = toPosix(path.relative(io.cwd, file)) || path.basename(file);
    const read = readTemplate(file, settings.maxFileSize);
    if (!read.ok) {
      reports.push({ path: rel, findings: [], notices: [{ kind: read.reason, severity: read.reason === 'unreadable' ? 'error' : 'info', message: read.message }] });
      continue;
    }
    const result = lint(read.text, { path: file, format: settings.format, ruleSet: settings.ruleSet });
    reports.push({ path: rel, findings: result.findings, notices: [...read.notes.map(encodingNotice), ...result.problems.map(problemNotice(read.text))] });
  }
  if (targets.includes('-')) {
    const name = opts['stdin-filename'];
    const abs = name ? path.resolve(io.cwd, name) : path.join(io.cwd, '<stdin>');
    const settings = resolver.settingsFor(abs);
    const bytes = await io.readStdin();
    const read = bytes.length > settings.maxFileSize ? ({ ok: false, reason: 'too-large', message: `skipped: ${formatBytes(bytes.length)} is over the ${formatBytes(settings.maxFileSize)} limit` } as const) : decodeTemplate(bytes);
    const rel = name ? toPosix(path.relative(io.cwd, abs)) : '<stdin>';
    if (!read.ok) reports.push({ path: rel, findings: [], notices: [{ kind: read.reason, severity: 'info', message: read.message }] });
    else {
      const result = lint(read.text, { path: name, format: settings.format, ruleSet: settings.ruleSet });
      reports.push({ path: rel, findings: result.findings, notices: [...read.notes.map(encodingNotice), ...result.problems.map(problemNotice(read.text))] });
    }
  }

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

  if (opts.quiet) {
    for (const r of reports) r.findings = r.findings.filter((f) => f.severity === 'error');
  }
  const summary = summarize(reports, performance.now() - started);
  const color = opts['no-color'] ? false : opts.color ? true : io.isTTY && !io.env.NO_COLOR && !opts['output-file'];
  const output = formatter({ files: reports, summary }, { color, cwd: io.cwd });
  if (opts['output-file']) {
    const target = path.resolve(io.cwd, opts['output-file']);
    try {
      writeFileSync(target, output);
    } catch (err) {
      io.stderr(`candor: cannot write ${opts['output-file']}: ${(err as Error).message}\n`);
      return 2;
    }
  } else {
    io.stdout(output);
  }
  if (configFailed) return 2;
  if (reports.some((r) => r.notices.some((n) => n.kind === 'unreadable'))) return 2;
  if (summary.errors > 0) return 1;
  if (maxWarnings >= 0 && summary.warnings > maxWarnings) {
    io.stderr(`candor: ${summary.warnings} warnings found; --max-warnings is ${maxWarnings}.\n`);
    return 1;
  }
  return 0;
}

function listRules(io: CliIO): number {
  const rows = [...builtinRules].sort((a, b) => a.id.localeCompare(b.id));
  const w = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) io.stdout(`${r.id.padEnd(w)}  ${(r.severity ?? 'warning').padEnd(7)}  ${r.message}\n`);
  io.stdout(`\n${rows.length} rules. Docs: rules/README.md\n`);
  return 0;
}

function encodingNotice(message: string): FileNotice {
  return { kind: 'encoding', severity: 'info', message };
}

function problemNotice(text: string) {
  return (p: { kind: string; message: string; offset: number }): FileNotice => {
    const before = text.slice(0, p.offset);
    const line = before.split(/\r\n|\r|\n/).length;
    const column = p.offset - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
    return { kind: p.kind as FileNotice['kind'], severity: 'warning', message: p.message, line, column };
  };
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

