import { fileURLToPath } from 'node:url';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { ConfigResolver } from '../config/resolve.js';
import { defaultRuleSet, lint, type LintResult } from '../engine/lint.js';
import type { FormatId } from '../engine/types.js';
import { baseConfig, type ClientSettings } from './settings.js';

/**
 * Large documents are linted on a worker thread so a 1 MB file never blocks hovers, code
 * actions or the lint of the small file the writer is typing in. The worker runs the same
 * bundle (server.cjs started with `workerData.candorWorker`), resolves the same settings
 * (client settings + .candor.json, with unsaved config buffers sent along) and calls the same
 * engine. A newer version of the document cancels a stale job: queued jobs are replaced, and a
 * running one is stopped by terminating the thread (lint() is synchronous, so that is the only
 * way to interrupt it); a fresh thread starts for the next job.
 */

export interface WorkerJob {
  uri: string;
  version: number;
  text: string;
  file?: string;
  format?: FormatId;
  trusted: boolean;
  client: ClientSettings;
  generation: number;
  /** Unsaved .candor.json buffers by path. */
  openConfigs: Record<string, string>;
}

type Reply = { id: number; ok: true; result: LintResult } | { id: number; ok: false; error: string };

export const WORKER_FLAG = 'candorLintWorker';

export function isLintWorker(): boolean {
  return Boolean(parentPort && workerData && (workerData as Record<string, unknown>)[WORKER_FLAG]);
}

/** The worker thread's side. */
export function runLintWorker(): void {
  let generation = -1;
  const resolvers = new Map<string, ConfigResolver>();
  let openConfigs: Record<string, string> = {};
  parentPort!.on('message', (msg: { id: number; job: WorkerJob }) => {
    const { id, job } = msg;
    try {
      if (job.generation !== generation) {
        generation = job.generation;
        resolvers.clear();
      }
      openConfigs = job.openConfigs;
      let ruleSet = defaultRuleSet();
      let format = job.format;
      if (job.file && job.trusted) {
        const base = baseConfig(job.client);
        const key = JSON.stringify(base);
        let r = resolvers.get(key);
        if (!r) resolvers.set(key, (r = new ConfigResolver({ base, readFile: (f) => openConfigs[f] })));
        const s = r.settingsFor(job.file);
        ruleSet = s.ruleSet;
        format ??= s.format;
      }
      const result = lint(job.text, { path: job.file, format, ruleSet });
      parentPort!.postMessage({ id, ok: true, result } satisfies Reply);
    } catch (err) {
      parentPort!.postMessage({ id, ok: false, error: (err as Error)?.stack ?? String(err) } satisfies Reply);
    }
  });
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled: a newer version of the document arrived');
  }
}

interface Pending {
  id: number;
  job: WorkerJob;
  resolve: (r: LintResult) => void;
  reject: (e: Error) => void;
}

/** The main thread's side: one worker, one job at a time, newest version per document. */
export class LintWorkerPool {
  private worker: Worker | undefined;
  private running: Pending | undefined;
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private disposed = false;

  constructor(
    private readonly entry: string,
    private readonly log: (msg: string) => void,
  ) {}

  static defaultEntry(): string {
    return fileURLToPath(import.meta.url);
  }

  lint(job: WorkerJob): Promise<LintResult> {
    return new Promise<LintResult>((resolve, reject) => {
      // Replace a queued job of the same document; stop a running stale one.
      for (let i = this.queue.length - 1; i >= 0; i--) {
        if (this.queue[i].job.uri === job.uri) this.queue.splice(i, 1)[0].reject(new CancelledError());
      }
      this.queue.push({ id: this.nextId++, job, resolve, reject });
      if (this.running && this.running.job.uri === job.uri && this.running.job.version !== job.version) {
        this.cancelRunning();
      }
      this.pump();
    });
  }

  /** A document closed: drop its jobs. */
  cancel(uri: string): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].job.uri === uri) this.queue.splice(i, 1)[0].reject(new CancelledError());
    }
    if (this.running?.job.uri === uri) this.cancelRunning();
  }

  dispose(): void {
    this.disposed = true;
    for (const p of this.queue.splice(0)) p.reject(new CancelledError());
    this.cancelRunning();
  }

  private cancelRunning(): void {
    const running = this.running;
    this.running = undefined;
    const w = this.worker;
    this.worker = undefined;
    if (w) {
      w.removeAllListeners();
      void w.terminate();
    }
    running?.reject(new CancelledError());
  }

  private spawn(): Worker {
    const w = new Worker(this.entry, { workerData: { [WORKER_FLAG]: true }, stdout: true, stderr: true });
    w.stdout.on('data', (d) => this.log(String(d)));
    w.stderr.on('data', (d) => this.log(String(d)));
    w.on('message', (reply: Reply) => {
      const p = this.running;
      if (!p || p.id !== reply.id) return;
      this.running = undefined;
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(reply.error));
      this.pump();
    });
    w.on('error', (err) => {
      this.log(`lint worker failed: ${err.stack ?? err}`);
      const p = this.running;
      this.running = undefined;
      this.worker = undefined;
      p?.reject(err);
      this.pump();
    });
    w.on('exit', () => {
      if (this.worker === w) this.worker = undefined;
    });
    w.unref();
    return w;
  }

  private pump(): void {
    if (this.disposed || this.running) return;
    const next = this.queue.shift();
    if (!next) return;
    this.worker ??= this.spawn();
    this.running = next;
    this.worker.postMessage({ id: next.id, job: next.job });
  }
}
