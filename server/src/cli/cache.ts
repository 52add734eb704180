import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../engine/types.js';
import { writeFileAtomic } from './atomic-write.js';
import type { FileNotice } from './report.js';

/**
 * `--cache`: what each file produced last time, under a key made of the file's bytes, the
 * configuration that applies to it (the configs' contents, the format override, the rules
 * version) and the CLI version. A file whose key is unchanged is not linted again. Paths are
 * stored relative to the cache file, so a CI cache restored in another checkout still hits.
 */

export const DEFAULT_CACHE_FILE = '.candorcache';
const CACHE_FORMAT = 1;

export interface CacheEntry {
  key: string;
  findings: Finding[];
  notices: FileNotice[];
}

interface CacheData {
  candorCache: number;
  version: string;
  entries: Record<string, CacheEntry>;
}

export class LintCache {
  private entries: Record<string, CacheEntry> = {};
  private readonly dir: string;
  private dirty = false;
  hits = 0;
  misses = 0;

  constructor(
    readonly file: string,
    private readonly version: string,
  ) {
    this.dir = path.dirname(file);
  }

  /** Resolves --cache-location: a folder (existing, or written with a trailing slash) gets the default file name. */
  static locate(cwd: string, location: string | undefined): string {
    if (!location) return path.join(cwd, DEFAULT_CACHE_FILE);
    const abs = path.resolve(cwd, location);
    if (/[\\/]$/.test(location) || (existsSync(abs) && statSync(abs).isDirectory())) return path.join(abs, DEFAULT_CACHE_FILE);
    return abs;
  }

  /** Loads the cache; a missing, corrupt or other-version cache is simply empty. */
  load(): void {
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as CacheData;
      if (data.candorCache === CACHE_FORMAT && data.version === this.version && data.entries && typeof data.entries === 'object') {
        this.entries = data.entries;
      }
    } catch {
      this.entries = {};
    }
  }

  private id(file: string): string {
    return path.relative(this.dir, file).split(path.sep).join('/');
  }

  get(file: string): CacheEntry | undefined {
    return this.entries[this.id(file)];
  }

  set(file: string, entry: CacheEntry): void {
    this.entries[this.id(file)] = entry;
    this.dirty = true;
  }

  delete(file: string): void {
    if (this.entries[this.id(file)]) {
      delete this.entries[this.id(file)];
      this.dirty = true;
    }
  }

  /** Writes the cache (atomically) if anything changed, dropping entries of files that are gone. */
  save(): void {
    for (const id of Object.keys(this.entries)) {
      if (!existsSync(path.join(this.dir, id))) {
        delete this.entries[id];
        this.dirty = true;
      }
    }
    if (!this.dirty && existsSync(this.file)) return;
    const data: CacheData = { candorCache: CACHE_FORMAT, version: this.version, entries: this.entries };
    const bytes = Buffer.from(JSON.stringify(data));
    mkdirSync(this.dir, { recursive: true });
    writeFileAtomic(this.file, bytes);
  }
}
