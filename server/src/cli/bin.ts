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
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`candor: internal error: ${err?.stack ?? err}\n`);
      process.exitCode = 2;
    },
  );
}
