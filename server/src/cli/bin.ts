import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
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

// Taken out of the environment at once: nothing this process starts may inherit it.
const doneFd = takeDoneFd();

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

/** The pipe to report on when bin/candor.js re-ran the CLI in this process (CANDOR_DONE_FD), if any. */
function takeDoneFd(): number | undefined {
  const value = process.env.CANDOR_DONE_FD;
  if (value === undefined) return undefined;
  delete process.env.CANDOR_DONE_FD;
  const fd = Number(value);
  if (!Number.isInteger(fd) || fd < 3 || process.env.CANDOR_WRITE_CODE_CACHE) return undefined;
  try {
    // Only a pipe (or socket) that the parent made; never a file this process opened.
    const stat = fstatSync(fd);
    return stat.isFIFO() || stat.isSocket() ? fd : undefined;
  } catch {
    return undefined;
  }
}

/**
 * In the child that bin/candor.js re-runs the CLI in, tells the parent that the run is over and
 * with which exit code, so that it can exit before this process has gone through Node's and the
 * kernel's teardown (see bin/candor.js). First stdin, stdout and stderr are pointed at
 * /dev/null: a reader of a pipe sees its end only once every process holding it has let go, and
 * at exit Node puts a terminal it started on back into the mode it found it in — after the
 * parent has exited, that would undo what the shell has set since (its line editing). Node
 * compares the file first, so /dev/null is left alone; and nothing opened later can land on
 * descriptors 0-2.
 */
function reportDone(code: number): void {
  if (doneFd === undefined) return;
  try {
    for (const fd of [0, 1, 2]) {
      try {
        closeSync(fd);
      } catch {
        // already closed by whoever started the CLI
      }
      // open(2) takes the lowest free descriptor: fd itself, unless something is badly off.
      const opened = openSync('/dev/null', fd === 0 ? 'r' : 'w');
      if (opened !== fd) {
        closeSync(opened);
        return;
      }
    }
    writeSync(doneFd, `${code}\n`);
    closeSync(doneFd);
  } catch {
    // The parent is gone or a descriptor is not what it should be: the parent waits for the exit.
  }
}
