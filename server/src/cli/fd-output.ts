import { writeSync } from 'node:fs';

/**
 * The CLI's stdout and stderr, written straight to file descriptors 1 and 2.
 *
 * Why not process.stdout: the first touch of process.stdout or process.stderr when it is a pipe
 * — every CI job, every `candor … | …` — makes Node load its stream, socket and pipe modules
 * and set up a socket, ~4 ms of every run (bare Node measured: 25.9 → 29.7 ms median, 41
 * rounds). Node's stream writes files and terminals synchronously and queues writes to a pipe
 * (the CLI's exit then waited for the queue to drain); a write(2) that returns when the pipe has
 * taken the bytes gives a reader the same bytes in the same order.
 *
 * The stream takes over for the rest of the output on Windows (console code pages need Node's
 * handling) and when a write cannot complete now (EAGAIN: a pipe someone made non-blocking,
 * which a Node parent may do with the pipe it hands over). A reader that went away (`| head`: EPIPE) or a closed
 * descriptor ends the output quietly, as it did with the streams.
 */
export class FdOutput {
  /** The Node stream, once it has taken over (it is then used for everything after). */
  private stream: NodeJS.WriteStream | undefined;
  private closed = false;

  constructor(
    private readonly fd: 1 | 2,
    private readonly nodeStream: () => NodeJS.WriteStream,
  ) {
    if (process.platform === 'win32') this.takeOver();
  }

  private takeOver(): NodeJS.WriteStream {
    const stream = this.nodeStream();
    // EPIPE from a reader that went away arrives as an error event: end quietly, no stack trace.
    stream.on('error', () => (this.closed = true));
    this.stream = stream;
    return stream;
  }

  write(s: string | Uint8Array): void {
    if (this.closed) return;
    if (this.stream) {
      this.stream.write(s);
      return;
    }
    const bytes = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          this.takeOver().write(bytes.subarray(offset));
        } else {
          // EPIPE, EBADF and the like: nobody is reading any more.
          this.closed = true;
        }
        return;
      }
    }
  }

  /** Calls `done` once everything written has been handed to the system. */
  flush(done: () => void): void {
    if (this.stream && !this.closed) this.stream.write('', () => done());
    else done();
  }
}
