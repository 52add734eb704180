import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { ConfigResolver } from '../config/resolve.js';
import { processFile, type FileOutcome, type FileTask, type ProcessOptions } from './process-file.js';

/**
 * Linting on worker threads. The bundle is one file: a worker is the same cli.cjs started
 * with `workerData.candorWorker`, and bin.ts hands control to `runWorker` instead of the CLI.
 * Each worker builds its own config resolver (configs are small and cached per folder) and
 * takes batches of files from a shared queue; results are put back in file order, so the
 * output does not depend on which worker finished first.
 */

interface WorkerInit {
  candorWorker: true;
  configFile?: string;
  options: ProcessOptions;
}

type WorkerReply = { ok: true; outcomes: FileOutcome[] } | { ok: false; error: string };

export function isCandorWorker(): boolean {
  return !isMainThread && (workerData as WorkerInit | undefined)?.candorWorker === true;
}

export function runWorker(): void {
  const init = workerData as WorkerInit;
  const resolver = new ConfigResolver({ configFile: init.configFile });
  parentPort!.on('message', (batch: FileTask[]) => {
    let reply: WorkerReply;
    try {
      reply = { ok: true, outcomes: batch.map((task) => processFile(task, resolver, init.options)) };
    } catch (err) {
      reply = { ok: false, error: (err as Error).stack ?? String(err) };
    }
    parentPort!.postMessage(reply);
  });
  // Loaded and listening: the main thread starts sending work now.
  parentPort!.postMessage({ ok: true, outcomes: [] } satisfies WorkerReply);
}

function bundlePath(): string {
  // In the bundle import.meta.url is defined from __filename (scripts/build.mjs).
  return fileURLToPath(import.meta.url);
}

/**
 * Lints `tasks` on `workers` worker threads from one queue; with `processHere`, the main
 * thread takes its share too. It starts at once (a worker takes ~100-250 ms to load the
 * bundle and compile the rules), so a run that turns out small is done before the workers
 * would have helped, and a big run loses nothing while they start. Returns outcomes in task
 * order and how many workers did any work.
 */
export async function processInWorkers(
  tasks: FileTask[],
  workers: number,
  configFile: string | undefined,
  options: ProcessOptions,
  processHere?: (task: FileTask) => FileOutcome,
): Promise<{ outcomes: FileOutcome[]; workersUsed: number }> {
  const results: FileOutcome[] = new Array(tasks.length);
  let done = 0;
  let next = 0;
  let workersUsed = 0;
  const batchSize = Math.max(1, Math.min(16, Math.ceil(tasks.length / ((workers + 1) * 8))));
  const init: WorkerInit = { candorWorker: true, configFile, options };
  const pool: Worker[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const finished = () => done === tasks.length || failure !== undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  for (let n = 0; n < workers; n++) {
    const worker = new Worker(bundlePath(), { workerData: init, stdout: false, stderr: false });
    pool.push(worker);
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
      worker.postMessage(batch);
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
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return { outcomes: results, workersUsed };
}
