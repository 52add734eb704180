import { createHash } from '../engine/builtins.js';
import type { ConfigResolver, FileSettings } from '../config/resolve.js';
import { lint, type LintResult } from '../engine/lint.js';
import type { Category, InputProblem } from '../engine/types.js';
import { RULES_VERSION } from '../rules/builtin.js';
import { unifiedDiff } from './diff.js';
import { writeFileAtomic } from './atomic-write.js';
import { fixText, isFixable } from './fix.js';
import { decodeTemplate, encodeTemplate, formatBytes, readTemplate, type ReadResult } from './read-file.js';
import type { FileNotice, FileReport } from './report.js';

/**
 * Everything the CLI does to one file — read, decode, check the cache key, lint, fix, write —
 * as one function of plain data, so it runs the same on the main thread and in a worker.
 */

export interface FileTask {
  index: number;
  /** Absolute path (for stdin: the path whose config applies). */
  file: string;
  /** Path as reported (relative to the working directory, forward slashes). */
  rel: string;
  /** Stdin: the bytes read (the file is not read from disk). */
  bytes?: Uint8Array;
  /** Stdin: the path it stands for (picks format and config), if any. */
  stdinPath?: string;
}

export interface ProcessOptions {
  fix?: 'write' | 'dry-run';
  fixTypes?: Category[];
  version: string;
  /** --cache: compute each file's cache key (a hash of its bytes and config). */
  cacheKeys?: boolean;
}

export interface FileOutcome {
  index: number;
  report: FileReport;
  /** Cache key of the file's (final) content under its config; absent when it must not be cached. */
  key?: string;
  /** --fix-dry-run: the unified diff of the fixes. */
  diff?: string;
  /** Stdin with --fix: the bytes to print — the fixed text in the input's encoding, or the input as it came. */
  output?: Uint8Array;
}

const configKeys = new Map<string, string>();

/** A hash of everything about the configuration that can change a file's findings. */
export function configKey(settings: FileSettings, version: string): string {
  const id = `${settings.configs.map((c) => c.path).join('\u0000')}\u0001${settings.format ?? ''}\u0001${settings.maxFileSize}`;
  let key = configKeys.get(id);
  if (!key) {
    key = createHash('sha1')
      .update(JSON.stringify({ version, rules: RULES_VERSION, configs: settings.configs.map((c) => [c.path, c.parsed.invalid, c.parsed.config]), format: settings.format ?? null, maxFileSize: settings.maxFileSize }))
      .digest('hex');
    configKeys.set(id, key);
  }
  return key;
}

export function contentKey(bytes: Uint8Array, config: string): string {
  return createHash('sha1').update(config).update('\u0000').update(bytes).digest('hex');
}

export function processFile(task: FileTask, resolver: ConfigResolver, options: ProcessOptions): FileOutcome {
  const report: FileReport = { path: task.rel, findings: [], notices: [] };
  const outcome: FileOutcome = { index: task.index, report };
  try {
    const settings = resolver.settingsFor(task.file);
    let read: ReadResult;
    if (task.bytes) {
      read =
        task.bytes.length > settings.maxFileSize
          ? { ok: false, reason: 'too-large', message: `skipped: ${formatBytes(task.bytes.length)} is over the ${formatBytes(settings.maxFileSize)} limit` }
          : decodeTemplate(task.bytes);
    } else {
      read = readTemplate(task.file, settings.maxFileSize);
    }
    if (!read.ok) {
      report.notices.push({ kind: read.reason, severity: read.reason === 'unreadable' ? 'error' : 'info', message: read.message });
      if (task.bytes && options.fix === 'write') outcome.output = task.bytes;
      return outcome;
    }
    const config = options.cacheKeys ? configKey(settings, options.version) : '';
    const key = options.cacheKeys ? contentKey(read.bytes, config) : undefined;
    const lintText = (text: string): LintResult => lint(text, { path: task.bytes ? task.stdinPath : task.file, format: settings.format, ruleSet: settings.ruleSet });
    const notes: FileNotice[] = read.notes.map((message) => ({ kind: 'encoding', severity: 'info', message }));

    if (!options.fix) {
      const result = lintText(read.text);
      report.findings = result.findings;
      report.notices = [...notes, ...result.problems.map((p) => problemNotice(read.text, p))];
      outcome.key = key;
      return outcome;
    }

    const types = options.fixTypes ? new Set(options.fixTypes) : undefined;
    let result = lintText(read.text);
    let text = read.text;
    if (result.findings.some((f) => isFixable(f, { types }))) {
      if (read.lossy) {
        notes.push({ kind: 'fix', severity: 'warning', message: 'not fixed: the file is not valid UTF-8 (or UTF-16), and writing it back would lose bytes' });
      } else {
        const fixed = fixText(read.text, lintText, { types });
        if (fixed.rejected) {
          notes.push({ kind: 'fix', severity: 'warning', message: `not fixed: ${fixed.rejected}` });
        } else if (fixed.text !== read.text) {
          text = fixed.text;
          result = fixed.result;
          report.fixed = fixed.applied;
        }
      }
    }
    report.findings = result.findings;
    report.notices = [...notes, ...result.problems.map((p) => problemNotice(text, p))];
    if (text === read.text) {
      if (task.bytes && options.fix === 'write') outcome.output = task.bytes;
      outcome.key = key;
      return outcome;
    }
    const bytes = encodeTemplate(text, read.encoding, read.bom);
    if (task.bytes) {
      if (options.fix === 'write') outcome.output = bytes;
      else outcome.diff = unifiedDiff(read.text, text, `a/${task.rel}`, `b/${task.rel}`);
      return outcome;
    }
    if (options.fix === 'dry-run') {
      outcome.diff = unifiedDiff(read.text, text, `a/${task.rel}`, `b/${task.rel}`);
      return outcome; // the file keeps its old content: nothing to cache
    }
    try {
      writeFileAtomic(task.file, bytes, read.bytes);
      if (options.cacheKeys) outcome.key = contentKey(bytes, config);
    } catch (err) {
      report.fixed = 0;
      const r = lintText(read.text);
      report.findings = r.findings;
      report.notices = [...notes, ...r.problems.map((p) => problemNotice(read.text, p))];
      report.notices.push({ kind: 'fix', severity: 'error', message: `could not write the fixes: ${(err as Error).message}` });
    }
    return outcome;
  } catch (err) {
    report.findings = [];
    report.notices.push({ kind: 'internal', severity: 'error', message: `internal error while linting this file: ${(err as Error).message}` });
    return outcome;
  }
}

function problemNotice(text: string, p: InputProblem): FileNotice {
  const before = text.slice(0, p.offset);
  const line = before.split(/\r\n|\r|\n/).length;
  const column = p.offset - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return { kind: p.kind as FileNotice['kind'], severity: 'warning', message: p.message, line, column };
}
