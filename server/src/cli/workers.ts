import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { ConfigResolver } from '../config/resolve.js';
import { loadBuiltin } from '../engine/builtins.js';
import { processFile, type FileOutcome, type FileTask, type ProcessOptions } from './process-file.js';

/**
 * Linting on worker threads. The bundle is one file: a worker is the same CLI started with
 * the argument WORKER_ARG (and `workerData.candorWorker`), and bin.ts hands control to
 * `runWorker` instead of the CLI. node:worker_threads is loaded only then, or when a pool
 * starts: loading it costs ~3 ms of every CLI start, and most runs use one thread.
 * Workers can be started before the run knows its files (`WorkerPool.start`), so that they
 * load while the main thread reads the config and walks the folders; they get their
 * settings in a first message. Each builds its own config resolver (configs are small and
 * cached per folder) and takes batches of files from a shared queue; results are put back in
 * file order, so the output does not depend on which thread finished first.
 */

interface WorkerInit {
  configFile?: string;
  options: ProcessOptions;
}

type ToWorker = { init: WorkerInit } | { batch: FileTask[] };
type WorkerReply = { ok: true; outcomes: FileOutcome[] } | { ok: false; error: string };

const WORKER_ARG = '--candor-worker-thread';

type WorkerThreads = typeof import('node:worker_threads');
let workerThreads: WorkerThreads | undefined;

function threads(): WorkerThreads {
  return (workerThreads ??= loadBuiltin<WorkerThreads>('node:worker_threads'));
}

export function isCandorWorker(): boolean {
  if (process.argv[2] !== WORKER_ARG) return false;
  const { isMainThread, workerData } = threads();
  return !isMainThread && (workerData as { candorWorker?: boolean } | undefined)?.candorWorker === true;
}

export function runWorker(): void {
  const { parentPort } = threads();
  let resolver: ConfigResolver | undefined;
  let options: ProcessOptions | undefined;
  parentPort!.on('message', (message: ToWorker) => {
    if ('init' in message) {
      resolver = new ConfigResolver({ configFile: message.init.configFile });
      options = message.init.options;
      return;
    }
    let reply: WorkerReply;
    try {
      if (!resolver || !options) throw new Error('a batch came before the settings');
      reply = { ok: true, outcomes: message.batch.map((task) => processFile(task, resolver!, options!)) };
    } catch (err) {
      reply = { ok: false, error: (err as Error).stack ?? String(err) };
    }
    parentPort!.postMessage(reply);
  });
}

/**
 * The script a worker runs: bin/candor.js, which loads the bundle with its code cache (a
 * worker then starts in ~40 ms instead of ~60), or the bundle itself when used as a library.
 */
function workerEntry(): string {
  // In the bundle import.meta.url is defined from __filename (scripts/build.mjs).
  const bundle = fileURLToPath(import.meta.url);
  const bin = path.resolve(path.dirname(bundle), '../../bin/candor.js');
  return path.basename(bundle) === 'cli.cjs' && existsSync(bin) ? bin : bundle;
}

export class WorkerPool {
  private constructor(private readonly workers: Worker[]) {}

  /** Starts `count` workers now; they load in the background until `run` gives them work. */
  static start(count: number): WorkerPool {
    const workers: Worker[] = [];
    for (let n = 0; n < count; n++) workers.push(new (threads().Worker)(workerEntry(), { argv: [WORKER_ARG], workerData: { candorWorker: true }, stdout: false, stderr: false }));
    return new WorkerPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  terminate(): Promise<unknown> {
    return Promise.all(this.workers.map((w) => w.terminate()));
  }

  /**
   * Lints `tasks` on the pool's workers from one queue; with `processHere`, the main thread
   * takes its share too. Returns outcomes in task order and how many workers did any work.
   * The pool is terminated afterwards.
   */
  async run(
    tasks: FileTask[],
    configFile: string | undefined,
    options: ProcessOptions,
    processHere?: (task: FileTask) => FileOutcome,
  ): Promise<{ outcomes: FileOutcome[]; workersUsed: number }> {
    const results: FileOutcome[] = new Array(tasks.length);
    let done = 0;
    let next = 0;
    let workersUsed = 0;
    const batchSize = Math.max(1, Math.min(16, Math.ceil(tasks.length / ((this.workers.length + 1) * 8))));
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const finished = () => done === tasks.length || failure !== undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };

    for (const worker of this.workers) {
      let busy = false;
      let used = false;
      const send = () => {
        busy = false;
        if (next >= tasks.length) return;
        const batch = tasks.slice(next, next + batchSize);
        next += batch.length;
        busy = true;
        if (!used) {
          used = true;
          workersUsed++;
        }
        worker.postMessage({ batch } satisfies ToWorker);
      };
      worker.on('message', (reply: WorkerReply) => {
        if (!reply.ok) {
          failure = new Error(`a lint worker failed: ${reply.error}`);
          notify();
          return;
        }
        for (const o of reply.outcomes) results[o.index] = o;
        done += reply.outcomes.length;
        send();
        notify();
      });
      worker.on('error', (err) => {
        failure = err;
        notify();
      });
      worker.on('exit', (code) => {
        if (busy && !finished()) {
          failure = new Error(`a lint worker exited with code ${code}`);
          notify();
        }
      });
      // Messages queue until the worker has loaded: it starts on the first batch as soon as it can.
      worker.postMessage({ init: { configFile, options } } satisfies ToWorker);
      send();
    }

    try {
      // The main thread's share: small batches, yielding between them so worker replies get in.
      while (processHere && next < tasks.length && !failure) {
        const end = Math.min(next + 4, tasks.length);
        for (; next < end; next++) {
          results[tasks[next].index] = processHere(tasks[next]);
          done++;
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      while (!finished()) await new Promise<void>((resolve) => (wake = resolve));
      if (failure) throw failure;
    } finally {
      await this.terminate();
    }
    return { outcomes: results, workersUsed };
  }
}
