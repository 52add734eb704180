import { randomBytes } from '../engine/builtins.js';
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * Replaces a file atomically: the new bytes go to a temporary file in the same folder (so the
 * rename stays on one file system), with the original's permissions, flushed to disk, then
 * renamed over the original. A symlink is followed, so the link itself is kept. When `expected`
 * is given and the file no longer holds those bytes (it changed since it was read), nothing
 * is written.
 */
export function writeFileAtomic(file: string, bytes: Uint8Array, expected?: Uint8Array): void {
  const exists = existsSync(file);
  const target = exists ? realpathSync(file) : path.resolve(file);
  if (expected && (!exists || !readFileSync(target).equals(expected))) {
    throw new Error('the file changed on disk while it was being linted; not fixed');
  }
  const mode = exists ? statSync(target).mode & 0o7777 : 0o644;
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.candor-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', mode);
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    chmodSync(temp, mode); // openSync's mode is filtered by the umask
    renameSync(temp, target);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw err;
  }
}
