import { statSync } from 'node:fs';
import type { CancellationToken, Diagnostic, WorkDoneProgressReporter, WorkDoneProgressServerReporter } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { findFiles } from '../cli/find-files.js';
import { readTemplate } from '../cli/read-file.js';
import { lint } from '../engine/lint.js';
import { LineIndex } from '../engine/positions.js';
import { findingToDiagnostic, problemToDiagnostic, tooLargeDiagnostic } from './diagnostics.js';
import type { DocumentSettingsCache } from './settings.js';
import { DEFAULT_SETTINGS, type ClientSettings } from './settings.js';
import { CancelledError, type LintWorkerPool } from './worker.js';
import { WORKER_THRESHOLD } from './linting.js';

/**
 * "Candor: Lint workspace": every file the CLI would lint in each workspace folder (same
 * discovery: .candor.json "files"/"ignore", .gitignore, never node_modules), linted and
 * published as diagnostics, with work-done progress the user can cancel. The loop yields to
 * the event loop between files so the editor's own requests are answered meanwhile.
 */

export interface WorkspaceLintHost {
  folders(): string[];
  isOpen(uri: string): boolean;
  clientSettings(uri: string): Promise<ClientSettings>;
  trusted(): boolean;
  publish(uri: string, diagnostics: Diagnostic[]): void;
  generation(): number;
  openConfigs(): Record<string, string>;
  log(msg: string): void;
}

export interface WorkspaceLintResult {
  files: number;
  findings: number;
  filesWithFindings: number;
  skipped: number;
  cancelled: boolean;
  durationMs: number;
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

export async function lintWorkspace(
  host: WorkspaceLintHost,
  settingsCache: DocumentSettingsCache,
  pool: LintWorkerPool,
  progress: WorkDoneProgressReporter,
  token: CancellationToken | undefined,
  published: Set<string>,
): Promise<WorkspaceLintResult> {
  const started = performance.now();
  const result: WorkspaceLintResult = { files: 0, findings: 0, filesWithFindings: 0, skipped: 0, cancelled: false, durationMs: 0 };
  progress.begin('Candor: linting workspace', 0, 'Finding files…', true);
  const progressToken = (progress as Partial<WorkDoneProgressServerReporter>).token;
  const cancelled = () => Boolean(token?.isCancellationRequested || progressToken?.isCancellationRequested);
  try {
    const targets: Array<{ file: string; client: ClientSettings }> = [];
    for (const folder of host.folders()) {
      const client = host.trusted() ? await host.clientSettings(URI.file(folder).toString()) : DEFAULT_SETTINGS;
      if (!client.enable) continue;
      const resolver = settingsCache.resolverFor(client);
      for (const f of findFiles([folder], folder, resolver, true).files) targets.push({ file: f.file, client });
      await yieldToEventLoop();
      if (cancelled()) break;
    }
    const stillPublished = new Set<string>();
    let lastReport = 0;
    for (let i = 0; i < targets.length && !cancelled(); i++) {
      const { file, client } = targets[i];
      const uri = URI.file(file).toString();
      if (host.isOpen(uri)) {
        result.files++;
        continue; // open documents are linted live, from the editor's text
      }
      const resolver = settingsCache.resolverFor(client);
      const settings = resolver.settingsFor(file);
      const diagnostics: Diagnostic[] = [];
      const read = readTemplate(file, client.maxFileSize && !settings.configs.some((c) => c.parsed.config.maxFileSize) ? client.maxFileSize : settings.maxFileSize);
      if (!read.ok) {
        result.skipped++;
        if (read.reason === 'too-large') diagnostics.push(tooLargeDiagnostic(statSync(file, { throwIfNoEntry: false })?.size ?? 0, settings.maxFileSize));
      } else {
        try {
          const lintResult =
            read.text.length > WORKER_THRESHOLD
              ? await pool.lint({
                  uri,
                  version: 0,
                  text: read.text,
                  file,
                  format: settings.format,
                  client,
                  generation: host.generation(),
                  trusted: host.trusted(),
                  openConfigs: host.openConfigs(),
                })
              : lint(read.text, { path: file, format: settings.format, ruleSet: settings.ruleSet });
          const lines = new LineIndex(read.text);
          for (const f of lintResult.findings) diagnostics.push(findingToDiagnostic(f, lines));
          for (const p of lintResult.problems) diagnostics.push(problemToDiagnostic(p, lines));
          result.findings += lintResult.findings.length;
          if (lintResult.findings.length) result.filesWithFindings++;
        } catch (err) {
          if (err instanceof CancelledError) continue;
          host.log(`Linting ${file} failed: ${(err as Error)?.stack ?? err}`);
        }
      }
      result.files++;
      if (diagnostics.length || published.has(uri)) host.publish(uri, diagnostics);
      if (diagnostics.length) stillPublished.add(uri);
      const now = performance.now();
      if (now - lastReport > 100) {
        lastReport = now;
        progress.report(Math.round(((i + 1) / targets.length) * 100), `${i + 1}/${targets.length} files`);
      }
      await yieldToEventLoop();
    }
    result.cancelled = cancelled();
    if (!result.cancelled) {
      for (const uri of published) if (!stillPublished.has(uri) && !host.isOpen(uri)) host.publish(uri, []);
      published.clear();
    }
    for (const uri of stillPublished) published.add(uri);
  } finally {
    progress.done();
  }
  result.durationMs = Math.round(performance.now() - started);
  return result;
}
