import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Reading a template safely: nothing is lost and nothing crashes the run. Binary files and
 * files over the size limit are skipped with a note; invalid UTF-8 is decoded with
 * replacement characters and a note (offsets then refer to the decoded text); UTF-16 files
 * with a byte-order mark are decoded as such. A UTF-8 BOM is kept in the text, so offsets
 * count it as one unit, as the JSON contract says.
 */

/** How the text was stored, so `--fix` can write it back byte for byte the same way. */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export type ReadResult =
  | {
      ok: true;
      text: string;
      notes: string[];
      /** The raw bytes as read. */
      bytes: Uint8Array;
      encoding: Encoding;
      /** UTF-16 only: the byte-order mark (a UTF-8 BOM stays in `text`, so it needs no flag). */
      bom: boolean;
      /** Undecodable bytes were replaced: writing the text back would lose them. */
      lossy: boolean;
    }
  | { ok: false; reason: 'binary' | 'too-large' | 'unreadable'; message: string };

const utf8Loose = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export function readTemplate(file: string, maxBytes: number): ReadResult {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    return { ok: false, reason: 'unreadable', message: describeIoError(err) };
  }
  try {
    return decodeTemplate(readAll(fd, maxBytes));
  } catch (err) {
    if (err instanceof TooLargeError) return { ok: false, reason: 'too-large', message: err.message };
    return { ok: false, reason: 'unreadable', message: describeIoError(err) };
  } finally {
    closeSync(fd);
  }
}

class TooLargeError extends Error {}

const SCRATCH_BYTES = 64 * 1024;
let scratch: Buffer | undefined;

/**
 * Reads to the end, never past the size limit. A CI run reads thousands of small files, so a
 * file is first read into one reused 64 KB buffer: a read that does not fill it is the whole
 * file (the files come from a directory walk or a stat, so they are regular files, where a
 * short read means the end), in one call and with no fstat (an fstat per file and the Stats
 * object it makes cost ~10 ms per 3,000 files). Bigger files go on in a growing buffer. A
 * directory fails here with EISDIR.
 */
function readAll(fd: number, maxBytes: number): Buffer {
  scratch ??= Buffer.allocUnsafeSlow(SCRATCH_BYTES);
  const first = readSync(fd, scratch, 0, SCRATCH_BYTES, null);
  if (first < SCRATCH_BYTES) {
    if (first > maxBytes) throw tooLarge(fd, maxBytes);
    const bytes = Buffer.allocUnsafe(first);
    scratch.copy(bytes, 0, 0, first);
    return bytes;
  }
  let buf = Buffer.allocUnsafe(SCRATCH_BYTES * 4);
  scratch.copy(buf);
  let length = first;
  for (;;) {
    if (length > maxBytes) throw tooLarge(fd, maxBytes);
    if (length === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, length);
      buf = bigger;
    }
    const n = readSync(fd, buf, length, buf.length - length, null);
    if (n === 0) break;
    length += n;
  }
  return buf.subarray(0, length);
}

/** The file's size is looked up only now, for the message. */
function tooLarge(fd: number, maxBytes: number): TooLargeError {
  let size = -1;
  try {
    size = fstatSync(fd).size;
  } catch {
    // the message then goes without the size
  }
  const what = size > maxBytes ? `${formatBytes(size)} is over` : 'over';
  return new TooLargeError(`skipped: ${what} the ${formatBytes(maxBytes)} limit (maxFileSize in .candor.json)`);
}

export function decodeTemplate(bytes: Uint8Array): ReadResult {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const le = bytes[0] === 0xff;
    const text = new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes);
    return { ok: true, text, notes: [`decoded as UTF-16 ${le ? 'LE' : 'BE'}`], bytes, encoding: le ? 'utf-16le' : 'utf-16be', bom: true, lossy: bytes.length % 2 === 1 };
  }
  const probe = bytes.subarray(0, 8000);
  if (probe.includes(0)) return { ok: false, reason: 'binary', message: 'skipped: binary file (contains NUL bytes)' };
  // isUtf8 (simdutf) and Buffer#toString are several times faster than a fatal TextDecoder;
  // toString keeps a UTF-8 BOM in the text, as the JSON contract wants.
  if (isUtf8(bytes)) {
    return { ok: true, text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), notes: [], bytes, encoding: 'utf-8', bom: false, lossy: false };
  }
  return {
    ok: true,
    text: utf8Loose.decode(bytes),
    notes: ['invalid UTF-8: undecodable bytes were read as U+FFFD; offsets refer to the decoded text'],
    bytes,
    encoding: 'utf-8',
    bom: false,
    lossy: true,
  };
}

/** The bytes to write for `text` so that the file keeps its encoding and byte-order mark. */
export function encodeTemplate(text: string, encoding: Encoding, bom: boolean): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  const body = Buffer.from(text, 'utf16le');
  if (encoding === 'utf-16be') body.swap16();
  if (!bom) return body;
  return Buffer.concat([Buffer.from(encoding === 'utf-16le' ? [0xff, 0xfe] : [0xfe, 0xff]), body]);
}

export function describeIoError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return e.message ?? String(err);
  }
}

export function formatBytes(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)} MB`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(1)} KB`;
  return `${n} B`;
}
