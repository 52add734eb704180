import { createHash } from '../engine/builtins.js';

/**
 * `--shard i/n`: each file belongs to exactly one of n shards, chosen by a hash of its path
 * (as reported: relative to the working directory, forward slashes). The union of all shards
 * is the whole list with no overlap, a file stays in its shard when others are added or
 * removed (so per-shard caches keep hitting), and every machine of a CI matrix computes the
 * same split without talking to the others.
 */

export interface Shard {
  index: number; // 1-based
  count: number;
}

export function parseShard(value: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) return undefined;
  return { index, count };
}

export function shardOf(relPath: string, count: number): number {
  const h = createHash('sha1').update(relPath).digest();
  return (h.readUInt32BE(0) % count) + 1;
}

export function inShard(relPath: string, shard: Shard): boolean {
  return shard.count === 1 || shardOf(relPath, shard.count) === shard.index;
}
