import { readFileSync, statSync } from 'node:fs';

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

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Loose = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export function readTemplate(file: string, maxBytes: number): ReadResult {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return { ok: false, reason: 'unreadable', message: 'not a regular file' };
    size = stat.size;
  } catch (err) {
    return { ok: false, reason: 'unreadable', message: describeIoError(err) };
  }
  if (size > maxBytes) {
    return { ok: false, reason: 'too-large', message: `skipped: ${formatBytes(size)} is over the ${formatBytes(maxBytes)} limit (maxFileSize in .candor.json)` };
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    return { ok: false, reason: 'unreadable', message: describeIoError(err) };
  }
  return decodeTemplate(bytes);
}

export function decodeTemplate(bytes: Uint8Array): ReadResult {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const le = bytes[0] === 0xff;
    const text = new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes);
    return { ok: true, text, notes: [`decoded as UTF-16 ${le ? 'LE' : 'BE'}`], bytes, encoding: le ? 'utf-16le' : 'utf-16be', bom: true, lossy: bytes.length % 2 === 1 };
  }
  const probe = bytes.subarray(0, 8000);
  if (probe.includes(0)) return { ok: false, reason: 'binary', message: 'skipped: binary file (contains NUL bytes)' };
  try {
    return { ok: true, text: utf8Strict.decode(bytes), notes: [], bytes, encoding: 'utf-8', bom: false, lossy: false };
  } catch {
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
