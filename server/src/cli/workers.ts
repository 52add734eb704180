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
}

function bundlePath(): string {
  // In the bundle import.meta.url is defined from __filename (scripts/build.mjs).
  return fileURLToPath(import.meta.url);
}

export async function processInWorkers(tasks: FileTask[], threads: number, configFile: string | undefined, options: ProcessOptions): Promise<FileOutcome[]> {
  const results: FileOutcome[] = new Array(tasks.length);
  // Small batches keep the workers evenly loaded; not so small that messaging dominates.
  const batchSize = Math.max(1, Math.min(32, Math.ceil(tasks.length / (threads * 8))));
  let next = 0;
  const init: WorkerInit = { candorWorker: true, configFile, options };
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: threads }, () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(bundlePath(), { workerData: init, stdout: false, stderr: false });
          workers.push(worker);
          const send = () => {
            if (next >= tasks.length) {
              resolve();
              return;
            }
            const batch = tasks.slice(next, next + batchSize);
            next += batch.length;
            worker.postMessage(batch);
          };
          worker.on('message', (reply: WorkerReply) => {
            if (!reply.ok) {
              reject(new Error(`a lint worker failed: ${reply.error}`));
              return;
            }
            for (const o of reply.outcomes) results[o.index] = o;
            send();
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`a lint worker exited with code ${code}`));
          });
          send();
        }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
