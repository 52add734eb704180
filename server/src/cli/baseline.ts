import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { baselineFingerprint, findingKeys } from './fingerprint.js';
import type { BaselineSummary, FileReport } from './report.js';

/**
 * A baseline records the findings a legacy library already has, so CI fails only on new
 * ones. An entry is keyed by file, rule, normalized matched text and occurrence index — never
 * by line — so editing elsewhere in a file does not bring old findings back. Paths are stored
 * relative to the baseline file, so it works from any working directory.
 */

export interface BaselineEntry {
  ruleId: string;
  /** Normalized matched text. */
  text: string;
  occurrence: number;
  fingerprint: string;
}

export interface BaselineFile {
  candorBaseline: 1;
  /** Path (relative to the baseline file, forward slashes) → its known findings. */
  files: Record<string, BaselineEntry[]>;
}

export class BaselineError extends Error {}

export class Baseline {
  private constructor(
    readonly file: string,
    private readonly data: BaselineFile,
  ) {}

  static empty(file: string): Baseline {
    return new Baseline(file, { candorBaseline: 1, files: {} });
  }

  static load(file: string): Baseline {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new BaselineError(`cannot read the baseline ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (create it with --baseline-create)' : (err as Error).message}`);
    }
    let data: BaselineFile;
    try {
      data = JSON.parse(text) as BaselineFile;
    } catch (err) {
      throw new BaselineError(`the baseline ${file} is not valid JSON: ${(err as Error).message}`);
    }
    if (data?.candorBaseline !== 1 || typeof data.files !== 'object' || data.files === null) {
      throw new BaselineError(`${file} is not a Candor baseline (expected {"candorBaseline": 1, "files": {…}})`);
    }
    return new Baseline(file, data);
  }

  /** The baseline's key for a file reported as `rel` from `cwd`. */
  private id(cwd: string, rel: string): string {
    return path.relative(path.dirname(this.file), path.resolve(cwd, rel)).split(path.sep).join('/');
  }

  /** Records every finding of the reports (replacing what the baseline had for those files). */
  record(reports: FileReport[], cwd: string): number {
    let n = 0;
    for (const r of reports) {
      const id = this.id(cwd, r.path);
      const keys = findingKeys(r.findings);
      if (keys.length === 0) {
        delete this.data.files[id];
        continue;
      }
      this.data.files[id] = keys.map((k) => ({ ruleId: k.ruleId, text: k.text, occurrence: k.occurrence, fingerprint: baselineFingerprint(id, k) }));
      n += keys.length;
    }
    return n;
  }

  /**
   * Removes the findings the baseline knows from the reports, in place, and counts what is
   * new and what is stale: entries of linted files that matched nothing, and entries of files
   * that no longer exist. Files the run did not lint (another shard, another folder) are
   * neither matched nor stale.
   */
  apply(reports: FileReport[], cwd: string): { summary: Omit<BaselineSummary, 'file'>; staleIds: Map<string, Set<string>> } {
    let known = 0;
    let fresh = 0;
    const staleIds = new Map<string, Set<string>>();
    const staleEntries: BaselineSummary['staleEntries'] = [];
    const linted = new Set<string>();
    for (const r of reports) {
      const id = this.id(cwd, r.path);
      linted.add(id);
      const entries = this.data.files[id] ?? [];
      const unmatched = new Set(entries.map((e) => e.fingerprint));
      const keys = findingKeys(r.findings);
      r.findings = r.findings.filter((_, i) => {
        const fp = baselineFingerprint(id, keys[i]);
        if (unmatched.has(fp)) {
          unmatched.delete(fp);
          known++;
          return false;
        }
        fresh++;
        return true;
      });
      if (unmatched.size) {
        staleIds.set(id, unmatched);
        for (const e of entries) if (unmatched.has(e.fingerprint)) staleEntries.push({ path: this.display(cwd, id), ruleId: e.ruleId, text: e.text });
      }
    }
    for (const [id, entries] of Object.entries(this.data.files)) {
      if (linted.has(id) || existsSync(path.resolve(path.dirname(this.file), id))) continue;
      staleIds.set(id, new Set(entries.map((e) => e.fingerprint)));
      for (const e of entries) staleEntries.push({ path: this.display(cwd, id), ruleId: e.ruleId, text: e.text });
    }
    return { summary: { known, new: fresh, stale: staleEntries.length, staleEntries }, staleIds };
  }

  /** Drops stale entries (as found by `apply`). */
  prune(staleIds: Map<string, Set<string>>): void {
    for (const [id, fps] of staleIds) {
      const kept = (this.data.files[id] ?? []).filter((e) => !fps.has(e.fingerprint));
      if (kept.length) this.data.files[id] = kept;
      else delete this.data.files[id];
    }
  }

  private display(cwd: string, id: string): string {
    return path.relative(cwd, path.resolve(path.dirname(this.file), id)).split(path.sep).join('/');
  }

  save(): void {
    const files: Record<string, BaselineEntry[]> = {};
    for (const id of Object.keys(this.data.files).sort()) {
      files[id] = [...this.data.files[id]].sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.text.localeCompare(b.text) || a.occurrence - b.occurrence);
    }
    const out: BaselineFile = { candorBaseline: 1, files };
    // One entry per line: reviewable diffs when the baseline shrinks.
    const body = Object.entries(out.files)
      .map(([id, entries]) => `    ${JSON.stringify(id)}: [\n${entries.map((e) => `      ${JSON.stringify(e)}`).join(',\n')}\n    ]`)
      .join(',\n');
    const text = `{\n  "candorBaseline": 1,\n  "files": {${body ? `\n${body}\n  ` : ''}}\n}\n`;
    writeFileAtomic(this.file, Buffer.from(text));
  }
}
