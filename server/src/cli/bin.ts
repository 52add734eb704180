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
  runCli({
    argv: process.argv.slice(2),
    cwd: process.cwd(),
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readStdin,
    isTTY: process.stdout.isTTY === true,
    env: process.env,
  }).then(
    (code) => exitWhenFlushed(code),
    (err) => {
      process.stderr.write(`candor: internal error: ${err?.stack ?? err}\n`);
      exitWhenFlushed(2);
    },
  );
}

/**
 * Exits as soon as stdout and stderr have taken everything written to them. Letting the event
 * loop run dry instead makes Node wait for V8's background work (optimizing compiles that a
 * finished run has no use for): measured at 8 ms median between the end of the report and
 * the exit on the benchmark corpus. A pipe may still hold queued writes (process.exit alone
 * cut the JSON report off at 64 KB), so the exit waits for each stream's queue to flush. A
 * reader that went away (`| head`) no longer crashes the process with an EPIPE stack trace.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let open = 2;
  const flushed = (): void => {
    if (--open === 0) process.exit(code);
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
}
