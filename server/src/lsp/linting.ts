import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { lint, type LintResult } from '../engine/lint.js';
import { LineIndex } from '../engine/positions.js';
import type { Finding, FormatId } from '../engine/types.js';
import { findingToDiagnostic, problemToDiagnostic, tooLargeDiagnostic } from './diagnostics.js';
import type { DocumentSettings } from './settings.js';
import { CancelledError, type LintWorkerPool, type WorkerJob } from './worker.js';

/**
 * Lints documents and remembers the result per document version, so hover and code actions
 * reuse the lint the diagnostics came from. Small documents are linted inline (the engine
 * takes a few milliseconds on a 5 KB template); large ones on the worker thread.
 */

/** Documents above this many UTF-16 units go to the worker thread. */
export const WORKER_THRESHOLD = 64 * 1024;

export interface LintOutcome {
  uri: string;
  version: number;
  generation: number;
  text: string;
  lines: LineIndex;
  /** The format the engine linted the text as (undefined when skipped). */
  format?: FormatId;
  findings: Finding[];
  diagnostics: Diagnostic[];
  settings: DocumentSettings;
  /** Set when the document was not linted. */
  skipped?: 'disabled' | 'too-large' | 'error';
  durationMs: number;
}

export interface LinterHost {
  settings(doc: TextDocument): Promise<DocumentSettings>;
  generation(): number;
  filePath(uri: string): string | undefined;
  workerJobExtras(): Pick<WorkerJob, 'trusted' | 'openConfigs'>;
  log(msg: string): void;
}

export class DocumentLinter {
  private readonly cache = new Map<string, LintOutcome>();
  private readonly inflight = new Map<string, { version: number; generation: number; promise: Promise<LintOutcome> }>();
  /** Bumped when a document closes: a reopened one restarts at version 1, so versions alone cannot tell a lint of the closed text from one of the new. */
  private readonly epochs = new Map<string, number>();

  constructor(
    private readonly host: LinterHost,
    private readonly pool: LintWorkerPool,
  ) {}

  /** The outcome for the document's current version, if already computed. */
  cached(doc: TextDocument): LintOutcome | undefined {
    const c = this.cache.get(doc.uri);
    return c && c.version === doc.version && c.generation === this.host.generation() ? c : undefined;
  }

  /** Lint the document's current version (or reuse the result already computed for it). */
  lint(doc: TextDocument): Promise<LintOutcome> {
    const hit = this.cached(doc);
    if (hit) return Promise.resolve(hit);
    const generation = this.host.generation();
    const running = this.inflight.get(doc.uri);
    if (running && running.version === doc.version && running.generation === generation) return running.promise;
    const epoch = this.epochs.get(doc.uri) ?? 0;
    const promise = this.compute(doc, generation).then(
      (outcome) => {
        if (this.inflight.get(doc.uri)?.promise === promise) this.inflight.delete(doc.uri);
        const prev = this.cache.get(doc.uri);
        if ((this.epochs.get(doc.uri) ?? 0) === epoch && (!prev || prev.version <= outcome.version)) this.cache.set(doc.uri, outcome);
        return outcome;
      },
      (err) => {
        if (this.inflight.get(doc.uri)?.promise === promise) this.inflight.delete(doc.uri);
        throw err;
      },
    );
    this.inflight.set(doc.uri, { version: doc.version, generation, promise });
    return promise;
  }

  forget(uri: string): void {
    this.epochs.set(uri, (this.epochs.get(uri) ?? 0) + 1);
    this.cache.delete(uri);
    this.inflight.delete(uri);
    this.pool.cancel(uri);
  }

  clear(): void {
    this.cache.clear();
  }

  private async compute(doc: TextDocument, generation: number): Promise<LintOutcome> {
    const settings = await this.host.settings(doc);
    const text = doc.getText();
    const version = doc.version;
    const started = performance.now();
    const base = { uri: doc.uri, version, generation, text, settings };
    const lines = new LineIndex(text);
    const done = (findings: Finding[], diagnostics: Diagnostic[], skipped?: LintOutcome['skipped'], format?: FormatId): LintOutcome => ({
      ...base,
      format,
      lines,
      findings,
      diagnostics,
      skipped,
      durationMs: performance.now() - started,
    });
    if (!settings.enabled) return done([], [], 'disabled');
    const size = text.length * 3 <= settings.maxFileSize ? text.length : Buffer.byteLength(text, 'utf8');
    if (size > settings.maxFileSize) return done([], [tooLargeDiagnostic(size, settings.maxFileSize)], 'too-large');
    const file = this.host.filePath(doc.uri);
    let result: LintResult;
    try {
      if (text.length > WORKER_THRESHOLD) {
        result = await this.pool.lint({
          uri: doc.uri,
          version,
          text,
          file,
          format: settings.format,
          client: settings.client,
          generation,
          ...this.host.workerJobExtras(),
        });
      } else {
        result = lint(text, { path: file ?? pathHint(doc), format: settings.format, ruleSet: settings.ruleSet });
      }
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      // Bad input must never take the server down: log it and show nothing for this file.
      this.host.log(`Linting ${doc.uri} failed: ${(err as Error)?.stack ?? err}`);
      return done([], [], 'error');
    }
    const diagnostics = result.findings.map((f) => findingToDiagnostic(f, lines));
    for (const p of result.problems) diagnostics.push(problemToDiagnostic(p, lines));
    return done(result.findings, diagnostics, undefined, result.format);
  }
}

/** A file name for format detection when the document is not a file (untitled:, etc.). */
function pathHint(doc: TextDocument): string | undefined {
  const ext: Record<string, string> = {
    markdown: 'x.md',
    html: 'x.html',
    liquid: 'x.liquid',
    handlebars: 'x.hbs',
    json: 'x.json',
    jsonc: 'x.json',
    yaml: 'x.yaml',
    jinja: 'x.j2',
    'jinja-html': 'x.j2',
    'django-html': 'x.html',
    twig: 'x.twig',
    nunjucks: 'x.njk',
    erb: 'x.erb',
    plaintext: 'x.txt',
  };
  return ext[doc.languageId] ?? doc.uri.split(/[/\\]/).pop();
}
