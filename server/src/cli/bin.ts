import { closeSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FdOutput } from './fd-output.js';
import { runCli } from './main.js';
import { isCandorWorker, runWorker } from './workers.js';

/** Process entry of `candor`: wires the CLI to the real process. */
async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

// The bundle is also the worker-thread entry (see workers.ts).
if (isCandorWorker()) {
  runWorker();
} else {
  const stdout = new FdOutput(1, () => process.stdout);
  const stderr = new FdOutput(2, () => process.stderr);
  runCli({
    argv: process.argv.slice(2),
    cwd: process.cwd(),
    stdout: (s) => stdout.write(s),
    stderr: (s) => stderr.write(s),
    readStdin,
    // Asked only for colored (stylish) output. Not process.stdout.isTTY, which would set up the
    // stream FdOutput avoids, and node:tty only then: it loads Node's net and stream modules.
    get isTTY() {
      const tty = createRequire(import.meta.url)('node:tty') as typeof import('node:tty');
      return tty.isatty(1);
    },
    env: process.env,
  }).then(
    (code) => exitWhenFlushed(code, stdout, stderr),
    (err) => {
      stderr.write(`candor: internal error: ${err?.stack ?? err}\n`);
      exitWhenFlushed(2, stdout, stderr);
    },
  );
}

/**
 * Exits as soon as stdout and stderr have taken everything written to them. Letting the event
 * loop run dry instead makes Node wait for V8's background work (optimizing compiles that a
 * finished run has no use for): measured at 8 ms median between the end of the report and
 * the exit on the benchmark corpus. Direct writes are done when they return; where a Node
 * stream took over (see FdOutput), a pipe may still hold queued writes (process.exit alone cut
 * the JSON report off at 64 KB), so the exit waits for its queue to flush.
 */
function exitWhenFlushed(code: number, ...outputs: FdOutput[]): void {
  process.exitCode = code;
  let open = outputs.length;
  const flushed = (): void => {
    if (--open === 0) {
      reportDone(code);
      process.exit(code);
    }
  };
  for (const output of outputs) output.flush(flushed);
}

/**
 * In the child that bin/candor.js re-runs the CLI in (CANDOR_DONE_FD), tells the parent that
 * the run is over and with which exit code, so that it can exit before this process has gone
 * through Node's and the kernel's teardown (see bin/candor.js). stdout and stderr are closed
 * first: a reader of a pipe sees its end only once every process holding it has let go, and
 * this one still has its exit ahead. Not while the build writes the code cache, which happens
 * at exit.
 */
function reportDone(code: number): void {
  const fd = Number(process.env.CANDOR_DONE_FD);
  if (!Number.isInteger(fd) || fd < 3 || process.env.CANDOR_WRITE_CODE_CACHE) return;
  try {
    closeSync(1);
    closeSync(2);
    writeSync(fd, `${code}\n`);
    closeSync(fd);
  } catch {
    // The parent is gone or the descriptor is not what it should be: exit as usual.
  }
}
